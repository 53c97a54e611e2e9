"""Losses (`axon.losses`), Keras 3 names, defaults and formulas.

The engine computes every value (`_core.compute_loss`); calling a loss object on arrays
gives the same value the trainer reports. Reductions follow Keras 3: the weighted sum of
the per-row losses divided by the number of rows ('sum_over_batch_size', alias 'mean'),
not divided ('sum'), divided by the sum of the sample weights ('mean_with_sample_weight'),
or not reduced at all ('none' / None).
"""

import numbers

import numpy as np

from axon import _core
from axon.utils import serialization

REDUCTIONS = ("sum_over_batch_size", "mean", "sum", "mean_with_sample_weight", "none")


def _check_reduction(reduction, owner):
    if reduction is None:
        return "none"
    if reduction not in REDUCTIONS:
        raise ValueError(f"{owner}: invalid reduction {reduction!r}; expected one of "
                         f"{', '.join(REDUCTIONS)} or None")
    return reduction


def _check_unit(value, what, owner):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value <= 1:
        raise ValueError(f"{owner}: {what} must be a number in [0, 1], got {value!r}")
    return float(value)


def sample_weight_array(sample_weight, n, where="loss"):
    """Per-sample weights as a float64 (n,) array: accepts (n,), (n, 1) or a scalar."""
    if sample_weight is None:
        return None
    w = np.asarray(sample_weight, dtype=np.float64)
    if w.ndim == 0:
        w = np.full(n, float(w))
    if w.ndim == 2 and w.shape[1] == 1:
        w = w[:, 0]
    if w.ndim != 1 or w.shape[0] != n:
        raise ValueError(f"{where}: sample_weight must have shape ({n},) or ({n}, 1), got {np.shape(sample_weight)}")
    if not np.all(np.isfinite(w)):
        raise ValueError(f"{where}: sample_weight contains NaN or infinite values")
    return np.ascontiguousarray(w)


