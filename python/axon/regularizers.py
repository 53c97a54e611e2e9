"""Weight regularizers (`axon.regularizers`): penalties the engine adds to the loss.

The engine computes every penalty and its gradient (cpp/core/regularizers.cpp); calling a
regularizer on an array here runs that same code in float64.
"""

from axon import _core
from axon._numpy_on_first_use import numpy_on_first_use
from axon.utils import serialization

np = numpy_on_first_use(globals())  # imports numpy on first use: `import axon` stays fast


class Regularizer:
    def __call__(self, x):
        return _core.regularize(self.spec(), np.asarray(x, dtype=np.float64))[0]

    def spec(self):
        raise NotImplementedError

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _check(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"regularizers: {name} must be a non-negative number, got {value!r}")
    value = float(value)
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"regularizers: {name} must be a non-negative number, got {value}")
    return value


class L1L2(Regularizer):
    """penalty = l1 * sum(|x|) + l2 * sum(x**2)"""

    def __init__(self, l1=0.0, l2=0.0):
        # None means "no penalty" here, and the default 0.01 in L1/L2, as in Keras 3.
        self.l1 = _check("l1", 0.0 if l1 is None else l1)
        self.l2 = _check("l2", 0.0 if l2 is None else l2)

    def spec(self):
        return ("l1l2", self.l1, self.l2)

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(L1L2):
    def __init__(self, l1=0.01):
        super().__init__(l1=0.01 if l1 is None else l1)

    def get_config(self):
        return {"l1": self.l1}


class L2(L1L2):
    def __init__(self, l2=0.01):
        super().__init__(l2=0.01 if l2 is None else l2)

    def get_config(self):
        return {"l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """Pushes the rows (mode='rows') or columns of a rank-2 tensor towards orthogonality:
    with u_i the L2-normalized vectors, penalty = factor * mean_{i<j} |u_i . u_j|
    (Keras 3: factor * 0.5 * sum_{i != j} |u_i . u_j| / (n (n - 1) / 2)). Fewer than two
    vectors give 0 where Keras divides 0 by 0."""

    def __init__(self, factor=0.01, mode="rows"):
        self.factor = _check("factor", factor)
        if mode not in ("rows", "columns"):
            raise ValueError(f"OrthogonalRegularizer: mode must be 'rows' or 'columns', got {mode!r}")
        self.mode = mode

    def spec(self):
        return ("orthogonal", self.factor, self.mode)

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


# Keras' function-style aliases.
l1 = L1
l2 = L2
orthogonal_regularizer = OrthogonalRegularizer


def l1_l2(l1=0.01, l2=0.01):
    return L1L2(l1=l1, l2=l2)


_ALIASES = {"l1": L1, "l2": L2, "l1_l2": l1_l2, "l1l2": L1L2, "orthogonal_regularizer": OrthogonalRegularizer}


_CLASSES = serialization.class_table(L1, L2, L1L2, OrthogonalRegularizer)


def serialize(obj):
    return serialization.serialize(obj)


def deserialize(config):
    return serialization.deserialize(config, _CLASSES, "regularizers")


def get(identifier):
    if identifier is None:
        return None
    return serialization.get(identifier, Regularizer, _ALIASES, _CLASSES, "regularizers",
                             "None, a Regularizer, 'l1', 'l2', 'l1_l2' or 'orthogonal_regularizer'")
