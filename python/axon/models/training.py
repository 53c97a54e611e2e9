"""compile / fit / evaluate / predict, shared by every model type.

The epoch loop is the engine's (`core.fit_epoch`, or `core.fit_queue` for streamed batches; see
feeds.py): Python only runs between epochs, and inside an epoch only when a callback needs a
batch or the throttled progress bar is due.
"""

import functools
import math
import numbers
import sys
import threading

from axon import _core
from axon._numpy_on_first_use import numpy_on_first_use
from axon.models import data as data_mod
from axon.models import feeds

np = numpy_on_first_use(globals())  # imports numpy on first use: `import axon` stays fast

# losses, metrics, optimizers and callbacks are imported where they are first needed
# (compile, fit, evaluate): together they are ~15 ms of `import axon`.

_PROGRESS_INTERVAL_S = 0.05


def _verbosity(verbose):
    if verbose == "auto":
        return 1
    if verbose not in (0, 1, 2):
        raise ValueError(f"verbose: expected 'auto', 0, 1 or 2, got {verbose!r}")
    return verbose


def _check_epochs(epochs, initial_epoch):
    for name, value in (("epochs", epochs), ("initial_epoch", initial_epoch)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
            raise ValueError(f"fit: {name} must be a non-negative integer, got {value!r}")
    return int(epochs), int(initial_epoch)


def _check_validation_freq(freq):
    """An int (validate every freq-th epoch) or a collection of 1-based epochs, as Keras."""
    if isinstance(freq, numbers.Integral) and not isinstance(freq, bool) and freq >= 1:
        return int(freq)
    if isinstance(freq, (list, tuple, set, range)) and all(isinstance(e, numbers.Integral) for e in freq):
        return set(int(e) for e in freq)
    raise ValueError(f"fit: validation_freq must be a positive integer or a list of epochs, got {freq!r}")


def _should_validate(epoch, freq):
    epoch += 1  # Keras counts validation epochs from 1
    return epoch % freq == 0 if isinstance(freq, int) else epoch in freq


def _plain_callbacks(callbacks, model):
    """evaluate/predict's callbacks: told when testing/predicting begins and ends."""
    callbacks = list(callbacks or [])
    for cb in callbacks:
        cb.set_model(model)
    return callbacks


def one_call_at_a_time(method):
    """Runs a public model method under the model's call lock.

    Threads sharing a model take turns, whole call by whole call: a second fit, an evaluate,
    predict, compile, set_weights or save from another thread waits until the running call
    returns, so epochs of two fits never interleave and compile never swaps the optimizer
    under a running fit. The lock is re-entrant: a callback that fit runs on its own thread
    may call evaluate, predict or save. (The engine holds its own per-model lock around each
    call as well, for code that reaches the engine directly, e.g. layer.get_weights().)
    Waiting releases the GIL, so a fit's batch callbacks keep running while others wait.
    """

    @functools.wraps(method)
    def locked(self, *args, **kwargs):
        with self._call_lock:
            return method(self, *args, **kwargs)

    return locked


class TrainingMixin:
    """Needs: self._core (or None), self._ensure_built(input_shape), self.layers."""

    def _init_training(self):
        self._call_lock = threading.RLock()  # see one_call_at_a_time
        self.optimizer = None
        self.loss = None
        self._metric_specs = []
        self._vector_metrics = []
        self.compiled = False
        self.stop_training = False
        self.history = None

    # ------------------------------------------------------------------ compile
    @one_call_at_a_time
    def compile(self, optimizer="rmsprop", loss=None, metrics=None, loss_weights=None, **kwargs):
        if kwargs:
            raise TypeError(f"compile: unexpected argument(s) {', '.join(sorted(kwargs))}")
        if loss is None:
            raise ValueError("compile: a loss is required, e.g. loss='categorical_crossentropy'")
        if loss_weights is not None:
            raise ValueError("compile: loss_weights needs a multi-output model, which axon does not have yet")
        from axon import losses as losses_mod
        from axon import metrics as metrics_mod
        from axon import optimizers as optimizers_mod

        self.optimizer = optimizers_mod.get(optimizer)
        self.loss = losses_mod.get(loss)
        if self.loss._core_name is None:
            raise ValueError(f"compile: loss {self.loss!r} is a custom Loss subclass; training needs one of the "
                             "built-in losses (the engine computes them), e.g. loss='mean_squared_error'")
        if self.loss.reduction == "none":
            raise ValueError(f"compile: loss '{self.loss.name}' has reduction='none'; training needs a scalar loss "
                             "(use 'sum_over_batch_size' or 'sum')")
        if self.loss.axis != -1:
            raise ValueError(f"compile: loss '{self.loss.name}' with axis={self.loss.axis}: training supports "
                             "axis=-1 only (the engine reduces the last axis)")
        if metrics is not None and not isinstance(metrics, (list, tuple)):
            raise ValueError(f"compile: metrics must be a list, got {metrics!r}")
        self._metric_specs = list(metrics or [])
        for m in self._metric_specs:  # validate names now; resolution waits for the output shape
            metrics_mod.resolve(m, 2, self.loss._core_name)
        self.compiled = True
        if self._core is not None:
            self._compile_core()

    def _compile_core(self):
        from axon import metrics as metrics_mod

        out_size = self._core.output_shape(self._core.num_layers - 1)[-1]
        specs = [metrics_mod.resolve(m, out_size, self.loss._core_name) for m in self._metric_specs]
        self._core.compile(self.loss._core_name, self.loss.from_logits, self.optimizer._core_name,
                           self.optimizer._core_config(), specs, loss_config=self.loss._core_config())
        self.optimizer._attach(self._core)
        self.metrics_names = ["loss"] + [name for _, name, _ in specs]
        self._vector_metrics = [(i, spec[1]) for i, (m, spec) in enumerate(zip(self._metric_specs, specs))
                                if metrics_mod.vector_valued(m)]
        self._core_compiled = True

    def _vector_logs(self, logs):
        """Metrics with one value per class or threshold: the engine's logs hold their mean
        (what the progress bar shows); the returned logs get the whole array, as in Keras."""
        if self._vector_metrics:
            results = self._core.metric_results()
            for i, name in self._vector_metrics:
                logs[name] = np.asarray(results[i])
        return logs

    def _require_compiled(self, what):
        if not self.compiled:
            raise ValueError(f"{what}: you must compile the model before training/testing it. "
                             "Use `model.compile(optimizer, loss)`.")

    # ------------------------------------------------------------------ data
    def _engine_ready(self, x):
        """Whether x is an array the built engine reads as it is: no conversion, no checks."""
        return (type(x) is np.ndarray and self._core is not None and x.dtype == self._dtype() and x.ndim > 1
                and x.shape[0] > 0 and x.shape[1:] == self._input_shape and x.flags.c_contiguous)

    def _inputs(self, x, name="x"):
        if self._engine_ready(x):  # fast path: batch-1 latency, streamed batches
            return x
        x = data_mod.as_array(x, name, self._dtype())
        self._ensure_built(x.shape[1:])
        return data_mod.check_inputs(x, self._input_shape, name)

    def _xy(self, x, y, x_name="x", y_name="y"):
        x = self._inputs(x, x_name)
        if not self._core_compiled:
            self._compile_core()
        y = data_mod.as_array(y, y_name, self._dtype())
        out_shape = tuple(self._core.output_shape(self._core.num_layers - 1))
        y = data_mod.check_targets(y, x.shape[0], out_shape, self._core.target_size, self.loss.name, y_name)
        return x, y

    # ------------------------------------------------------------------ fit
    def _weights(self, sample_weight, n, where):
        """sample_weight as the engine reads it: (n,) in the model's dtype, or None."""
        w = data_mod.check_sample_weight(sample_weight, n, where)
        return None if w is None else np.ascontiguousarray(w, dtype=self._dtype())

    def _feed(self, x, y, sample_weight, batch_size, role, shuffle=False, steps=None, class_weight=None):
        """A feed for arrays or for a dataset/generator (see feeds.py)."""
        if feeds.is_dataset(x):
            for name, value in (("y", y), ("sample_weight", sample_weight), ("batch_size", batch_size)):
                if value is not None:
                    raise ValueError(f"{role}: {name} must not be given when x is a PyDataset, generator or iterator "
                                     "of batches; its batches are (x, y) or (x, y, sample_weight) tuples")
            return feeds.DatasetFeed(self, x, role, shuffle, steps, class_weight)
        x, y = self._xy(x, y)
        if class_weight is not None:
            if sample_weight is not None:
                raise ValueError(f"{role}: you cannot use class_weight and sample_weight at the same time")
            sample_weight = data_mod.class_weight_to_sample_weight(y, class_weight)
        w = self._weights(sample_weight, x.shape[0], role)
        return feeds.ArrayFeed(self, x, y, w, data_mod.check_batch_size(batch_size), shuffle, steps)

    def _fit_feeds(self, x, y, batch_size, shuffle, class_weight, sample_weight, validation_split, validation_data,
                   validation_batch_size, steps_per_epoch):
        """(training feed, validation feed or None)."""
        val = None
        if validation_data is not None:
            if feeds.is_dataset(validation_data):
                val = self._feed(validation_data, None, None, validation_batch_size, "fit: validation_data")
            elif isinstance(validation_data, (tuple, list)) and len(validation_data) in (2, 3):
                vx, vy, vw = (tuple(validation_data) + (None,))[:3]
                val = self._feed(vx, vy, vw, validation_batch_size or batch_size, "fit: validation_data")
            else:
                raise ValueError("fit: validation_data must be a tuple (x_val, y_val) or (x_val, y_val, "
                                 "sample_weight), or a dataset/generator of such batches")
        elif validation_split:
            if feeds.is_dataset(x):
                raise ValueError("fit: validation_split is only supported for array inputs; with a dataset or "
                                 "generator pass validation_data instead")
            x, y = self._xy(x, y)
            w = data_mod.check_sample_weight(sample_weight, x.shape[0], "fit")
            (x, y, sample_weight), (vx, vy, vw) = data_mod.split_validation(x, y, validation_split, w)
            val = self._feed(vx, vy, vw, validation_batch_size or batch_size, "fit: validation_split")
        train = self._feed(x, y, sample_weight, batch_size, "fit", shuffle, steps_per_epoch, class_weight)
        return train, val

    @one_call_at_a_time
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None, validation_split=0.0,
            validation_data=None, shuffle=True, class_weight=None, sample_weight=None, initial_epoch=0,
            steps_per_epoch=None, validation_steps=None, validation_batch_size=None, validation_freq=1, **kwargs):
        if kwargs:
            raise TypeError(f"fit: unexpected argument(s) {', '.join(sorted(kwargs))}")
        self._require_compiled("fit")
        verbose = _verbosity(verbose)
        epochs, initial_epoch = _check_epochs(epochs, initial_epoch)
        steps_per_epoch = feeds.check_steps(steps_per_epoch, "steps_per_epoch")
        validation_steps = feeds.check_steps(validation_steps, "validation_steps")
        validation_freq = _check_validation_freq(validation_freq)
        if validation_batch_size is not None:
            data_mod.check_batch_size(validation_batch_size, "fit: validation_batch_size")
        train, val = self._fit_feeds(x, y, batch_size, bool(shuffle), data_mod.check_class_weight(class_weight),
                                     sample_weight, validation_split, validation_data, validation_batch_size,
                                     steps_per_epoch)
        from axon.callbacks import CallbackList

        cbs = CallbackList(callbacks, self, verbose, epochs, train.steps)
        loop = self._loop_options(cbs)
        self.stop_training = False
        self._train_feed = train  # BackupAndRestore reads and restores its position
        self._resume_position = None
        self._interrupted = False
        logs = {}
        cbs.on_train_begin()
        epoch = self._resume(train, initial_epoch)
        # Ctrl-C sets a flag instead of raising (see _core.catch_sigint): the engine stops after
        # the batch it is on, and the epoch's callbacks finish before fit returns.
        with _core.catch_sigint(threading.current_thread() is threading.main_thread()) as sigint:
            try:
                while epoch < epochs:
                    cbs.on_epoch_begin(epoch)
                    logs, steps, stopped, interrupted = train.train(epoch, **loop)
                    if interrupted:
                        raise KeyboardInterrupt
                    if steps == 0:
                        break  # the data ran out (feeds warned)
                    if cbs.progbar is not None:
                        cbs.progbar.set_epoch_steps(steps)
                    logs = self._vector_logs(logs)
                    if val is not None and _should_validate(epoch, validation_freq):
                        logs.update(self._validate(val, validation_steps, cbs))
                    logs = dict(sorted(logs.items(), key=lambda kv: (kv[0].startswith("val_"), kv[0])))
                    cbs.on_epoch_end(epoch, logs)
                    epoch += 1
                    if sigint.caught:
                        raise KeyboardInterrupt
                    if stopped or self.stop_training:
                        break
            except KeyboardInterrupt:
                if sigint.repeated:  # a second Ctrl-C: out now, without the history or on_train_end
                    self._train_feed = None
                    raise
                # The weights are consistent (the engine stopped between two batches); an
                # unfinished epoch is left out of the history.
                self._interrupted = True
                print(f"\nfit: interrupted (Ctrl-C) in epoch {epoch + 1}; returning the history so far",
                      file=sys.stderr)
        cbs.on_train_end(logs)
        self._train_feed = None
        self.history = cbs.history
        return cbs.history

    def _resume(self, train, initial_epoch):
        """The epoch to start from: initial_epoch, or where a BackupAndRestore callback's
        on_train_begin restored the model to (it sets _resume_position)."""
        position = self._resume_position
        self._resume_position = None
        if position is None:
            return initial_epoch
        if position.get("cursor") is not None and getattr(train, "cursor", None) is not None:
            train.cursor.restore(position["cursor"], position.get("mid_epoch", False))
        return int(position["epoch"])

    def _train_position(self, epoch, steps_in_epoch_run):
        """Where fit stands, for BackupAndRestore: the epoch to run next and the position in the
        data. steps_in_epoch_run: batches the engine has run in the current epoch (None: at an
        epoch end, where the position has already moved past them)."""
        cursor = getattr(self._train_feed, "cursor", None)
        state = None if cursor is None else cursor.state_after(steps_in_epoch_run or 0)
        mid_epoch = steps_in_epoch_run is not None
        if mid_epoch and state is not None and (state["epoch_step"] >= cursor.epoch_steps
                                                or state["batch"] >= cursor.batches_per_pass):
            epoch, mid_epoch = epoch + 1, False  # that was the epoch's last batch: resume with the next
        return {"epoch": int(epoch), "cursor": state, "mid_epoch": mid_epoch}

    def _validate(self, val, steps, cbs):
        cbs.on_test_begin()  # Keras runs validation as an evaluate() with fit's callbacks
        logs, _, _, interrupted = val.evaluate(steps)
        if interrupted:
            raise KeyboardInterrupt
        logs = self._vector_logs(logs)
        cbs.on_test_end(logs)
        return {"val_" + k: v for k, v in logs.items()}

    def _loop_options(self, cbs):
        """Keyword arguments of the engine's training loops: the batch hook and when to call it."""
        stop_on_nan = bool(getattr(cbs, "stop_on_nan", False))

        def hook(batch, logs):
            if logs is None:  # about to run `batch` (only when a callback needs every batch)
                cbs.on_train_batch_begin(batch)
                return bool(self.stop_training)
            if cbs.needs_every_batch:
                cbs.on_train_batch_end(batch, logs)
            if stop_on_nan and not math.isfinite(logs["loss"]):
                cbs.on_nan_batch(batch, logs)
            cbs.on_progress(batch, logs)
            return bool(self.stop_training)

        return dict(hook=hook, every_batch=cbs.needs_every_batch, interval=_PROGRESS_INTERVAL_S, stop_on_nan=stop_on_nan)

    # ------------------------------------------------------------------ evaluate / predict
    @one_call_at_a_time
    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None, steps=None,
                 callbacks=None, return_dict=False, **kwargs):
        if kwargs:
            raise TypeError(f"evaluate: unexpected argument(s) {', '.join(sorted(kwargs))}")
        self._require_compiled("evaluate")
        verbose = _verbosity(verbose)
        steps = feeds.check_steps(steps, "steps", "evaluate")
        feed = self._feed(x, y, sample_weight, batch_size, "evaluate")
        cbs = _plain_callbacks(callbacks, self)
        target = steps or feed.steps
        from axon.utils.progbar import Progbar

        bar = Progbar(target, verbose=verbose) if verbose else None

        def hook(batch, logs):  # the last batch is drawn once, below
            if logs is not None and (target is None or batch + 1 < target):
                bar.update(batch + 1, sorted(logs.items()))
            return False

        for cb in cbs:
            cb.on_test_begin()
        logs, ran, _, interrupted = feed.evaluate(steps, hook=hook if verbose == 1 else None,
                                                  interval=_PROGRESS_INTERVAL_S)
        if interrupted:  # Ctrl-C under fit's catcher (evaluate called from a callback): no partial result
            raise KeyboardInterrupt
        logs = self._vector_logs(logs)
        if bar is not None:
            bar.update(ran, sorted(logs.items()), finalize=True)
        for cb in cbs:
            cb.on_test_end(logs)
        return self._format_logs(logs, return_dict)

    def _format_logs(self, logs, return_dict):
        if return_dict:
            return dict(logs)
        values = [logs[name] for name in self.metrics_names]
        return values[0] if len(values) == 1 else values

    @one_call_at_a_time
    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None, **kwargs):
        if kwargs:
            raise TypeError(f"predict: unexpected argument(s) {', '.join(sorted(kwargs))}")
        verbose = _verbosity(verbose)
        steps = feeds.check_steps(steps, "steps", "predict")
        if feeds.is_dataset(x):
            if batch_size is not None:
                raise ValueError("predict: batch_size must not be given when x is a PyDataset or generator")
            feed = feeds.DatasetFeed(self, x, "predict")
        else:
            feed = feeds.ArrayFeed(self, self._inputs(x), None, None, data_mod.check_batch_size(batch_size))
        cbs = _plain_callbacks(callbacks, self)
        from axon.utils.progbar import Progbar

        bar = Progbar(steps or feed.steps, verbose=verbose) if verbose else None  # started now: it times the call
        for cb in cbs:
            cb.on_predict_begin()
        out = feed.predict(steps)
        for cb in cbs:
            cb.on_predict_end()
        if bar is not None:
            bar.update(steps or feed.steps or 1, finalize=True)
        return out

    # predict_on_batch and __call__ are one engine call each, which the engine's per-model lock
    # already serializes: they skip the Python lock (batch-1 latency), and between two epochs
    # of another thread's fit they see the weights of a whole batch.
    def predict_on_batch(self, x):
        x = self._inputs(x)
        return self._core.predict(x, x.shape[0])

    def __call__(self, x, training=False):
        x = self._inputs(x)
        if training:  # dropout active, BatchNormalization on batch statistics (see Model::call_training)
            return self._core.call_training(x)
        return self._core.predict(x, x.shape[0])

    @one_call_at_a_time
    def train_on_batch(self, x, y, sample_weight=None, return_dict=False):
        self._require_compiled("train_on_batch")
        x, y = self._xy(x, y)
        w = self._weights(sample_weight, x.shape[0], "train_on_batch")
        logs = self._core.fit_epoch(x, y, x.shape[0], sample_weight=w)[0]
        return self._format_logs(self._vector_logs(logs), return_dict)

    @one_call_at_a_time
    def test_on_batch(self, x, y, sample_weight=None, return_dict=False):
        self._require_compiled("test_on_batch")
        x, y = self._xy(x, y)
        w = self._weights(sample_weight, x.shape[0], "test_on_batch")
        logs = self._core.evaluate(x, y, x.shape[0], sample_weight=w)[0]
        return self._format_logs(self._vector_logs(logs), return_dict)


