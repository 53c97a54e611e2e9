"""The metric base class, and the Python reductions Mean and Sum."""

import numpy as np

from axon import _core


class Metric:
    """Base class; subclasses set `_kind` (the engine's name) and `_options()`."""

    _kind = None

    def __init__(self, name=None, dtype=None):
        self.name = name or self._kind
        self.dtype = dtype
        self._engine = None

    # -- what the engine needs
    def _options(self):
        return {}

    def _spec(self):
        return (self._kind, self.name, self._options())

    def _vector_result(self):
        """True when result() gives one value per class or threshold."""
        return False

    def _core_metric(self):
        if self._engine is None:
            self._engine = _core.Metric64(self._spec())
        return self._engine

    # -- Keras' stateful API
    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = np.asarray(y_pred, dtype=np.float64)
        y_true = np.asarray(y_true, dtype=np.float64)
        if y_pred.ndim == 0:
            y_pred = y_pred.reshape(1, 1)
        elif y_pred.ndim == 1:  # (N,): N samples of one value each
            y_pred = y_pred[:, None]
        n, k = y_pred.shape[0], y_pred.shape[-1]
        if y_true.size == 0 or y_true.ndim == 0 or y_true.shape[0] != n:
            raise ValueError(f"{type(self).__name__}: y_true and y_pred must have the same number of samples, "
                             f"got shapes {y_true.shape} and {y_pred.shape}")
        weights = None
        if sample_weight is not None:
            sw = np.asarray(sample_weight, dtype=np.float64)
            if sw.ndim == 0:
                sw = np.full(n, float(sw))
            if sw.size != n or sw.ndim > 2:
                raise ValueError(f"{type(self).__name__}: sample_weight must be a scalar or hold one weight per "
                                 f"sample ({n}), got shape {sw.shape}")
            weights = np.ascontiguousarray(sw.reshape(n))
        self._core_metric().update(np.ascontiguousarray(y_true.reshape(n, -1)),
                                   np.ascontiguousarray(y_pred.reshape(n, -1)), k, weights)

    def result(self):
        values = self._core_metric().results()
        return np.asarray(values) if self._vector_result() else float(values[0])

    def reset_state(self):
        if self._engine is not None:
            self._engine.reset()

    def __call__(self, *args, **kwargs):
        """As Keras 3: update the state, then return the result."""
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"


# ---------------------------------------------------------------- reductions (Python)
class Mean(Metric):
    """Weighted mean of the values given to update_state (Keras' Mean).

    Mean and Sum reduce one tensor of values, so they are stand-alone metrics: in
    compile() they would be handed (y_true, y_pred) and mean nothing.
    """

    _kind = "mean"

    def __init__(self, name="mean", dtype=None):
        super().__init__(name, dtype)
        self.reset_state()

    def reset_state(self):
        self._total = 0.0
        self._count = 0.0

    @staticmethod
    def _reduce(values, sample_weight, reduce=np.mean):
        # Keras' reduce_to_samplewise_values: weights broadcast to the values, then every
        # axis past the first is reduced away (averaged for Mean, summed for Sum).
        values = np.asarray(values, dtype=np.float64)
        if sample_weight is None:
            per_sample = reduce(values.reshape(values.shape[0], -1), axis=1) if values.ndim > 1 else values
            return per_sample, float(per_sample.size if values.ndim else 1)
        w = np.asarray(sample_weight, dtype=np.float64)
        while w.ndim > values.ndim and w.shape[-1] == 1:  # squeeze_or_expand_to_same_rank
            w = w[..., 0]
        while values.ndim > w.ndim and w.ndim > 0 and values.shape[-1] == 1:
            values = values[..., 0]
        if values.ndim > w.ndim:
            values = reduce(values, axis=tuple(range(w.ndim, values.ndim)))
        w = np.broadcast_to(w, values.shape)
        values = values * w
        if w.ndim > 1:
            w = reduce(w, axis=tuple(range(1, w.ndim)))
        if values.ndim > 1:
            values = reduce(values, axis=tuple(range(1, values.ndim)))
        return values, float(np.sum(w))

    def update_state(self, values, sample_weight=None):
        values, count = self._reduce(values, sample_weight)
        self._total += float(np.sum(values))
        self._count += count

    def result(self):
        return self._total / self._count if self._count else 0.0


class Sum(Mean):
    """Weighted sum of the values given to update_state (Keras' Sum); stand-alone only."""

    _kind = "sum"

    def __init__(self, name="sum", dtype=None):
        super().__init__(name, dtype)

    def update_state(self, values, sample_weight=None):
        values, _ = self._reduce(values, sample_weight, np.sum)
        self._total += float(np.sum(values))

    def result(self):
        return self._total


def _positive_int(value, owner, what):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{owner}: {what} must be a positive integer, got {value!r}")
    return int(value)


