"""Optimizers (`axon.optimizers`), Keras 3 arguments, defaults and update rules.

An optimizer object holds its config until compile() attaches it to a model; from then on
the engine holds the state (slots in the parameter arena, the iteration count) and
`learning_rate` reads and writes the engine's value.
"""

import numbers

from axon.utils import serialization


class Optimizer:
    _core_name = None
    _defaults = {}

    def __init__(self, learning_rate=0.001, name=None, **kwargs):
        unsupported = sorted(k for k, v in kwargs.items() if v is not None and k in (
            "weight_decay", "clipnorm", "clipvalue", "global_clipnorm", "use_ema", "loss_scale_factor",
            "gradient_accumulation_steps"))
        if unsupported:
            raise ValueError(f"{type(self).__name__}: {', '.join(unsupported)} not supported yet")
        unknown = sorted(set(kwargs) - {"weight_decay", "clipnorm", "clipvalue", "global_clipnorm", "use_ema",
                                        "ema_momentum", "ema_overwrite_frequency", "loss_scale_factor",
                                        "gradient_accumulation_steps"})
        if unknown:
            raise TypeError(f"{type(self).__name__}: unexpected argument(s) {', '.join(unknown)}")
        self.name = name or type(self).__name__.lower()
        self._learning_rate = _number("learning_rate", learning_rate, type(self).__name__)
        self._core = None

    # --- state shared with the engine once compiled ---
    @property
    def learning_rate(self):
        return self._core.learning_rate if self._core is not None else self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        value = _number("learning_rate", value, type(self).__name__)
        self._learning_rate = value
        if self._core is not None:
            self._core.learning_rate = value

    @property
    def iterations(self):
        return self._core.iterations if self._core is not None else 0

    def _attach(self, core):
        self._core = core

    def _core_config(self):
        config = {"learning_rate": self._learning_rate}
        for key in self._defaults:
            config[key] = float(getattr(self, key))
        return config

    def get_config(self):
        config = {"name": self.name, "learning_rate": self.learning_rate}
        for key in self._defaults:
            config[key] = getattr(self, key)
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _number(arg, value, owner):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{owner}: {arg} must be a number, got {value!r}")
    value = float(value)
    if value < 0:
        raise ValueError(f"{owner}: {arg} must be >= 0, got {value}")
    return value


class SGD(Optimizer):
    _core_name = "sgd"
    _defaults = {"momentum": 0.0, "nesterov": False}

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, name="SGD", **kwargs):
        super().__init__(learning_rate, name, **kwargs)
        self.momentum = _number("momentum", momentum, "SGD")
        if self.momentum > 1:
            raise ValueError(f"SGD: momentum must be in [0, 1], got {momentum}")
        self.nesterov = bool(nesterov)


class Adam(Optimizer):
    _core_name = "adam"
    _defaults = {"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7, "amsgrad": False}

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False, name="adam", **kwargs):
        super().__init__(learning_rate, name, **kwargs)
        self.beta_1 = _number("beta_1", beta_1, "Adam")
        self.beta_2 = _number("beta_2", beta_2, "Adam")
        self.epsilon = _number("epsilon", epsilon, "Adam")
        self.amsgrad = bool(amsgrad)


class RMSprop(Optimizer):
    _core_name = "rmsprop"
    _defaults = {"rho": 0.9, "momentum": 0.0, "epsilon": 1e-7, "centered": False}

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False, name="rmsprop", **kwargs):
        super().__init__(learning_rate, name, **kwargs)
        self.rho = _number("rho", rho, "RMSprop")
        self.momentum = _number("momentum", momentum, "RMSprop")
        self.epsilon = _number("epsilon", epsilon, "RMSprop")
        self.centered = bool(centered)


class Adagrad(Optimizer):
    _core_name = "adagrad"
    _defaults = {"initial_accumulator_value": 0.1, "epsilon": 1e-7}

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7, name="adagrad", **kwargs):
        super().__init__(learning_rate, name, **kwargs)
        self.initial_accumulator_value = _number("initial_accumulator_value", initial_accumulator_value, "Adagrad")
        self.epsilon = _number("epsilon", epsilon, "Adagrad")


_ALIASES = {"sgd": SGD, "adam": Adam, "rmsprop": RMSprop, "adagrad": Adagrad}


_CLASSES = serialization.class_table(SGD, Adam, RMSprop, Adagrad)


def serialize(obj):
    return serialization.serialize(obj)


def deserialize(config):
    return serialization.deserialize(config, _CLASSES, "optimizers")
def get(identifier):
    if isinstance(identifier, str) and identifier.lower() in _ALIASES:  # Keras accepts 'Adam' and 'adam'
        return _ALIASES[identifier.lower()]()
    return serialization.get(identifier, Optimizer, {}, _CLASSES, "optimizers",
                             "an Optimizer or one of sgd, adam, rmsprop, adagrad")
