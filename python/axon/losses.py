"""Losses (`axon.losses`), Keras 3 names, defaults and formulas.

The engine computes them (reduction 'sum_over_batch_size'); calling a loss object on
arrays gives the same value the trainer reports.
"""

import numpy as np

from axon import _core
from axon.utils import serialization


class Loss:
    _core_name = None

    def __init__(self, name=None, reduction="sum_over_batch_size", from_logits=False):
        if reduction != "sum_over_batch_size":
            raise ValueError(f"{type(self).__name__}: only reduction='sum_over_batch_size' is supported now, got {reduction!r}")
        self.name = name or self._core_name
        self.reduction = reduction
        self.from_logits = bool(from_logits)

    def __call__(self, y_true, y_pred):
        y_pred = np.asarray(y_pred, dtype=np.float64)
        y_true = np.asarray(y_true, dtype=np.float64)
        value, _ = _core.compute_loss(self._core_name, self.from_logits, y_true, y_pred)
        return value

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction, "from_logits": self.from_logits}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class MeanSquaredError(Loss):
    _core_name = "mean_squared_error"

    def __init__(self, name="mean_squared_error", reduction="sum_over_batch_size"):
        super().__init__(name, reduction)

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}


class BinaryCrossentropy(Loss):
    _core_name = "binary_crossentropy"

    def __init__(self, from_logits=False, name="binary_crossentropy", reduction="sum_over_batch_size"):
        super().__init__(name, reduction, from_logits)


class CategoricalCrossentropy(Loss):
    _core_name = "categorical_crossentropy"

    def __init__(self, from_logits=False, name="categorical_crossentropy", reduction="sum_over_batch_size"):
        super().__init__(name, reduction, from_logits)


class SparseCategoricalCrossentropy(Loss):
    _core_name = "sparse_categorical_crossentropy"

    def __init__(self, from_logits=False, name="sparse_categorical_crossentropy", reduction="sum_over_batch_size"):
        super().__init__(name, reduction, from_logits)


def mean_squared_error(y_true, y_pred):
    return MeanSquaredError()(y_true, y_pred)


def binary_crossentropy(y_true, y_pred, from_logits=False):
    return BinaryCrossentropy(from_logits=from_logits)(y_true, y_pred)


def categorical_crossentropy(y_true, y_pred, from_logits=False):
    return CategoricalCrossentropy(from_logits=from_logits)(y_true, y_pred)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
    return SparseCategoricalCrossentropy(from_logits=from_logits)(y_true, y_pred)


mse = MSE = mean_squared_error

_ALIASES = {
    "mean_squared_error": MeanSquaredError,
    "mse": MeanSquaredError,
    "MSE": MeanSquaredError,
    "binary_crossentropy": BinaryCrossentropy,
    "categorical_crossentropy": CategoricalCrossentropy,
    "sparse_categorical_crossentropy": SparseCategoricalCrossentropy,
}
_FUNCTIONS = {
    mean_squared_error: MeanSquaredError,
    binary_crossentropy: BinaryCrossentropy,
    categorical_crossentropy: CategoricalCrossentropy,
    sparse_categorical_crossentropy: SparseCategoricalCrossentropy,
}


_CLASSES = serialization.class_table(MeanSquaredError, BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy)


def serialize(obj):
    return serialization.serialize(obj)


def deserialize(config):
    return serialization.deserialize(config, _CLASSES, "losses")
def get(identifier):
    """A Loss object for a name, a loss function of this module, or a Loss."""
    if callable(identifier) and not isinstance(identifier, Loss) and identifier in _FUNCTIONS:
        return _FUNCTIONS[identifier]()
    return serialization.get(identifier, Loss, _ALIASES, _CLASSES, "losses",
                             "a Loss or one of mean_squared_error, binary_crossentropy, "
                             "categorical_crossentropy, sparse_categorical_crossentropy")
