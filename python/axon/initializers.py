"""Weight initializers (`axon.initializers`), Keras 3 names, defaults and formulas.

An initializer is a config; the engine draws the values from its counter-based generator
(cpp/core/initializers.cpp), so a seed (the initializer's own, or the next global one)
fixes them, and `initializer(shape)` returns exactly what a layer would start with.
"""

import numbers

from axon import _core, config
from axon.utils import serialization
from axon.utils.rng_utils import resolve_seed


def _number(cls, name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{cls}: {name} must be a number, got {value!r}")
    return float(value)


class Initializer:
    _kind = None

    def __init__(self, seed=None):
        if seed is not None:
            resolve_seed(seed)  # validates now, so a bad seed fails where it is written
        self.seed = seed

    def _params(self):
        """(a, b, mode, distribution): the engine's numbers for this initializer."""
        return 0.0, 0.0, "fan_in", "truncated_normal"

    def spec(self):
        """(kind, a, b, seed, mode, distribution) for the engine; draws a global seed when none was given."""
        a, b, mode, distribution = self._params()
        return (self._kind, float(a), float(b), resolve_seed(self.seed), mode, distribution)

    def __call__(self, shape, dtype=None):
        kind, a, b, seed, mode, distribution = self.spec()
        values = _core.initialize(kind, a, b, seed, [int(d) for d in shape], mode, distribution)
        return values.astype(dtype or config.floatx())

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
        self.value = _number("Constant", "value", value)

    def _params(self):
        return self.value, 0.0, "", ""

    def get_config(self):
        return {"value": self.value}


class RandomNormal(Initializer):
    _kind = "random_normal"

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        name = type(self).__name__
        self.mean, self.stddev = _number(name, "mean", mean), _number(name, "stddev", stddev)
        if self.stddev < 0:
            raise ValueError(f"{name}: stddev must be >= 0, got {stddev}")

    def _params(self):
        return self.mean, self.stddev, "", ""

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class TruncatedNormal(RandomNormal):
    """Normal values more than two standard deviations from the mean are redrawn."""

    _kind = "truncated_normal"


class RandomUniform(Initializer):
    _kind = "random_uniform"

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        super().__init__(seed)
        self.minval, self.maxval = _number("RandomUniform", "minval", minval), _number("RandomUniform", "maxval", maxval)
        if self.maxval < self.minval:
            raise ValueError(f"RandomUniform: maxval must be >= minval, got minval={minval}, maxval={maxval}")

    def _params(self):
        return self.minval, self.maxval, "", ""

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


class VarianceScaling(Initializer):
    """stddev (after truncation) or uniform limit scaled by `scale / n`, n = fan_in,
    fan_out or their mean: uniform in [-sqrt(3 scale / n), sqrt(3 scale / n)], or normal
    with stddev sqrt(scale / n) (truncated at two stddevs and rescaled by 0.8796...)."""

    _kind = "variance_scaling"
    _MODES = ("fan_in", "fan_out", "fan_avg")
    _DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None):
        super().__init__(seed)
        scale = _number("VarianceScaling", "scale", scale)
        if not scale > 0:
            raise ValueError(f"VarianceScaling: scale must be a positive number, got {scale}")
        if mode not in self._MODES:
            raise ValueError(f"VarianceScaling: mode must be one of {', '.join(self._MODES)}, got {mode!r}")
        dist = distribution.lower() if isinstance(distribution, str) else distribution
        dist = "truncated_normal" if dist == "normal" else dist  # Keras' legacy spelling
        if dist not in self._DISTRIBUTIONS:
            raise ValueError(f"VarianceScaling: distribution must be one of {', '.join(self._DISTRIBUTIONS)}, "
                             f"got {distribution!r}")
        self.scale, self.mode, self.distribution = scale, mode, dist

    def _params(self):
        return self.scale, 0.0, self.mode, self.distribution

    def get_config(self):
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution, "seed": self.seed}


class _FixedScaling(VarianceScaling):
    """A Keras VarianceScaling subclass: fixed arguments, so the config is the seed alone."""

    _args = None  # (scale, mode, distribution)

    def __init__(self, seed=None):
        super().__init__(*self._args, seed=seed)

    def get_config(self):
        return {"seed": self.seed}


