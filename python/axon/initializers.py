"""Weight initializers (`axon.initializers`), Keras names and defaults.

An initializer is a config; the engine draws the values from its counter-based generator,
so a seed (the initializer's own, or the next global one) fixes them.
"""

from axon import _core
from axon.utils import serialization
from axon.utils.rng_utils import resolve_seed


class Initializer:
    _kind = None

    def __init__(self, seed=None):
        self.seed = seed

    def _ab(self):
        return 0.0, 0.0

    def spec(self):
        """(kind, a, b, seed) for the engine; draws a global seed when none was given."""
        a, b = self._ab()
        return (self._kind, float(a), float(b), resolve_seed(self.seed))

    def __call__(self, shape, dtype=None):
        kind, a, b, seed = self.spec()
        values = _core.initialize(kind, a, b, seed, [int(d) for d in shape])
        return values.astype(dtype or "float32")

    def get_config(self):
        return {"seed": self.seed}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class Zeros(Initializer):
    _kind = "zeros"

    def __init__(self):
        super().__init__(None)

    def get_config(self):
        return {}


class Ones(Zeros):
    _kind = "ones"


class Constant(Initializer):
    _kind = "constant"

    def __init__(self, value=0.0):
        super().__init__(None)
        self.value = float(value)

    def _ab(self):
        return self.value, 0.0

    def get_config(self):
        return {"value": self.value}


class RandomNormal(Initializer):
    _kind = "random_normal"

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        if stddev < 0:
            raise ValueError(f"RandomNormal: stddev must be >= 0, got {stddev}")
        self.mean, self.stddev = float(mean), float(stddev)

    def _ab(self):
        return self.mean, self.stddev

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class RandomUniform(Initializer):
    _kind = "random_uniform"

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        super().__init__(seed)
        if maxval < minval:
            raise ValueError(f"RandomUniform: maxval must be >= minval, got minval={minval}, maxval={maxval}")
        self.minval, self.maxval = float(minval), float(maxval)

    def _ab(self):
        return self.minval, self.maxval

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


class GlorotUniform(Initializer):
    _kind = "glorot_uniform"


_ALIASES = {
    "zeros": Zeros,
    "ones": Ones,
    "constant": Constant,
    "random_normal": RandomNormal,
    "normal": RandomNormal,  # the course material's kernel_initializer='normal'
    "random_uniform": RandomUniform,
    "uniform": RandomUniform,
    "glorot_uniform": GlorotUniform,
}


_CLASSES = serialization.class_table(Zeros, Ones, Constant, RandomNormal, RandomUniform, GlorotUniform)


def serialize(obj):
    return serialization.serialize(obj)


def deserialize(config):
    return serialization.deserialize(config, _CLASSES, "initializers")
def get(identifier):
    return serialization.get(identifier, Initializer, _ALIASES, _CLASSES, "initializers",
                             "an Initializer or one of " + ", ".join(sorted(k for k in _ALIASES if k.islower())))
