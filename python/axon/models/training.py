"""compile / fit / evaluate / predict, shared by every model type.

The epoch loop is the engine's (`core.fit_epoch`): Python only runs between epochs, and
inside an epoch only when a callback needs a batch or the throttled progress bar is due.
"""

import numpy as np

from axon.models import data as data_mod

# losses, metrics, optimizers and callbacks are imported where they are first needed
# (compile, fit, evaluate): together they are ~15 ms of `import axon`.

_PROGRESS_INTERVAL_S = 0.05


def _verbosity(verbose):
    if verbose == "auto":
        return 1
    if verbose not in (0, 1, 2):
        raise ValueError(f"verbose: expected 'auto', 0, 1 or 2, got {verbose!r}")
    return verbose


class TrainingMixin:
    """Needs: self._core (or None), self._ensure_built(input_shape), self.layers."""

    def _init_training(self):
        self.optimizer = None
        self.loss = None
        self._metric_specs = []
        self._vector_metrics = []
        self.compiled = False
        self.stop_training = False
        self.history = None

    # ------------------------------------------------------------------ compile
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
    def _inputs(self, x, name="x"):
        # Fast path (batch-1 latency): an array the engine can read as it is.
        if (type(x) is np.ndarray and self._core is not None and x.dtype == self._dtype() and x.ndim > 1
                and x.shape[0] > 0 and x.shape[1:] == self._input_shape and x.flags.c_contiguous):
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

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None, validation_split=0.0,
            validation_data=None, shuffle=True, class_weight=None, sample_weight=None, initial_epoch=0, **kwargs):
        if kwargs:
            raise TypeError(f"fit: unexpected or not yet supported argument(s) {', '.join(sorted(kwargs))}")
        self._require_compiled("fit")
        if class_weight is not None:  # kept in Keras' position so later positional arguments line up
            raise ValueError("fit: class_weight is not supported yet; pass per-sample weights as sample_weight")
        verbose = _verbosity(verbose)
        batch_size = data_mod.check_batch_size(batch_size)
        x, y = self._xy(x, y)
        w = self._weights(sample_weight, x.shape[0], "fit")
        val = None
        if validation_data is not None:
            if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
                raise ValueError("fit: validation_data must be a tuple (x_val, y_val) or (x_val, y_val, sample_weight)")
            val = self._xy(validation_data[0], validation_data[1], "validation_data x", "validation_data y")
            val_w = validation_data[2] if len(validation_data) == 3 else None
            val = val + (self._weights(val_w, val[0].shape[0], "fit: validation_data"),)
        elif validation_split:
            (x, y, w), val = data_mod.split_validation(x, y, validation_split, w)
        steps = -(-x.shape[0] // batch_size)
        from axon.callbacks import CallbackList

        cbs = CallbackList(callbacks, self, verbose, epochs, steps)
        hook = self._batch_hook(cbs, steps)
        self.stop_training = False
        cbs.on_train_begin()
        for epoch in range(initial_epoch, epochs):
            cbs.on_epoch_begin(epoch)
            if cbs.needs_every_batch:
                cbs.on_train_batch_begin(0)
            logs, stopped = self._core.fit_epoch(x, y, batch_size, bool(shuffle), epoch, hook,
                                                 cbs.needs_every_batch, _PROGRESS_INTERVAL_S, sample_weight=w)
            logs = self._vector_logs(logs)
            if val is not None:
                val_logs = self._core.evaluate(val[0], val[1], batch_size, None, False, _PROGRESS_INTERVAL_S,
                                               sample_weight=val[2])
                val_logs = self._vector_logs(val_logs)
                logs.update({"val_" + k: v for k, v in val_logs.items()})
            cbs.on_epoch_end(epoch, dict(sorted(logs.items(), key=lambda kv: (kv[0].startswith("val_"), kv[0]))))
            if stopped or self.stop_training:
                break
        cbs.on_train_end()
        self.history = cbs.history
        return cbs.history

    def _batch_hook(self, cbs, steps):
        """What the engine calls between batches; returns True to stop."""
        def hook(batch, logs):
            if cbs.needs_every_batch:
                cbs.on_train_batch_end(batch, logs)
                if batch + 1 < steps and not self.stop_training:
                    cbs.on_train_batch_begin(batch + 1)
            cbs.on_progress(batch, logs)
            return bool(self.stop_training)
        return hook

    # ------------------------------------------------------------------ evaluate / predict
    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None, return_dict=False,
                 **kwargs):
        if kwargs:
            raise TypeError(f"evaluate: unexpected or not yet supported argument(s) {', '.join(sorted(kwargs))}")
        self._require_compiled("evaluate")
        verbose = _verbosity(verbose)
        batch_size = data_mod.check_batch_size(batch_size)
        x, y = self._xy(x, y)
        w = self._weights(sample_weight, x.shape[0], "evaluate")
        steps = -(-x.shape[0] // batch_size)
        from axon.utils.progbar import Progbar

        bar = Progbar(steps, verbose=verbose) if verbose else None

        def hook(batch, logs):  # the last batch is drawn once, below
            if batch + 1 < steps:
                bar.update(batch + 1, sorted(logs.items()))
            return False

        logs = self._vector_logs(
            self._core.evaluate(x, y, batch_size, hook if verbose == 1 else None, False, _PROGRESS_INTERVAL_S,
                                sample_weight=w))
        if bar is not None:
            bar.update(steps, sorted(logs.items()), finalize=True)
        return self._format_logs(logs, return_dict)

    def _format_logs(self, logs, return_dict):
        if return_dict:
            return dict(logs)
        values = [logs[name] for name in self.metrics_names]
        return values[0] if len(values) == 1 else values

    def predict(self, x, batch_size=None, verbose="auto", **kwargs):
        if kwargs:
            raise TypeError(f"predict: unexpected or not yet supported argument(s) {', '.join(sorted(kwargs))}")
        verbose = _verbosity(verbose)
        batch_size = data_mod.check_batch_size(batch_size)
        x = self._inputs(x)
        steps = -(-x.shape[0] // batch_size)
        from axon.utils.progbar import Progbar

        bar = Progbar(steps, verbose=verbose) if verbose else None  # started now: it times the call
        out = self._core.predict(x, batch_size)
        if bar is not None:
            bar.update(steps, finalize=True)
        return out

    def predict_on_batch(self, x):
        x = self._inputs(x)
        return self._core.predict(x, x.shape[0])

    def __call__(self, x, training=False):
        if training:
            raise ValueError("model(x, training=True): training-mode calls outside fit are not supported yet")
        x = self._inputs(x)
        return self._core.predict(x, x.shape[0])

    def train_on_batch(self, x, y, sample_weight=None, return_dict=False):
        self._require_compiled("train_on_batch")
        x, y = self._xy(x, y)
        w = self._weights(sample_weight, x.shape[0], "train_on_batch")
        logs, _ = self._core.fit_epoch(x, y, x.shape[0], False, 0, None, False, _PROGRESS_INTERVAL_S, sample_weight=w)
        return self._format_logs(self._vector_logs(logs), return_dict)

    def test_on_batch(self, x, y, sample_weight=None, return_dict=False):
        self._require_compiled("test_on_batch")
        x, y = self._xy(x, y)
        w = self._weights(sample_weight, x.shape[0], "test_on_batch")
        logs = self._core.evaluate(x, y, x.shape[0], None, False, _PROGRESS_INTERVAL_S, sample_weight=w)
        return self._format_logs(self._vector_logs(logs), return_dict)