class Loss:
    """Base class. Subclasses set _core_name and the engine parameters in _params."""

    _core_name = None

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or self._core_name
        self.reduction = _check_reduction(reduction, type(self).__name__)
        self.dtype = dtype
        self.from_logits = False
        self.axis = -1
        self._params = {}

    def _core_config(self):
        """The engine's LossSpec fields (reduction included)."""
        return dict(self._params, reduction=self.reduction)

    def _prepare(self, y_true, y_pred):
        y_pred = np.asarray(y_pred, dtype=np.float64)
        y_true = np.asarray(y_true, dtype=np.float64)
        if y_pred.ndim == 0:
            y_pred = y_pred.reshape(1)
        axis = self.axis
        if axis not in (-1, y_pred.ndim - 1):  # the engine reduces the last axis
            if not -y_pred.ndim <= axis < y_pred.ndim:
                raise ValueError(f"{type(self).__name__}: axis {axis} is out of range for y_pred of rank {y_pred.ndim}")
            y_pred = np.moveaxis(y_pred, axis, -1)
            if y_true.ndim == y_pred.ndim:
                y_true = np.moveaxis(y_true, axis, -1)
        return np.ascontiguousarray(y_true), np.ascontiguousarray(y_pred)

    def __call__(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = self._prepare(y_true, y_pred)
        n = y_pred.shape[0] if y_pred.ndim >= 2 else 1
        w = sample_weight_array(sample_weight, n, self.name)
        value, _ = _core.compute_loss(self._core_name, self.from_logits, y_true, y_pred, False, w,
                                      self._core_config())
        return value

    def call(self, y_true, y_pred):
        """The unreduced per-row losses, shape y_pred.shape[:-1] (Keras' Loss.call)."""
        y_true, y_pred = self._prepare(y_true, y_pred)
        value, _ = _core.compute_loss(self._core_name, self.from_logits, y_true, y_pred, False, None,
                                      dict(self._core_config(), reduction="none"))
        return value

    def get_config(self):
        config = {"name": self.name, "reduction": self.reduction}
        config.update({k: v for k, v in self._public_params().items()})
        return config

    def _public_params(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class _Plain(Loss):
    """Losses with no parameters beyond name and reduction."""

    def __init__(self, reduction="sum_over_batch_size", name=None, dtype=None):
        super().__init__(name, reduction, dtype)


class MeanSquaredError(_Plain):
    _core_name = "mean_squared_error"


class MeanAbsoluteError(_Plain):
    _core_name = "mean_absolute_error"


class MeanAbsolutePercentageError(_Plain):
    _core_name = "mean_absolute_percentage_error"


class MeanSquaredLogarithmicError(_Plain):
    _core_name = "mean_squared_logarithmic_error"


class LogCosh(_Plain):
    _core_name = "log_cosh"


class KLDivergence(_Plain):
    _core_name = "kl_divergence"


class Poisson(_Plain):
    _core_name = "poisson"


class Hinge(_Plain):
    """Labels in {-1, 1}; a batch of {0, 1} labels is converted, as Keras does."""
    _core_name = "hinge"


class SquaredHinge(_Plain):
    _core_name = "squared_hinge"


class CategoricalHinge(_Plain):
    _core_name = "categorical_hinge"


class Huber(Loss):
    _core_name = "huber_loss"

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss", dtype=None):
        super().__init__(name, reduction, dtype)
        if isinstance(delta, bool) or not isinstance(delta, numbers.Real) or delta < 0:
            raise ValueError(f"Huber: delta must be a non-negative number, got {delta!r}")
        self.delta = float(delta)
        self._params = {"delta": self.delta}

    def _public_params(self):
        return {"delta": self.delta}


class CosineSimilarity(Loss):
    _core_name = "cosine_similarity"

    def __init__(self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity", dtype=None):
        super().__init__(name, reduction, dtype)
        self.axis = int(axis)

    def _public_params(self):
        return {"axis": self.axis}


class _Crossentropy(Loss):
    def _init_xent(self, from_logits, label_smoothing=0.0, axis=-1):
        self.from_logits = bool(from_logits)
        self.label_smoothing = _check_unit(label_smoothing, "label_smoothing", type(self).__name__)
        if isinstance(axis, bool):
            raise ValueError(f"{type(self).__name__}: axis must be an integer, got {axis!r}")
        self.axis = int(axis)
        self._params = {"label_smoothing": self.label_smoothing}

    def _public_params(self):
        return {"from_logits": self.from_logits, "label_smoothing": self.label_smoothing, "axis": self.axis}


class BinaryCrossentropy(_Crossentropy):
    _core_name = "binary_crossentropy"

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1, reduction="sum_over_batch_size",
                 name="binary_crossentropy", dtype=None):
        super().__init__(name, reduction, dtype)
        self._init_xent(from_logits, label_smoothing, axis)


class CategoricalCrossentropy(_Crossentropy):
    _core_name = "categorical_crossentropy"

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1, reduction="sum_over_batch_size",
                 name="categorical_crossentropy", dtype=None):
        super().__init__(name, reduction, dtype)
        self._init_xent(from_logits, label_smoothing, axis)


class SparseCategoricalCrossentropy(Loss):
    """ignore_class: rows with that label count neither in the sum nor in the mean."""
    _core_name = "sparse_categorical_crossentropy"

    def __init__(self, from_logits=False, ignore_class=None, reduction="sum_over_batch_size",
                 name="sparse_categorical_crossentropy", dtype=None):
        super().__init__(name, reduction, dtype)
        self.from_logits = bool(from_logits)
        if ignore_class is not None and (isinstance(ignore_class, bool) or not isinstance(ignore_class, numbers.Integral)):
            raise ValueError(f"SparseCategoricalCrossentropy: ignore_class must be an integer or None, got {ignore_class!r}")
        self.ignore_class = None if ignore_class is None else int(ignore_class)
        self._params = {"ignore_class": self.ignore_class}

    def _public_params(self):
        return {"from_logits": self.from_logits, "ignore_class": self.ignore_class}


class BinaryFocalCrossentropy(_Crossentropy):
    _core_name = "binary_focal_crossentropy"

    def __init__(self, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0,
                 axis=-1, reduction="sum_over_batch_size", name="binary_focal_crossentropy", dtype=None):
        super().__init__(name, reduction, dtype)
        self._init_xent(from_logits, label_smoothing, axis)
        self.apply_class_balancing = bool(apply_class_balancing)
        self.alpha, self.gamma = _focal_params(alpha, gamma, type(self).__name__)
        self._params.update(apply_class_balancing=self.apply_class_balancing, alpha=self.alpha, gamma=self.gamma)

    def _public_params(self):
        return dict(super()._public_params(), apply_class_balancing=self.apply_class_balancing, alpha=self.alpha,
                    gamma=self.gamma)


class CategoricalFocalCrossentropy(_Crossentropy):
    _core_name = "categorical_focal_crossentropy"

    def __init__(self, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_focal_crossentropy", dtype=None):
        super().__init__(name, reduction, dtype)
        self._init_xent(from_logits, label_smoothing, axis)
        self.alpha, self.gamma = _focal_params(alpha, gamma, type(self).__name__)
        self._params.update(alpha=self.alpha, gamma=self.gamma)

    def _public_params(self):
        return dict(super()._public_params(), alpha=self.alpha, gamma=self.gamma)


def _focal_params(alpha, gamma, owner):
    for what, v in (("alpha", alpha), ("gamma", gamma)):
        if isinstance(v, bool) or not isinstance(v, numbers.Real):
            raise ValueError(f"{owner}: {what} must be a number, got {v!r}")
    if gamma < 0:
        raise ValueError(f"{owner}: gamma must be >= 0, got {gamma!r}")
    return float(alpha), float(gamma)


# ---------------------------------------------------------------- function forms
# As in axon's earlier releases these return the batch mean ('sum_over_batch_size'), where
# Keras' functions return the per-sample values; `Loss.call` gives those.

def mean_squared_error(y_true, y_pred):
    return MeanSquaredError()(y_true, y_pred)


def mean_absolute_error(y_true, y_pred):
    return MeanAbsoluteError()(y_true, y_pred)


def mean_absolute_percentage_error(y_true, y_pred):
    return MeanAbsolutePercentageError()(y_true, y_pred)


def mean_squared_logarithmic_error(y_true, y_pred):
    return MeanSquaredLogarithmicError()(y_true, y_pred)


def huber(y_true, y_pred, delta=1.0):
    return Huber(delta=delta)(y_true, y_pred)


def log_cosh(y_true, y_pred):
    return LogCosh()(y_true, y_pred)


def kl_divergence(y_true, y_pred):
    return KLDivergence()(y_true, y_pred)


def poisson(y_true, y_pred):
    return Poisson()(y_true, y_pred)


def hinge(y_true, y_pred):
    return Hinge()(y_true, y_pred)


def squared_hinge(y_true, y_pred):
    return SquaredHinge()(y_true, y_pred)


def categorical_hinge(y_true, y_pred):
    return CategoricalHinge()(y_true, y_pred)


def cosine_similarity(y_true, y_pred, axis=-1):
    return CosineSimilarity(axis=axis)(y_true, y_pred)


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    return BinaryCrossentropy(from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)(y_true, y_pred)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    return CategoricalCrossentropy(from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)(y_true, y_pred)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None):
    return SparseCategoricalCrossentropy(from_logits=from_logits, ignore_class=ignore_class)(y_true, y_pred)


def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False,
                              label_smoothing=0.0, axis=-1):
    return BinaryFocalCrossentropy(apply_class_balancing, alpha, gamma, from_logits, label_smoothing, axis)(y_true, y_pred)


