"""ReduceLROnPlateau: multiply the learning rate by `factor` after `patience` epochs
without improvement (Keras 3 semantics, messages and the `learning_rate` log key)."""

import warnings

import numpy as np

from axon.callbacks.callback import Callback
from axon.callbacks.monitor import check_mode, check_monitor, check_number


class ReduceLROnPlateau(Callback):
    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto", min_delta=1e-4,
                 cooldown=0, min_lr=0.0):
        super().__init__()
        owner = "ReduceLROnPlateau"
        self.monitor = check_monitor(owner, monitor)
        check_number(owner, "factor", factor)
        if factor >= 1.0:
            raise ValueError(f"ReduceLROnPlateau does not support a factor >= 1.0. Received factor={factor}")
        self.factor = factor
        self.min_lr = check_number(owner, "min_lr", min_lr, minimum=0)
        self.min_delta = check_number(owner, "min_delta", min_delta)
        self.patience = check_number(owner, "patience", patience, minimum=0, integer=True)
        self.verbose = verbose
        self.cooldown = check_number(owner, "cooldown", cooldown, minimum=0, integer=True)
        self.mode = check_mode(owner, mode)
        self._reset()

    def _reset(self):
        # Keras' rule for 'auto' here is simpler than EarlyStopping's: maximize iff "acc" is in the name.
        if self.mode == "min" or (self.mode == "auto" and "acc" not in self.monitor):
            self.monitor_op = lambda a, b: np.less(a, b - self.min_delta)
            self.best = np.inf
        else:
            self.monitor_op = lambda a, b: np.greater(a, b + self.min_delta)
            self.best = -np.inf
        self.cooldown_counter = 0
        self.wait = 0

    def on_train_begin(self, logs=None):
        self._reset()

    def in_cooldown(self):
        return self.cooldown_counter > 0

    def on_epoch_end(self, epoch, logs=None):
        logs = logs if logs is not None else {}
        # The rate this epoch trained with, logged before any change (as Keras does).
        logs["learning_rate"] = float(self.model.optimizer.learning_rate)
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(f"Learning rate reduction is conditioned on metric `{self.monitor}` which is not "
                          f"available. Available metrics are: {','.join(logs)}.", stacklevel=2)
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self.monitor_op(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience:
                old_lr = float(self.model.optimizer.learning_rate)
                # The optimizer holds float32: compare in float32 so min_lr is reachable.
                if old_lr > np.float32(self.min_lr):
                    new_lr = max(old_lr * self.factor, self.min_lr)
                    self.model.optimizer.learning_rate = new_lr
                    if self.verbose > 0:
                        print(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {new_lr}.")
                    self.cooldown_counter = self.cooldown
                    self.wait = 0
