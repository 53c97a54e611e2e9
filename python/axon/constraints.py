"""Weight constraints (`axon.constraints`), Keras 3 names, defaults and formulas.

The engine projects a constrained weight right after every optimizer step
(cpp/core/constraints.cpp); calling a constraint on an array here runs that same code
in float64. Norms are L2 over `axis` (an int or a list of ints, as in Keras), and every
division adds Keras' epsilon (1e-7) to the norm.
"""

import numbers

from axon import _core
from axon._numpy_on_first_use import numpy_on_first_use
from axon.utils import serialization

np = numpy_on_first_use(globals())  # imports numpy on first use: `import axon` stays fast


def _number(cls, name, value, minimum=None):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise ValueError(f"{cls}: {name} must be a finite number, got {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{cls}: {name} must be >= {minimum}, got {value!r}")
    return value


def _axis(cls, axis):
    axes = list(axis) if isinstance(axis, (list, tuple)) else [axis]
    if not axes or any(isinstance(a, bool) or not isinstance(a, numbers.Integral) for a in axes):
        raise ValueError(f"{cls}: axis must be an integer or a list of integers, got {axis!r}")
    return list(axis) if isinstance(axis, (list, tuple)) else int(axis)


class Constraint:
    _kind = None

    def _spec_numbers(self):
        """(min_value, max_value, rate) for the engine."""
        return 0.0, 0.0, 1.0

    def _axes(self):
        return [0]

    def spec(self):
        """(kind, min_value, max_value, rate, axes) for the engine."""
        lo, hi, rate = self._spec_numbers()
        return (self._kind, float(lo), float(hi), float(rate), [int(a) for a in self._axes()])

    def __call__(self, w):
        w = np.asarray(w)
        out = _core.constrain(self.spec(), np.asarray(w, dtype=np.float64))
        return out.astype(w.dtype) if w.dtype.kind == "f" else out

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class _NormConstraint(Constraint):
    def __init__(self, axis=0):
        self.axis = _axis(type(self).__name__, axis)

    def _axes(self):
        return self.axis if isinstance(self.axis, list) else [self.axis]


class MaxNorm(_NormConstraint):
    """w * clip(norm, 0, max_value) / (eps + norm): norms above max_value are scaled down."""

    _kind = "max_norm"

    def __init__(self, max_value=2, axis=0):
        super().__init__(axis)
        self.max_value = _number("MaxNorm", "max_value", max_value, minimum=0)

    def _spec_numbers(self):
        return 0.0, self.max_value, 1.0

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


class MinMaxNorm(_NormConstraint):
    """w * (rate * clip(norm, min_value, max_value) + (1 - rate) * norm) / (eps + norm)."""

    _kind = "min_max_norm"

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        super().__init__(axis)
        self.min_value = _number("MinMaxNorm", "min_value", min_value, minimum=0)
        self.max_value = _number("MinMaxNorm", "max_value", max_value, minimum=0)
        self.rate = _number("MinMaxNorm", "rate", rate)
        if self.max_value < self.min_value:
            raise ValueError(f"MinMaxNorm: max_value must be >= min_value, got min_value={min_value}, "
                             f"max_value={max_value}")

    def _spec_numbers(self):
        return self.min_value, self.max_value, self.rate

    def get_config(self):
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate, "axis": self.axis}


class NonNeg(Constraint):
    """max(w, 0)."""

    _kind = "non_neg"


class UnitNorm(_NormConstraint):
    """w / (eps + norm)."""

    _kind = "unit_norm"

    def get_config(self):
        return {"axis": self.axis}


# Keras' function-style names.
max_norm, min_max_norm, non_neg, unit_norm = MaxNorm, MinMaxNorm, NonNeg, UnitNorm

_CLASSES = serialization.class_table(MaxNorm, MinMaxNorm, NonNeg, UnitNorm)
_ALIASES = {"max_norm": MaxNorm, "min_max_norm": MinMaxNorm, "non_neg": NonNeg, "unit_norm": UnitNorm}


def serialize(obj):
    return serialization.serialize(obj)


def deserialize(config):
    return serialization.deserialize(config, _CLASSES, "constraints")


def get(identifier):
    if identifier is None:
        return None
    if isinstance(identifier, type) and issubclass(identifier, Constraint):
        return identifier()
    return serialization.get(identifier, Constraint, _ALIASES, _CLASSES, "constraints",
                             "None, a Constraint or one of " + ", ".join(sorted(_ALIASES)))