def categorical_focal_crossentropy(y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0,
                                   axis=-1):
    return CategoricalFocalCrossentropy(alpha, gamma, from_logits, label_smoothing, axis)(y_true, y_pred)


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh

_FUNCTIONS = {
    mean_squared_error: MeanSquaredError,
    mean_absolute_error: MeanAbsoluteError,
    mean_absolute_percentage_error: MeanAbsolutePercentageError,
    mean_squared_logarithmic_error: MeanSquaredLogarithmicError,
    huber: Huber,
    log_cosh: LogCosh,
    kl_divergence: KLDivergence,
    poisson: Poisson,
    hinge: Hinge,
    squared_hinge: SquaredHinge,
    categorical_hinge: CategoricalHinge,
    cosine_similarity: CosineSimilarity,
    binary_crossentropy: BinaryCrossentropy,
    categorical_crossentropy: CategoricalCrossentropy,
    sparse_categorical_crossentropy: SparseCategoricalCrossentropy,
    binary_focal_crossentropy: BinaryFocalCrossentropy,
    categorical_focal_crossentropy: CategoricalFocalCrossentropy,
}

# Every name compile() accepts for a function: its own and Keras' short aliases.
_ALIASES = {fn.__name__: cls for fn, cls in _FUNCTIONS.items()}
_ALIASES.update({
    "mse": MeanSquaredError, "MSE": MeanSquaredError, "mae": MeanAbsoluteError, "MAE": MeanAbsoluteError,
    "mape": MeanAbsolutePercentageError, "MAPE": MeanAbsolutePercentageError,
    "msle": MeanSquaredLogarithmicError, "MSLE": MeanSquaredLogarithmicError,
    "kld": KLDivergence, "KLD": KLDivergence, "kullback_leibler_divergence": KLDivergence,
    "logcosh": LogCosh, "huber_loss": Huber,
})

_CLASSES = serialization.class_table(
    MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError, Huber, LogCosh,
    KLDivergence, Poisson, Hinge, SquaredHinge, CategoricalHinge, CosineSimilarity, BinaryCrossentropy,
    CategoricalCrossentropy, SparseCategoricalCrossentropy, BinaryFocalCrossentropy, CategoricalFocalCrossentropy)


def serialize(obj):
    return serialization.serialize(obj)


def deserialize(config):
    return serialization.deserialize(config, _CLASSES, "losses")


def get(identifier):
    """A Loss object for a name, a loss function of this module, or a Loss."""
    if callable(identifier) and not isinstance(identifier, (Loss, type)) and identifier in _FUNCTIONS:
        return _FUNCTIONS[identifier]()
    return serialization.get(identifier, Loss, _ALIASES, _CLASSES, "losses",
                             "a Loss or one of " + ", ".join(sorted(fn.__name__ for fn in _FUNCTIONS)))
