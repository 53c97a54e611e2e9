"""LambdaCallback: a callback built from plain functions (Keras 3).

The functions become instance attributes; CallbackList sees batch functions set this way,
so Python runs once per batch only when a batch function was actually given.
"""

from axon.callbacks.callback import Callback

_HOOKS = tuple(name for name in vars(Callback) if name.startswith("on_"))


class LambdaCallback(Callback):
    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_train_begin=None, on_train_end=None,
                 on_train_batch_begin=None, on_train_batch_end=None, **kwargs):
        super().__init__()
        # Keras copies **kwargs into the instance as they are; here they must be hooks, so a
        # misspelt name (on_epoch_ends=...) is an error instead of a function never called.
        unknown = sorted(set(kwargs) - set(_HOOKS))
        if unknown:
            raise TypeError(f"LambdaCallback: unexpected argument(s) {', '.join(unknown)}; "
                            f"expected callback hooks: {', '.join(_HOOKS)}")
        hooks = dict(kwargs, on_epoch_begin=on_epoch_begin, on_epoch_end=on_epoch_end,
                     on_train_begin=on_train_begin, on_train_end=on_train_end,
                     on_train_batch_begin=on_train_batch_begin, on_train_batch_end=on_train_batch_end)
        for name, fn in hooks.items():
            if fn is None:
                continue
            if not callable(fn):
                raise TypeError(f"LambdaCallback: {name} must be callable, got {fn!r}")
            setattr(self, name, fn)
