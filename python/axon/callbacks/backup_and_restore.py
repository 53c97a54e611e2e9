"""BackupAndRestore: resume training after the process was killed (Keras 3).

The backup is one file written atomically: weights, optimizer slots and step count, the
engine's seed and the position in the data (epoch, pass, batch), so a run killed at any
moment and started again ends with exactly the weights of an uninterrupted run (arrays and
PyDatasets; a plain generator cannot be rewound, so its run resumes at the epoch start).
"""

import os

from axon.callbacks.callback import Callback
from axon.callbacks.save_frequency import BatchCountdown, check_save_freq


class BackupAndRestore(Callback):
    def __init__(self, backup_dir, save_freq="epoch", double_checkpoint=False, delete_checkpoint=True):
        super().__init__()
        if not backup_dir:
            raise ValueError("BackupAndRestore: backup_dir is required (a directory for the backup files)")
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = check_save_freq("BackupAndRestore", save_freq)
        self.double_checkpoint = double_checkpoint
        self.delete_checkpoint = delete_checkpoint
        self._latest = os.path.join(self.backup_dir, "latest.axon")
        self._previous = os.path.join(self.backup_dir, "previous.axon")
        self._epoch = 0
        if save_freq != "epoch":
            self._countdown = BatchCountdown(save_freq)
            self.on_train_batch_end = self._count_batch  # per-batch calls only when needed

    def on_train_begin(self, logs=None):
        from axon import saving

        candidates = [self._latest] + ([self._previous] if self.double_checkpoint else [])
        for path in candidates:
            if not os.path.exists(path):
                continue
            try:
                state = saving.restore_training_state(self.model, path)
            except ValueError:
                if path == candidates[-1]:
                    raise
                continue  # a damaged latest backup: fall back to the previous one
            self.model._resume_position = state.get("position")
            return

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def _count_batch(self, batch, logs=None):
        if self._countdown.tick():
            self._backup(self.model._train_position(self._epoch, batch + 1))

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._backup(self.model._train_position(epoch + 1, None))

    def _backup(self, position):
        from axon import saving

        os.makedirs(self.backup_dir, exist_ok=True)
        if self.double_checkpoint and os.path.exists(self._latest):
            os.replace(self._latest, self._previous)
        saving.save_model(self.model, self._latest, include_optimizer=True, training_state={"position": position})

    def on_train_end(self, logs=None):
        # Kept after Ctrl-C (fit returns then too): that run is meant to be resumed.
        if self.delete_checkpoint and not getattr(self.model, "_interrupted", False):
            for path in (self._latest, self._previous):
                if os.path.exists(path):
                    os.remove(path)
