"""Activation layers: ReLU, LeakyReLU, PReLU, ELU, Softmax (Keras 3 arguments and defaults).

ReLU, LeakyReLU, ELU and Softmax have no weights: the engine runs them as an Activation
layer with the corresponding activation's arguments. PReLU learns its slope `alpha`.
"""

import numbers

from axon import initializers, regularizers
from axon.layers._sizes import axis_int, check_int64
from axon.layers.base import Layer


def _number(layer, name, value, minimum=None):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{layer._where()}: {name} must be a number, got {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{layer._where()}: {name} cannot be negative, got {value!r}")
    return float(value)


class _ActivationLayer(Layer):
    def _spec(self):
        raise NotImplementedError

    def _add_to(self, core, input_node):
        return core.add_activation(self.name, self._spec(), None, input_node, type(self).__name__)


class ReLU(_ActivationLayer):
    """max(x, 0), optionally clipped at max_value, leaky below threshold with negative_slope."""

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        self.max_value = None if max_value is None else _number(self, "max_value", max_value, 0.0)
        if negative_slope is None:
            raise ValueError(f"ReLU '{self.name}': negative_slope cannot be None")
        if threshold is None:
            raise ValueError(f"ReLU '{self.name}': threshold cannot be None")
        self.negative_slope = _number(self, "negative_slope", negative_slope, 0.0)
        self.threshold = _number(self, "threshold", threshold, 0.0)

    def _spec(self):
        return ("relu", self.negative_slope, self.max_value, self.threshold, None)

    def get_config(self):
        config = super().get_config()
        config.update(max_value=self.max_value, negative_slope=self.negative_slope, threshold=self.threshold)
        return config


class LeakyReLU(_ActivationLayer):
    """x for x >= 0, negative_slope * x otherwise (Keras 3 layer default 0.3)."""

    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:  # the Keras 2 name, still accepted by Keras 3
            negative_slope = kwargs.pop("alpha")
        super().__init__(**kwargs)
        if negative_slope is None:
            raise ValueError(f"LeakyReLU '{self.name}': negative_slope cannot be None")
        self.negative_slope = _number(self, "negative_slope", negative_slope, 0.0)

    def _spec(self):
        return ("leaky_relu", self.negative_slope, None, None, None)

    def get_config(self):
        config = super().get_config()
        config["negative_slope"] = self.negative_slope
        return config


class ELU(_ActivationLayer):
    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = _number(self, "alpha", alpha)

    def _spec(self):
        return ("elu", self.alpha, None, None, None)

    def get_config(self):
        config = super().get_config()
        config["alpha"] = self.alpha
        return config


class Softmax(_ActivationLayer):
    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise ValueError(f"Softmax '{self.name}': axis must be an integer, got {axis!r}")
        self.axis = axis_int(axis, "axis", self._where())

    def _spec(self):
        return ("softmax", None, None, None, self.axis)

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config


class PReLU(Layer):
    """x for x >= 0, alpha * x otherwise, with alpha learned per feature (shared along
    `shared_axes`, Keras numbering: 1 is the first axis after the batch)."""

    def __init__(self, alpha_initializer="Zeros", alpha_regularizer=None, alpha_constraint=None, shared_axes=None,
                 **kwargs):
        super().__init__(**kwargs)
        if alpha_constraint is not None:
            raise ValueError(f"PReLU '{self.name}': constraints are not supported yet")
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = None
        if shared_axes is None:
            self.shared_axes = None
        else:
            axes = [shared_axes] if isinstance(shared_axes, int) else list(shared_axes)
            if any(isinstance(a, bool) or not isinstance(a, int) or a == 0 for a in axes):
                raise ValueError(f"PReLU '{self.name}': shared_axes must be non-zero integers (1 is the first "
                                 f"axis after the batch), got {shared_axes!r}")
            self.shared_axes = [check_int64(a, "shared_axes entry", self._where()) for a in axes]

    def _weight_names(self):
        return ["alpha"]

    @property
    def alpha(self):
        return self.weights[0]

    def _add_to(self, core, input_node):
        reg = None if self.alpha_regularizer is None else self.alpha_regularizer.spec()
        return core.add_prelu(self.name, self.alpha_initializer.spec(), reg, list(self.shared_axes or []), input_node)

    def get_config(self):
        config = super().get_config()
        config.update(
            alpha_initializer=initializers.serialize(self.alpha_initializer),
            alpha_regularizer=self.alpha_regularizer and regularizers.serialize(self.alpha_regularizer),
            alpha_constraint=None,
            shared_axes=self.shared_axes,
        )
        return config
