"""Callbacks (`axon.callbacks`): Callback, History, ProgbarLogger, EarlyStopping.

fit() calls epoch-level methods from Python between C++ epochs. Batch-level methods are
called only when some callback overrides them (the engine then reports every batch);
otherwise the engine reports at most every 50 ms, for the progress bar alone.
"""

import warnings

import numpy as np

from axon.utils.progbar import Progbar


class Callback:
    def __init__(self):
        self.model = None
        self.params = {}

    def set_model(self, model):
        self.model = model

    def set_params(self, params):
        self.params = params

    def on_train_begin(self, logs=None): pass
    def on_train_end(self, logs=None): pass
    def on_epoch_begin(self, epoch, logs=None): pass
    def on_epoch_end(self, epoch, logs=None): pass
    def on_train_batch_begin(self, batch, logs=None): pass
    def on_train_batch_end(self, batch, logs=None): pass
    def on_batch_begin(self, batch, logs=None): pass
    def on_batch_end(self, batch, logs=None): pass
    def on_test_begin(self, logs=None): pass
    def on_test_end(self, logs=None): pass
    def on_test_batch_begin(self, batch, logs=None): pass
    def on_test_batch_end(self, batch, logs=None): pass
    def on_predict_begin(self, logs=None): pass
    def on_predict_end(self, logs=None): pass


_BATCH_METHODS = ("on_train_batch_begin", "on_train_batch_end", "on_batch_begin", "on_batch_end")


def _overrides_batch_methods(callback):
    return any(getattr(type(callback), m) is not getattr(Callback, m) for m in _BATCH_METHODS)


class History(Callback):
    def on_train_begin(self, logs=None):
        self.epoch = []
        self.history = {}

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)


class ProgbarLogger(Callback):
    """Keras' progress bar: 'Epoch i/N' then a bar redrawn in place (verbose=1) or one
    line per epoch (verbose=2)."""

    def __init__(self, verbose=1):
        super().__init__()
        self.verbose = verbose
        self._bar = None

    def on_epoch_begin(self, epoch, logs=None):
        epochs = self.params.get("epochs", 1)
        if self.verbose and epochs > 0:
            print(f"Epoch {epoch + 1}/{epochs}", flush=True)
        self._bar = Progbar(self.params.get("steps"), verbose=self.verbose)

    def on_progress(self, batch, logs):
        """Throttled by the engine (every ~50 ms); not a per-batch callback."""
        # The last batch is drawn by on_epoch_end, together with the validation metrics.
        if self._bar is not None and self.verbose == 1 and batch + 1 < self.params.get("steps", 0):
            self._bar.update(batch + 1, _sorted_items(logs))

    def on_epoch_end(self, epoch, logs=None):
        if self._bar is not None:
            self._bar.update(self.params.get("steps"), _sorted_items(logs or {}), finalize=True)
        self._bar = None


def _sorted_items(logs):
    return sorted(logs.items())


class CallbackList:
    """Dispatches to the user's callbacks plus History and (when verbose) ProgbarLogger."""

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
            self.progbar = ProgbarLogger(verbose)
            self.callbacks.insert(0, self.progbar)
        params = {"verbose": verbose, "epochs": epochs, "steps": steps}
        for cb in self.callbacks:
            cb.set_model(model)
            cb.set_params(params)
        self.needs_every_batch = any(_overrides_batch_methods(cb) for cb in self.callbacks)

    def _call(self, method, *args):
        for cb in self.callbacks:
            getattr(cb, method)(*args)

    def on_train_begin(self, logs=None): self._call("on_train_begin", logs)
    def on_train_end(self, logs=None): self._call("on_train_end", logs)
    def on_epoch_begin(self, epoch, logs=None): self._call("on_epoch_begin", epoch, logs)
    def on_epoch_end(self, epoch, logs=None): self._call("on_epoch_end", epoch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._call("on_train_batch_begin", batch, logs)
        self._call("on_batch_begin", batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self._call("on_train_batch_end", batch, logs)
        self._call("on_batch_end", batch, logs)

    def on_progress(self, batch, logs):
        if self.progbar is not None:
            self.progbar.on_progress(batch, logs)


class EarlyStopping(Callback):
    """Stops when `monitor` has not improved by min_delta for `patience` epochs (Keras 3)."""

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto", baseline=None,
                 restore_best_weights=False, start_from_epoch=0):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"EarlyStopping: mode must be 'auto', 'min' or 'max', got {mode!r}")
        self.monitor = monitor
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.min_delta = abs(min_delta)
        self.mode = mode
        self.restore_best_weights = restore_best_weights
        self.start_from_epoch = start_from_epoch
        self.monitor_op = None

    def _set_monitor_op(self):
        if self.mode == "min":
            self.monitor_op = np.less
        elif self.mode == "max":
            self.monitor_op = np.greater
        else:
            name = self.monitor.removeprefix("val_")
            maximize = any(k in name for k in ("acc", "auc", "precision", "recall"))
            self.monitor_op = np.greater if maximize else np.less
        if self.monitor_op is np.less:
            self.min_delta = -abs(self.min_delta)

    def on_train_begin(self, logs=None):
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0

    def _is_improvement(self, value, reference):
        return reference is None or bool(self.monitor_op(value - self.min_delta, reference))

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()
        current = (logs or {}).get(self.monitor)
        if current is None:
            warnings.warn(f"EarlyStopping: monitor '{self.monitor}' is not in the logs "
                          f"(available: {', '.join(sorted(logs or {}))})", stacklevel=2)
            return
        if epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights = self.model.get_weights()  # so far these are the best
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best, self.best_epoch = current, epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print(f"Restoring model weights from the end of the best epoch: {self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)
