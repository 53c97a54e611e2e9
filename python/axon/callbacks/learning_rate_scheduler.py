"""LearningRateScheduler: set the optimizer's learning rate from schedule(epoch[, lr]) at the
start of every epoch (Keras 3 semantics, messages and the `learning_rate` log key)."""

import numpy as np

from axon.callbacks.callback import Callback


class LearningRateScheduler(Callback):
    def __init__(self, schedule, verbose=0):
        super().__init__()
        if not callable(schedule):
            raise TypeError(f"LearningRateScheduler: schedule must be a callable schedule(epoch, lr) or "
                            f"schedule(epoch), got {schedule!r}")
        self.schedule = schedule
        self.verbose = verbose

    def _update_optimizer_lr(self, optimizer, epoch):
        if not hasattr(optimizer, "learning_rate"):
            raise ValueError('Optimizer must have a "learning_rate" attribute.')
        try:  # Keras' current form, schedule(epoch, lr)
            learning_rate = self.schedule(epoch, float(optimizer.learning_rate))
        except TypeError:  # the older schedule(epoch)
            learning_rate = self.schedule(epoch)
        # Keras accepts Python and NumPy floats only (an int is most likely a bug in the schedule).
        if not isinstance(learning_rate, (float, np.float32, np.float64)):
            raise ValueError(f"LearningRateScheduler: the output of the `schedule` function should be a float. "
                             f"Got: {learning_rate!r}")
        optimizer.learning_rate = float(learning_rate)
        return learning_rate

    def on_epoch_begin(self, epoch, logs=None):
        learning_rate = self._update_optimizer_lr(self.model.optimizer, epoch)
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {learning_rate}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = float(self.model.optimizer.learning_rate)
