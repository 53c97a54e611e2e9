"""TerminateOnNaN: stop training when the loss becomes NaN or infinite (Keras 3).

Keras checks every batch from Python. axon's engine checks the loss itself and calls the
hook only for the batch where it turns non-finite (CallbackList.on_nan_batch), so this
callback does not make fit() call Python once per batch: `_engine_checks_nan` tells
CallbackList to leave its batch methods out of the per-batch dispatch.
"""

import numpy as np

from axon.callbacks.callback import Callback


class TerminateOnNaN(Callback):
    _engine_checks_nan = True

    def __init__(self, raise_error=False):
        super().__init__()
        # raise_error=True (Keras 3.11+) raises at once, skipping the other callbacks'
        # on_train_end (e.g. to keep a backup from being overwritten by a failed run).
        self.raise_error = bool(raise_error)

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not np.isfinite(loss):
            if self.raise_error:
                raise RuntimeError(f"NaN or Inf loss encountered at batch {batch}. Loss value: {loss}. "
                                   "Terminating training immediately.")
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True
