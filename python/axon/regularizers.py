"""Weight regularizers (`axon.regularizers`): penalties the engine adds to the loss."""

import numpy as np

from axon.utils import serialization


class Regularizer:
    def __call__(self, x):
        raise NotImplementedError

    def spec(self):
        raise NotImplementedError

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _check(name, value):
    value = float(value)
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"regularizers: {name} must be a non-negative number, got {value}")
    return value


class L1L2(Regularizer):
    """penalty = l1 * sum(|x|) + l2 * sum(x**2)"""

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _check("l1", l1)
        self.l2 = _check("l2", l2)

    def __call__(self, x):
        x = np.asarray(x, dtype=np.float64)
        return self.l1 * np.abs(x).sum() + self.l2 * np.square(x).sum()

    def spec(self):
        return (self.l1, self.l2)

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(L1L2):
    def __init__(self, l1=0.01):
        super().__init__(l1=l1)

    def get_config(self):
        return {"l1": self.l1}


class L2(L1L2):
    def __init__(self, l2=0.01):
        super().__init__(l2=l2)

    def get_config(self):
        return {"l2": self.l2}


# Keras' function-style aliases.
l1 = L1
l2 = L2


def l1_l2(l1=0.01, l2=0.01):
    return L1L2(l1=l1, l2=l2)


_ALIASES = {"l1": L1, "l2": L2, "l1_l2": l1_l2}


_CLASSES = serialization.class_table(L1, L2, L1L2)


def serialize(obj):
    return serialization.serialize(obj)


def deserialize(config):
    return serialization.deserialize(config, _CLASSES, "regularizers")
def get(identifier):
    if identifier is None:
        return None
    return serialization.get(identifier, Regularizer, _ALIASES, _CLASSES, "regularizers",
                             "None, a Regularizer, 'l1', 'l2' or 'l1_l2'")
