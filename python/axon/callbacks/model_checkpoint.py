"""ModelCheckpoint: saves the model (or its weights) every epoch or every N batches,
optionally only when a monitored quantity improves (Keras 3)."""

import os
import warnings

import numpy as np

from axon.callbacks.callback import Callback
from axon.callbacks.monitor import check_mode
from axon.callbacks.save_frequency import BatchCountdown, check_save_freq


class ModelCheckpoint(Callback):
    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False, save_weights_only=False,
                 mode="auto", save_freq="epoch", initial_value_threshold=None):
        super().__init__()
        self.filepath = os.fspath(filepath)
        self.monitor = monitor
        self.verbose = verbose
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.save_freq = check_save_freq("ModelCheckpoint", save_freq)
        check_mode("ModelCheckpoint", mode)
        if save_weights_only and not self.filepath.endswith(".weights.axon"):
            raise ValueError("ModelCheckpoint: with save_weights_only=True the filepath must end in "
                             f"'.weights.axon', got {self.filepath!r}")
        if not save_weights_only and (not self.filepath.endswith(".axon") or self.filepath.endswith(".weights.axon")):
            raise ValueError("ModelCheckpoint: the filepath must end in '.axon' (a whole model; use "
                             f"save_weights_only=True for '.weights.axon'), got {self.filepath!r}")
        # Keras 3's ModelCheckpoint rule for mode='auto': maximise accuracies and f-measures.
        maximize = mode == "max" or (mode == "auto" and ("acc" in monitor or monitor.startswith("fmeasure")))
        self.monitor_op = np.greater if maximize else np.less
        self.best = -np.inf if maximize else np.inf
        if initial_value_threshold is not None:
            self.best = float(initial_value_threshold)
        self._current_epoch = 0
        if save_freq != "epoch":
            self._countdown = BatchCountdown(save_freq)
            # Set on the instance only when needed: fit calls Python after every batch only
            # for callbacks that have a batch method.
            self.on_train_batch_end = self._count_batch

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def _count_batch(self, batch, logs=None):
        if self._countdown.tick():
            self._save(self._current_epoch, batch, logs or {})

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._save(epoch, None, logs or {})

    def _file_path(self, epoch, batch, logs):
        try:
            if batch is None or "batch" in logs:
                return self.filepath.format(epoch=epoch + 1, **logs)
            return self.filepath.format(epoch=epoch + 1, batch=batch + 1, **logs)
        except (KeyError, IndexError, ValueError) as e:
            raise KeyError(f'ModelCheckpoint: failed to format this callback filepath: "{self.filepath}". '
                           f"Reason: {e!r}") from None

    def _save(self, epoch, batch, logs):
        path = self._file_path(epoch, batch, logs)
        if self.save_best_only:
            current = logs.get(self.monitor)
            if current is None:
                warnings.warn(f"ModelCheckpoint: can save best model only with {self.monitor} available, skipping.",
                              stacklevel=2)
                return
            current = float(np.mean(current))
            if not self.monitor_op(current, self.best):
                if self.verbose > 0:
                    print(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {self.best:.5f}")
                return
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: {self.monitor} improved from {self.best:.5f} to {current:.5f}, "
                      f"saving model to {path}")
            self.best = current
        elif self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: saving model to {path}")
        directory = os.path.dirname(path)
        if directory:
            os.makedirs(directory, exist_ok=True)
        if self.save_weights_only:
            self.model.save_weights(path)
        else:
            self.model.save(path)
