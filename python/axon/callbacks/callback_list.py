"""CallbackList: what fit() talks to. It adds History and ProgbarLogger (after the user's
callbacks, as Keras does, so they see keys other callbacks add such as `learning_rate`) and
decides whether the engine must call Python after every batch.
"""

from axon.callbacks.callback import Callback
from axon.callbacks.history import History
from axon.callbacks.progbar_logger import ProgbarLogger

_BATCH_METHODS = ("on_train_batch_begin", "on_train_batch_end", "on_batch_begin", "on_batch_end")


def _engine_checks_nan(callback):
    return getattr(callback, "_engine_checks_nan", False)


def _overrides_batch_methods(callback):
    """Whether `callback` does something per training batch: a batch method overridden by its
    class or set on the instance (LambdaCallback). Callbacks whose batch check the engine does
    itself (`_engine_checks_nan`, TerminateOnNaN) never count: they get on_nan_batch instead."""
    if _engine_checks_nan(callback):
        return False
    return any(name in vars(callback) or getattr(type(callback), name) is not getattr(Callback, name)
               for name in _BATCH_METHODS)


class CallbackList:
    def __init__(self, callbacks, model, verbose, epochs, steps):
        self.callbacks = list(callbacks or [])
        for cb in self.callbacks:
            if not isinstance(cb, Callback):
                raise TypeError(f"fit: callbacks must be axon.callbacks.Callback instances, got {type(cb).__name__}")
        self.history = next((cb for cb in self.callbacks if isinstance(cb, History)), None)
        if self.history is None:
            self.history = History()
            self.callbacks.append(self.history)
        self.progbar = next((cb for cb in self.callbacks if isinstance(cb, ProgbarLogger)), None)
        if self.progbar is None and verbose:
            self.progbar = ProgbarLogger()
            self.callbacks.append(self.progbar)
        self.params = {"verbose": verbose, "epochs": epochs, "steps": steps}
        self.model = model
        for cb in self.callbacks:
            cb.set_model(model)
            cb.set_params(self.params)
        # Per-batch Python calls happen only for these; all others cost nothing per batch.
        self._batch_callbacks = [cb for cb in self.callbacks if _overrides_batch_methods(cb)]
        self.needs_every_batch = bool(self._batch_callbacks)
        self._nan_callbacks = [cb for cb in self.callbacks if _engine_checks_nan(cb)]
        # Tells the engine to check each batch's loss and call on_nan_batch on the first
        # non-finite one.
        self.stop_on_nan = bool(self._nan_callbacks)

    def _call(self, method, *args):
        for cb in self.callbacks:
            getattr(cb, method)(*args)

    def on_train_begin(self, logs=None): self._call("on_train_begin", logs)
    def on_train_end(self, logs=None): self._call("on_train_end", logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._call("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._call("on_epoch_end", epoch, logs)

    # Batch hooks go only to callbacks that have batch methods (Keras' Callback forwards
    # on_train_batch_* to the legacy on_batch_*, so one call reaches both).
    def on_train_batch_begin(self, batch, logs=None):
        for cb in self._batch_callbacks:
            cb.on_train_batch_begin(batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        for cb in self._batch_callbacks:
            cb.on_train_batch_end(batch, logs)

    def on_nan_batch(self, batch, logs):
        """The engine's report of a batch whose loss is NaN or infinite (it reports such a
        batch at once, whatever the progress throttle, when stop_on_nan is set)."""
        for cb in self._nan_callbacks:
            cb.on_train_batch_end(batch, logs)  # forwards to on_batch_end, where Keras' check lives

    def on_progress(self, batch, logs):
        """The engine's throttled report (~every 50 ms), for the progress bar alone."""
        if self.progbar is not None:
            self.progbar.on_progress(batch, logs)

    # evaluate() and predict() hooks, for loops that drive them.
    def on_test_begin(self, logs=None): self._call("on_test_begin", logs)
    def on_test_end(self, logs=None): self._call("on_test_end", logs)
    def on_test_batch_begin(self, batch, logs=None): self._call("on_test_batch_begin", batch, logs)
    def on_test_batch_end(self, batch, logs=None): self._call("on_test_batch_end", batch, logs)
    def on_predict_begin(self, logs=None): self._call("on_predict_begin", logs)
    def on_predict_end(self, logs=None): self._call("on_predict_end", logs)
    def on_predict_batch_begin(self, batch, logs=None): self._call("on_predict_batch_begin", batch, logs)
    def on_predict_batch_end(self, batch, logs=None): self._call("on_predict_batch_end", batch, logs)
