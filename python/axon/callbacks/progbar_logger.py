"""ProgbarLogger: Keras 3's 'Epoch i/N' line and progress bar, driven without per-batch calls.

Keras updates the bar from on_train_batch_end. Here the engine calls `on_progress` at most
every ~50 ms instead (CallbackList.on_progress), so showing a bar never forces Python to
run once per batch; the bar itself is drawn by axon.utils.progbar.Progbar.
"""

from axon.callbacks.callback import Callback
from axon.utils.progbar import Progbar


class ProgbarLogger(Callback):
    def __init__(self):
        super().__init__()
        self.progbar = None
        self.target = None
        self.verbose = 1
        self.epochs = 1

    def set_params(self, params):
        super().set_params(params)
        verbose = params["verbose"]
        self.verbose = 1 if verbose == "auto" else verbose
        self.epochs = params["epochs"]
        self.target = params["steps"]
        self._steps_run = None

    def set_epoch_steps(self, steps):
        """fit tells how many batches the epoch ran: the count a bar of unknown length ends on."""
        self._steps_run = steps

    def on_epoch_begin(self, epoch, logs=None):
        self.progbar = Progbar(self.target, verbose=self.verbose, unit_name="step")
        if self.verbose and self.epochs > 1:  # Keras prints no 'Epoch 1/1'
            print(f"Epoch {epoch + 1}/{self.epochs}", flush=True)

    def on_progress(self, batch, logs):
        """The engine's throttled report after `batch` (0-based); not a per-batch hook."""
        # The last batch is drawn by on_epoch_end, together with the validation metrics.
        if self.progbar is not None and self.verbose == 1 and (self.target is None or batch + 1 < self.target):
            # Batch logs in sorted order, as Keras' CallbackList hands them to the bar.
            self.progbar.update(batch + 1, sorted((logs or {}).items()), finalize=False)

    def on_epoch_end(self, epoch, logs=None):
        if self.progbar is None:
            return
        # Epoch logs in the caller's order: training metrics, then val_*, then what other
        # callbacks appended (ReduceLROnPlateau's learning_rate), as Keras shows them.
        done = self._steps_run if self._steps_run is not None else self.progbar._seen_so_far
        self.progbar.update(self.target if self.target is not None else done,
                            list((logs or {}).items()), finalize=True)
        self.progbar = None