class GlorotUniform(_FixedScaling):
    """Uniform in +-sqrt(6 / (fan_in + fan_out))."""

    _args = (1.0, "fan_avg", "uniform")


class GlorotNormal(_FixedScaling):
    """Truncated normal with stddev sqrt(2 / (fan_in + fan_out))."""

    _args = (1.0, "fan_avg", "truncated_normal")


class HeUniform(_FixedScaling):
    """Uniform in +-sqrt(6 / fan_in)."""

    _args = (2.0, "fan_in", "uniform")


class HeNormal(_FixedScaling):
    """Truncated normal with stddev sqrt(2 / fan_in)."""

    _args = (2.0, "fan_in", "truncated_normal")


class LecunUniform(_FixedScaling):
    """Uniform in +-sqrt(3 / fan_in)."""

    _args = (1.0, "fan_in", "uniform")


class LecunNormal(_FixedScaling):
    """Truncated normal with stddev sqrt(1 / fan_in)."""

    _args = (1.0, "fan_in", "truncated_normal")


class OrthogonalInitializer(Initializer):
    """gain * Q from the QR decomposition of a normal matrix; shapes of rank > 2 are seen as
    (prod(shape[:-1]), shape[-1]). Orthonormal columns, or rows when there are fewer rows."""

    _kind = "orthogonal"

    def __init__(self, gain=1.0, seed=None):
        super().__init__(seed)
        self.gain = _number("OrthogonalInitializer", "gain", gain)

    def _params(self):
        return self.gain, 0.0, "", ""

    def get_config(self):
        return {"gain": self.gain, "seed": self.seed}


class Identity(Initializer):
    """gain * eye(rows, cols); 2-D shapes only."""

    _kind = "identity"

    def __init__(self, gain=1.0):
        super().__init__(None)
        self.gain = _number("Identity", "gain", gain)

    def _params(self):
        return self.gain, 0.0, "", ""

    def get_config(self):
        return {"gain": self.gain}  # Keras 3 drops gain here; a round trip should keep it


Orthogonal = OrthogonalInitializer
IdentityInitializer = Identity

# Keras' function-style names (keras.initializers.he_normal is the class).
zeros, ones, constant = Zeros, Ones, Constant
random_normal, random_uniform, truncated_normal = RandomNormal, RandomUniform, TruncatedNormal
variance_scaling, orthogonal, identity = VarianceScaling, OrthogonalInitializer, Identity
glorot_normal, glorot_uniform, he_normal, he_uniform = GlorotNormal, GlorotUniform, HeNormal, HeUniform
lecun_normal, lecun_uniform = LecunNormal, LecunUniform

_CLASSES = serialization.class_table(Zeros, Ones, Constant, RandomNormal, RandomUniform, TruncatedNormal,
                                     VarianceScaling, GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal,
                                     LecunUniform, OrthogonalInitializer, Identity)
_CLASSES.update(Orthogonal=OrthogonalInitializer, IdentityInitializer=Identity)

# Keras 3 accepts each class's snake_case name plus a few aliases.
_ALIASES = {
    "zeros": Zeros, "zero": Zeros, "ones": Ones, "one": Ones, "constant": Constant,
    "random_normal": RandomNormal, "normal": RandomNormal,
    "random_uniform": RandomUniform, "uniform": RandomUniform,
    "truncated_normal": TruncatedNormal, "variance_scaling": VarianceScaling,
    "glorot_normal": GlorotNormal, "glorot_uniform": GlorotUniform,
    "he_normal": HeNormal, "he_uniform": HeUniform,
    "lecun_normal": LecunNormal, "lecun_uniform": LecunUniform,
    "orthogonal": OrthogonalInitializer, "orthogonal_initializer": OrthogonalInitializer,
    "identity": Identity, "identity_initializer": Identity,
}


def serialize(obj):
    return serialization.serialize(obj)


def deserialize(config):
    return serialization.deserialize(config, _CLASSES, "initializers")


def get(identifier):
    if isinstance(identifier, type) and issubclass(identifier, Initializer):
        return identifier()
    return serialization.get(identifier, Initializer, _ALIASES, _CLASSES, "initializers",
                             "an Initializer or one of " + ", ".join(sorted(_ALIASES)))
