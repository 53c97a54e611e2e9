"""DepthwiseConv1D/2D and SeparableConv1D/2D (Keras 3 arguments and defaults); the
engine's Depthwise layer does the work for all four (separable = depthwise then a 1x1
pointwise matmul in the same engine layer).

The depthwise kernel's arguments (depthwise_initializer, ...) are kept as the kernel_*
attributes the shared kernel/bias helpers read; depthwise_* names are aliases."""

from axon import activations, initializers
from axon.layers._window_args import positive_int, set_window_args
from axon.layers.base import Layer
from axon.layers.core import _kernel_bias_config, _kernel_bias_specs, _set_kernel_bias_args, _set_weight_args, \
    _weight_arg_config, _weight_arg_specs


def _alias(attr):
    return property(lambda self: getattr(self, attr), lambda self, v: setattr(self, attr, v))


class _BaseDepthwise(Layer):
    rank = None
    separable = False

    def __init__(self, filters, kernel_size, strides, padding, data_format, dilation_rate, depth_multiplier,
                 activation, use_bias, depthwise_initializer, bias_initializer, depthwise_regularizer,
                 bias_regularizer, activity_regularizer, depthwise_constraint, bias_constraint, **kwargs):
        super().__init__(**kwargs)
        where = self._where()
        self.filters = positive_int(filters, "filters", where) if self.separable else None
        self.depth_multiplier = positive_int(depth_multiplier, "depth_multiplier", where)
        set_window_args(self, self.rank, kernel_size, strides, padding, data_format, dilation_rate, where)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        _set_kernel_bias_args(self, depthwise_initializer, bias_initializer, depthwise_regularizer, bias_regularizer,
                              activity_regularizer, depthwise_constraint, bias_constraint)

    depthwise_initializer = _alias("kernel_initializer")
    depthwise_regularizer = _alias("kernel_regularizer")
    depthwise_constraint = _alias("kernel_constraint")

    def _pointwise_specs(self):
        return dict(pointwise_initializer=initializers.get("zeros").spec(), pointwise_regularizer=None,
                    pointwise_constraint=None)

    def _add_to(self, core, input_node):
        return core.add_depthwise(self.name, self.filters or 0, list(self.kernel_size), list(self.strides),
                                  self.padding, self.data_format, list(self.dilation_rate), self.depth_multiplier,
                                  activations.engine_spec(self.activation), self.use_bias, input=input_node,
                                  **_kernel_bias_specs(self), **self._pointwise_specs())

    def _depthwise_config(self):
        """The kernel/bias config with the kernel's keys named depthwise_*."""
        return {k.replace("kernel_", "depthwise_"): v for k, v in _kernel_bias_config(self).items()}

    @property
    def bias(self):
        return self.weights[-1] if self.use_bias else None


class _DepthwiseConv(_BaseDepthwise):
    def __init__(self, kernel_size, strides=1, padding="valid", depth_multiplier=1, data_format=None,
                 dilation_rate=1, activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(None, kernel_size, strides, padding, data_format, dilation_rate, depth_multiplier,
                         activation, use_bias, depthwise_initializer, bias_initializer, depthwise_regularizer,
                         bias_regularizer, activity_regularizer, depthwise_constraint, bias_constraint, **kwargs)

    def _weight_names(self):
        return ["kernel", "bias"]

    @property
    def kernel(self):
        return self.weights[0]

    def get_config(self):
        config = super().get_config()
        config.update(depth_multiplier=self.depth_multiplier, kernel_size=self.kernel_size, strides=self.strides,
                      padding=self.padding, data_format=self.data_format, dilation_rate=self.dilation_rate,
                      activation=activations.serialize(self.activation), use_bias=self.use_bias)
        config.update(self._depthwise_config())
        return config


class _SeparableConv(_BaseDepthwise):
    separable = True

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 depth_multiplier=1, activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 pointwise_initializer="glorot_uniform", bias_initializer="zeros", depthwise_regularizer=None,
                 pointwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, pointwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate, depth_multiplier,
                         activation, use_bias, depthwise_initializer, bias_initializer, depthwise_regularizer,
                         bias_regularizer, activity_regularizer, depthwise_constraint, bias_constraint, **kwargs)
        _set_weight_args(self, pointwise_initializer=pointwise_initializer,
                         pointwise_regularizer=pointwise_regularizer, pointwise_constraint=pointwise_constraint)

    def _pointwise_specs(self):
        return _weight_arg_specs(self, ("pointwise",))

    def _weight_names(self):
        return ["depthwise_kernel", "pointwise_kernel", "bias"]

    @property
    def depthwise_kernel(self):
        return self.weights[0]

    @property
    def pointwise_kernel(self):
        return self.weights[1]

    def get_config(self):
        config = super().get_config()
        config.update(depth_multiplier=self.depth_multiplier, filters=self.filters, kernel_size=self.kernel_size,
                      strides=self.strides, padding=self.padding, data_format=self.data_format,
                      dilation_rate=self.dilation_rate, activation=activations.serialize(self.activation),
                      use_bias=self.use_bias)
        dw = self._depthwise_config()
        pw = _weight_arg_config(self, ("pointwise",))
        for key in ("initializer", "regularizer"):  # Keras' order: depthwise, pointwise, bias per kind
            config.update({f"depthwise_{key}": dw[f"depthwise_{key}"], f"pointwise_{key}": pw[f"pointwise_{key}"],
                           f"bias_{key}": dw[f"bias_{key}"]})
        config["activity_regularizer"] = dw["activity_regularizer"]
        config.update(depthwise_constraint=dw["depthwise_constraint"], pointwise_constraint=pw["pointwise_constraint"],
                      bias_constraint=dw["bias_constraint"])
        return config


class DepthwiseConv1D(_DepthwiseConv):
    """1-D depthwise convolution over (batch, steps, channels)."""
    rank = 1


class DepthwiseConv2D(_DepthwiseConv):
    """2-D depthwise convolution over (batch, height, width, channels)."""
    rank = 2


class SeparableConv1D(_SeparableConv):
    """1-D depthwise convolution followed by a pointwise (1x1) convolution to `filters` channels."""
    rank = 1


class SeparableConv2D(_SeparableConv):
    """2-D depthwise convolution followed by a pointwise (1x1) convolution to `filters` channels."""
    rank = 2
