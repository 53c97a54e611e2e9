"""Probabilistic metrics (keras/src/metrics/probabilistic_metrics.py)."""

from axon.metrics.base import Metric


class _FromLogits(Metric):
    def __init__(self, name, dtype, from_logits, label_smoothing=0.0, axis=-1):
        super().__init__(name, dtype)
        if axis != -1:
            raise ValueError(f"{type(self).__name__}: only axis=-1 (the last axis) is supported, got {axis!r}")
        if not 0 <= label_smoothing <= 1:
            raise ValueError(f"{type(self).__name__}: label_smoothing must be in [0, 1], got {label_smoothing!r}")
        self.from_logits = bool(from_logits)
        self.label_smoothing = float(label_smoothing)
        self.axis = axis

    def _options(self):
        return {"from_logits": self.from_logits, "label_smoothing": self.label_smoothing}


class BinaryCrossentropy(_FromLogits):
    _kind = "binary_crossentropy"

    def __init__(self, name="binary_crossentropy", dtype=None, from_logits=False, label_smoothing=0):
        super().__init__(name, dtype, from_logits, label_smoothing)

    def get_config(self):
        return {**super().get_config(), "from_logits": self.from_logits, "label_smoothing": self.label_smoothing}


class CategoricalCrossentropy(_FromLogits):
    _kind = "categorical_crossentropy"

    def __init__(self, name="categorical_crossentropy", dtype=None, from_logits=False, label_smoothing=0, axis=-1):
        super().__init__(name, dtype, from_logits, label_smoothing, axis)

    def get_config(self):
        return {**super().get_config(), "from_logits": self.from_logits, "label_smoothing": self.label_smoothing,
                "axis": self.axis}


class SparseCategoricalCrossentropy(_FromLogits):
    _kind = "sparse_categorical_crossentropy"

    def __init__(self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False, axis=-1):
        super().__init__(name, dtype, from_logits, 0.0, axis)

    def get_config(self):
        return {**super().get_config(), "from_logits": self.from_logits, "axis": self.axis}


class KLDivergence(Metric):
    _kind = "kl_divergence"

    def __init__(self, name="kl_divergence", dtype=None):
        super().__init__(name, dtype)


class Poisson(Metric):
    _kind = "poisson"

    def __init__(self, name="poisson", dtype=None):
        super().__init__(name, dtype)
