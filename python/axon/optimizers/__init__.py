"""Optimizers (`axon.optimizers`), Keras 3 arguments, defaults and update rules.

The update rules run in the engine (cpp/optimizers/); these classes hold the config.
Every optimizer also takes the base arguments of `Optimizer` (weight_decay, clipnorm,
clipvalue, global_clipnorm, name) and a float or a schedule as `learning_rate`.
"""

from axon.optimizers import schedules
from axon.optimizers.base import Optimizer, _number
from axon.utils import serialization


class SGD(Optimizer):
    _core_name = "sgd"

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, name="SGD", **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        if _number("SGD", "momentum", momentum) > 1:
            raise ValueError(f"SGD: momentum must be in [0, 1], got {momentum}")
        self._own(momentum=momentum, nesterov=nesterov)


class RMSprop(Optimizer):
    _core_name = "rmsprop"

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False, name="rmsprop",
                 **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        for arg, value in (("rho", rho), ("momentum", momentum), ("epsilon", epsilon)):
            _number("RMSprop", arg, value)
        self._own(rho=rho, momentum=momentum, epsilon=epsilon, centered=centered)


class Adagrad(Optimizer):
    _core_name = "adagrad"

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7, name="adagrad", **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        _number("Adagrad", "initial_accumulator_value", initial_accumulator_value)
        _number("Adagrad", "epsilon", epsilon)
        self._own(initial_accumulator_value=initial_accumulator_value, epsilon=epsilon)


class Adadelta(Optimizer):
    _core_name = "adadelta"

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, name="adadelta", **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        _number("Adadelta", "rho", rho)
        _number("Adadelta", "epsilon", epsilon)
        self._own(rho=rho, epsilon=epsilon)


class Adam(Optimizer):
    _core_name = "adam"

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False, name="adam",
                 **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        for arg, value in (("beta_1", beta_1), ("beta_2", beta_2), ("epsilon", epsilon)):
            _number(type(self).__name__, arg, value)
        self._own(beta_1=beta_1, beta_2=beta_2, epsilon=epsilon, amsgrad=amsgrad)


class AdamW(Adam):
    """Adam with decoupled weight decay (w -= lr * weight_decay * w before each update)."""

    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, name="adamw", **kwargs):
        if weight_decay is None:
            raise ValueError("AdamW: Argument `weight_decay` must be a float. Received: weight_decay=None")
        super().__init__(learning_rate, beta_1, beta_2, epsilon, amsgrad, name=name, weight_decay=weight_decay,
                         **kwargs)


class _Moments(Optimizer):
    """Shared arguments of Adamax and Nadam."""

    def __init__(self, learning_rate, beta_1, beta_2, epsilon, name, **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        for arg, value in (("beta_1", beta_1), ("beta_2", beta_2), ("epsilon", epsilon)):
            _number(type(self).__name__, arg, value)
        self._own(beta_1=beta_1, beta_2=beta_2, epsilon=epsilon)


class Adamax(_Moments):
    _core_name = "adamax"

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name="adamax", **kwargs):
        super().__init__(learning_rate, beta_1, beta_2, epsilon, name, **kwargs)


class Nadam(_Moments):
    _core_name = "nadam"

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name="nadam", **kwargs):
        super().__init__(learning_rate, beta_1, beta_2, epsilon, name, **kwargs)


class Lion(Optimizer):
    _core_name = "lion"

    # Keras 3's default learning rate is 0.001 (lion.py), not the paper's 1e-4.
    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99, name="lion", **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        if _number("Lion", "beta_1", beta_1, minimum=None) <= 0 or beta_1 > 1:
            raise ValueError(f"Lion: Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer "
                             f"degenerates to SignSGD. Received: beta_1={beta_1}.")
        _number("Lion", "beta_2", beta_2)
        self._own(beta_1=beta_1, beta_2=beta_2)


class Ftrl(Optimizer):
    _core_name = "ftrl"

    def __init__(self, learning_rate=0.001, learning_rate_power=-0.5, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 l2_shrinkage_regularization_strength=0.0, beta=0.0, name="ftrl", **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        if _number("Ftrl", "learning_rate_power", learning_rate_power, minimum=None) > 0:
            raise ValueError("Ftrl: `learning_rate_power` needs to be negative or zero. Received: "
                             f"learning_rate_power={learning_rate_power}.")
        for arg, value in (("initial_accumulator_value", initial_accumulator_value),
                           ("l1_regularization_strength", l1_regularization_strength),
                           ("l2_regularization_strength", l2_regularization_strength),
                           ("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength)):
            _number("Ftrl", arg, value)
        self._own(learning_rate_power=learning_rate_power, initial_accumulator_value=initial_accumulator_value,
                  l1_regularization_strength=l1_regularization_strength,
                  l2_regularization_strength=l2_regularization_strength,
                  l2_shrinkage_regularization_strength=l2_shrinkage_regularization_strength, beta=beta)


_ALL = (SGD, RMSprop, Adagrad, Adadelta, Adam, AdamW, Adamax, Nadam, Lion, Ftrl)
_CLASSES = serialization.class_table(*_ALL)
_ALIASES = {cls.__name__.lower(): cls for cls in _ALL}  # Keras accepts 'Adam' and 'adam'


def serialize(optimizer):
    return serialization.serialize(optimizer)


def deserialize(config):
    if isinstance(config, dict) and str(config.get("class_name", "")).lower() in _ALIASES:  # case-insensitive, as Keras
        config = dict(config, class_name=_ALIASES[config["class_name"].lower()].__name__)
    return serialization.deserialize(config, _CLASSES, "optimizers")


def get(identifier):
    if isinstance(identifier, str) and identifier.lower() in _ALIASES:
        return _ALIASES[identifier.lower()]()
    return serialization.get(identifier, Optimizer, {}, _CLASSES, "optimizers",
                             "an Optimizer or one of " + ", ".join(_ALIASES))


__all__ = ["Optimizer", "schedules", "serialize", "deserialize", "get"] + [cls.__name__ for cls in _ALL]
