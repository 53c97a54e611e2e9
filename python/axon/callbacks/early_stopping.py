"""EarlyStopping: stop when the monitored quantity stops improving (Keras 3 semantics)."""

import warnings

import numpy as np

from axon.callbacks.callback import Callback
from axon.callbacks.monitor import check_mode, check_monitor, check_number, metric_direction


class EarlyStopping(Callback):
    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto", baseline=None,
                 restore_best_weights=False, start_from_epoch=0):
        super().__init__()
        owner = "EarlyStopping"
        self.monitor = check_monitor(owner, monitor)
        self.patience = check_number(owner, "patience", patience, minimum=0, integer=True)
        self.verbose = verbose
        self.baseline = None if baseline is None else check_number(owner, "baseline", baseline)
        self.min_delta = abs(check_number(owner, "min_delta", min_delta))
        self.mode = check_mode(owner, mode)
        self.restore_best_weights = restore_best_weights
        self.start_from_epoch = check_number(owner, "start_from_epoch", start_from_epoch, minimum=0, integer=True)
        self.wait = 0
        self.stopped_epoch = 0
        self.best_weights = None
        self.best_epoch = 0
        self.monitor_op = None

    def _set_monitor_op(self):
        if self.mode == "min":
            self.monitor_op = np.less
        elif self.mode == "max":
            self.monitor_op = np.greater
        else:
            direction = metric_direction(self.monitor)
            if direction is None:
                raise ValueError(
                    f"EarlyStopping callback received monitor={self.monitor} but Keras isn't able to "
                    "automatically determine whether that metric should be maximized or minimized. Pass "
                    "`mode='max'` in order to do early stopping based on the highest metric value, or pass "
                    "`mode='min'` in order to use the lowest value.")
            self.monitor_op = np.greater if direction == "up" else np.less
        # Improvement means current - min_delta beats best: shift towards "worse" when minimizing.
        if self.monitor_op is np.less:
            self.min_delta = -self.min_delta
        self.best = np.inf if self.monitor_op is np.less else -np.inf

    def on_train_begin(self, logs=None):
        # Instances can be reused across fit() calls.
        self.wait = 0
        self.stopped_epoch = 0
        self.best_weights = None
        self.best_epoch = 0
        if self.monitor_op is not None:
            self.best = np.inf if self.monitor_op is np.less else -np.inf

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()
        current = self.get_monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:  # missing, or still warming up
            return
        if self.restore_best_weights and self.best_weights is None:
            # Nothing recorded yet: the current weights are the best so far.
            self.best_weights = self.model.get_weights()
            self.best_epoch = epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            # Patience restarts only when both the previous best and the baseline are beaten.
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

    def get_monitor_value(self, logs):
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            warnings.warn(f"Early stopping conditioned on metric `{self.monitor}` which is not available. "
                          f"Available metrics are: {','.join(logs)}", stacklevel=2)
        return value

    def _is_improvement(self, value, reference):
        return bool(self.monitor_op(value - self.min_delta, reference))
