"""History: every epoch's logs, returned by fit() (Keras 3)."""

from axon.callbacks.callback import Callback


class History(Callback):
    def __init__(self):
        super().__init__()
        # Kept across fit() calls, as in Keras: a History passed to two fits holds both.
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        if self.model is not None:  # the latest state, even if fit() is interrupted
            self.model.history = self
