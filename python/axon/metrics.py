"""Metrics (`axon.metrics`). During fit/evaluate the engine computes them; the classes
here are also usable on their own (update_state / result / reset_state)."""

import numpy as np


class Metric:
    _kind = None

    def __init__(self, name=None, dtype=None):
        self.name = name or self._kind
        self.reset_state()

    def reset_state(self):
        self._total = 0.0
        self._count = 0.0

    def result(self):
        return self._total / self._count if self._count else 0.0

    def update_state(self, y_true, y_pred, sample_weight=None):
        values = self._values(np.asarray(y_true, dtype=np.float64), np.asarray(y_pred, dtype=np.float64))
        w = np.ones_like(values) if sample_weight is None else np.broadcast_to(np.asarray(sample_weight, np.float64), values.shape)
        self._total += float((values * w).sum())
        self._count += float(w.sum())

    def get_config(self):
        return {"name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class BinaryAccuracy(Metric):
    _kind = "binary_accuracy"

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        if threshold != 0.5:
            raise ValueError("BinaryAccuracy: only threshold=0.5 is supported by the engine now")
        self.threshold = threshold
        super().__init__(name, dtype)

    def _values(self, y_true, y_pred):
        if y_true.ndim == y_pred.ndim - 1:
            y_true = y_true[..., None]
        return np.mean(y_true == (y_pred > self.threshold), axis=-1)


class CategoricalAccuracy(Metric):
    _kind = "categorical_accuracy"

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(name, dtype)

    def _values(self, y_true, y_pred):
        return (np.argmax(y_true, axis=-1) == np.argmax(y_pred, axis=-1)).astype(np.float64)


class SparseCategoricalAccuracy(Metric):
    _kind = "sparse_categorical_accuracy"

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(name, dtype)

    def _values(self, y_true, y_pred):
        y_true = y_true.reshape(y_pred.shape[:-1])
        return (y_true == np.argmax(y_pred, axis=-1)).astype(np.float64)


class Accuracy(Metric):
    """Keras' 'accuracy' string resolves to one of the three above (see resolve)."""

    _kind = "accuracy"

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(name, dtype)

    def _values(self, y_true, y_pred):
        return (y_true.reshape(y_pred.shape) == y_pred).astype(np.float64)


_CLASSES = {
    "binary_accuracy": BinaryAccuracy,
    "categorical_accuracy": CategoricalAccuracy,
    "sparse_categorical_accuracy": SparseCategoricalAccuracy,
}


def resolve(identifier, output_size, loss_name):
    """(engine kind, display name) for a compile() metric.

    'accuracy' follows Keras: binary when the output has one unit, sparse when the loss
    takes integer labels, categorical otherwise.
    """
    if isinstance(identifier, str) and identifier in ("accuracy", "acc"):
        if output_size == 1:
            kind = "binary_accuracy"
        elif loss_name == "sparse_categorical_crossentropy":
            kind = "sparse_categorical_accuracy"
        else:
            kind = "categorical_accuracy"
        return kind, identifier
    if isinstance(identifier, str) and identifier in _CLASSES:
        return identifier, identifier
    if isinstance(identifier, Metric) and identifier._kind in _CLASSES:
        return identifier._kind, identifier.name
    if isinstance(identifier, Accuracy):
        return resolve("accuracy", output_size, loss_name)[0], identifier.name
    raise ValueError(
        f"compile: unknown metric {identifier!r}; expected 'accuracy' or one of {', '.join(_CLASSES)} "
        "(or a metric object of those types)"
    )


def get(identifier):
    if isinstance(identifier, Metric):
        return identifier
    if identifier in ("accuracy", "acc"):
        return Accuracy()
    if identifier in _CLASSES:
        return _CLASSES[identifier]()
    raise ValueError(f"metrics.get: unknown metric {identifier!r}")
