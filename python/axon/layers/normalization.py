"""BatchNormalization, LayerNormalization and GroupNormalization (Keras 3 arguments,
defaults, weights and formulas); the engine's normalization layers do the work."""

import math
import numbers
import warnings

from axon import initializers
from axon.layers._sizes import axis_int, check_int64, is_int
from axon.layers.base import Layer
from axon.layers.core import _set_weight_args, _weight_arg_config, _weight_arg_specs


def _check_axis(layer, name, value):
    return axis_int(value, name, layer._where())


def _check_number(layer, name, value, low, high=None):
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value) and value >= low
    if not ok or (high is not None and value > high):
        span = f">= {low} and finite" if high is None else f"in [{low}, {high}]"
        raise ValueError(f"{layer._where()}: {name} must be a number {span}, got {value!r}")
    return float(value)


class _Normalization(Layer):
    """The gamma/beta arguments the three layers share."""

    def _set_affine_args(self, epsilon, center, scale, beta_initializer, gamma_initializer, beta_regularizer,
                         gamma_regularizer, beta_constraint, gamma_constraint):
        self.epsilon = _check_number(self, "epsilon", epsilon, 0.0)
        self.center, self.scale = bool(center), bool(scale)
        _set_weight_args(self, beta_initializer=beta_initializer, gamma_initializer=gamma_initializer,
                         beta_regularizer=beta_regularizer, gamma_regularizer=gamma_regularizer,
                         beta_constraint=beta_constraint, gamma_constraint=gamma_constraint)

    def _affine_specs(self):
        return dict(epsilon=self.epsilon, center=self.center, scale=self.scale,
                    **_weight_arg_specs(self, ("beta", "gamma")))

    def _affine_config(self):
        return _weight_arg_config(self, ("beta", "gamma"))

    def _weight_names(self):
        return (["gamma"] if self.scale else []) + (["beta"] if self.center else [])

    def _weight(self, name):
        names = self._weight_names()
        return self.weights[names.index(name)] if name in names and self.built else None

    @property
    def gamma(self):
        return self._weight("gamma")

    @property
    def beta(self):
        return self._weight("beta")


class BatchNormalization(_Normalization):
    """Normalizes with the batch's statistics in training and with their moving averages
    (non-trainable weights) in inference; a frozen layer (trainable=False) always uses the
    moving averages, as in Keras."""

    _frozen_weights = ("moving_mean", "moving_variance")

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 synchronized=False, renorm=False, renorm_clipping=None, renorm_momentum=0.99, **kwargs):
        super().__init__(**kwargs)
        self.axis = _check_axis(self, "axis", axis)
        self.momentum = _check_number(self, "momentum", momentum, 0.0, 1.0)
        if synchronized:  # Keras too accepts it only on the TensorFlow backend
            raise ValueError(f"{self._where()}: synchronized=True is not supported (one process, one device)")
        if renorm:
            raise ValueError(f"{self._where()}: renorm=True (batch renormalization) is not supported")
        self.synchronized, self.renorm = False, False
        self.renorm_clipping, self.renorm_momentum = renorm_clipping, renorm_momentum
        self._set_affine_args(epsilon, center, scale, beta_initializer, gamma_initializer, beta_regularizer,
                              gamma_regularizer, beta_constraint, gamma_constraint)
        _set_weight_args(self, moving_mean_initializer=moving_mean_initializer,
                         moving_variance_initializer=moving_variance_initializer)

    def _add_to(self, core, input_node):
        return core.add_batch_normalization(
            self.name, self.axis, self.momentum, self.moving_mean_initializer.spec(),
            self.moving_variance_initializer.spec(), input=input_node, **self._affine_specs())

    def _weight_names(self):
        return super()._weight_names() + ["moving_mean", "moving_variance"]

    @property
    def moving_mean(self):
        return self._weight("moving_mean")

    @property
    def moving_variance(self):
        return self._weight("moving_variance")

    def get_config(self):
        config = super().get_config()
        config.update(axis=self.axis, momentum=self.momentum, epsilon=self.epsilon, center=self.center,
                      scale=self.scale)
        affine = self._affine_config()
        config.update(beta_initializer=affine.pop("beta_initializer"),
                      gamma_initializer=affine.pop("gamma_initializer"),
                      moving_mean_initializer=initializers.serialize(self.moving_mean_initializer),
                      moving_variance_initializer=initializers.serialize(self.moving_variance_initializer))
        config.update(affine)
        config.update(synchronized=self.synchronized, renorm=self.renorm, renorm_clipping=self.renorm_clipping,
                      renorm_momentum=self.renorm_momentum)
        return config


class LayerNormalization(_Normalization):
    """Normalizes each sample over `axis` (an int or a list of axes)."""

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, rms_scaling=False, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            if not axis:
                raise ValueError(f"{self._where()}: axis must name at least one axis, got {axis!r}")
            self.axis = [_check_axis(self, "axis", a) for a in axis]
        else:
            if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
                raise TypeError(f"{self._where()}: expected an int or a list/tuple of ints for axis, got {axis!r}")
            self.axis = axis_int(axis, "axis", self._where())
        self.rms_scaling = bool(rms_scaling)
        if self.rms_scaling:  # as Keras 3 warns: it divides by the standard deviation, not the RMS
            warnings.warn(f"{self._where()}: rms_scaling=True is deprecated in Keras 3; it scales the input by the "
                          "variance about the mean (x / sqrt(var + epsilon)), not by its root mean square",
                          DeprecationWarning, stacklevel=2)
        self._set_affine_args(epsilon, center, scale, beta_initializer, gamma_initializer, beta_regularizer,
                              gamma_regularizer, beta_constraint, gamma_constraint)

    def _add_to(self, core, input_node):
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        return core.add_layer_normalization(self.name, axes, self.rms_scaling, input=input_node,
                                            **self._affine_specs())

    def _weight_names(self):
        gamma = self.scale or self.rms_scaling
        beta = self.center and not self.rms_scaling
        return (["gamma"] if gamma else []) + (["beta"] if beta else [])

    def get_config(self):
        config = super().get_config()
        config.update(axis=self.axis, epsilon=self.epsilon, center=self.center, scale=self.scale,
                      rms_scaling=self.rms_scaling)
        config.update(self._affine_config())
        return config


class GroupNormalization(_Normalization):
    """Splits the channels of `axis` into `groups` and normalizes each sample's groups
    (groups=-1: one group per channel, instance normalization)."""

    def __init__(self, groups=32, axis=-1, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        if not is_int(groups):
            raise ValueError(f"{self._where()}: groups must be an integer, got {groups!r}")
        self.groups = check_int64(groups, "groups", self._where())
        if self.groups <= 0 and self.groups != -1:
            raise ValueError(f"{self._where()}: groups must be a positive integer (or -1 for instance "
                             f"normalization), got {groups!r}")
        self.axis = _check_axis(self, "axis", axis)
        self._set_affine_args(epsilon, center, scale, beta_initializer, gamma_initializer, beta_regularizer,
                              gamma_regularizer, beta_constraint, gamma_constraint)

    def _add_to(self, core, input_node):
        return core.add_group_normalization(self.name, self.groups, self.axis, input=input_node,
                                            **self._affine_specs())

    def get_config(self):
        config = super().get_config()
        config.update(groups=self.groups, axis=self.axis, epsilon=self.epsilon, center=self.center,
                      scale=self.scale)
        config.update(self._affine_config())
        return config
