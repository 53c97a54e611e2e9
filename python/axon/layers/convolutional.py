"""Conv1D, Conv2D and Conv3D (Keras 3 arguments and defaults); the engine's Conv layer
does the work for all three."""

from axon import activations
from axon.layers._sizes import size_int
from axon.layers._window_args import normalize_data_format, normalize_padding, normalize_tuple
from axon.layers.core import _kernel_bias_config, _kernel_bias_specs, _KernelBiasLayer, _set_kernel_bias_args


class BaseConv(_KernelBiasLayer):
    rank = None

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 groups=1, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(**kwargs)
        where = self._where()
        self.filters, self.groups = size_int(filters, "filters", where), size_int(groups, "groups", where)
        if self.filters % self.groups:
            raise ValueError(f"{where}: filters ({self.filters}) must be divisible by groups ({self.groups})")
        self.kernel_size = normalize_tuple(kernel_size, self.rank, "kernel_size", where)
        self.strides = normalize_tuple(strides, self.rank, "strides", where)
        self.dilation_rate = normalize_tuple(dilation_rate, self.rank, "dilation_rate", where)
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:  # as Keras
            raise ValueError(f"{where}: strides > 1 is not supported together with dilation_rate > 1, got "
                             f"strides={self.strides}, dilation_rate={self.dilation_rate}")
        allowed = ("valid", "same", "causal") if self.rank == 1 else ("valid", "same")
        self.padding = normalize_padding(padding, where, allowed)
        self.data_format = normalize_data_format(data_format, where)
        if self.padding == "causal" and self.data_format == "channels_first":
            raise ValueError(f"{where}: padding='causal' needs data_format='channels_last'")
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        _set_kernel_bias_args(self, kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
                              activity_regularizer, kernel_constraint, bias_constraint)

    def _add_to(self, core, input_node):
        return core.add_conv(self.name, self.filters, list(self.kernel_size), list(self.strides), self.padding,
                             self.data_format, list(self.dilation_rate), self.groups,
                             activations.engine_spec(self.activation), self.use_bias, input=input_node,
                             **_kernel_bias_specs(self))

    def get_config(self):
        config = super().get_config()
        config.update(filters=self.filters, kernel_size=self.kernel_size, strides=self.strides, padding=self.padding,
                      data_format=self.data_format, dilation_rate=self.dilation_rate, groups=self.groups,
                      activation=activations.serialize(self.activation), use_bias=self.use_bias)
        config.update(_kernel_bias_config(self))
        return config


class Conv1D(BaseConv):
    """1-D convolution over (batch, steps, channels); padding may also be 'causal'."""
    rank = 1


class Conv2D(BaseConv):
    """2-D convolution over (batch, height, width, channels)."""
    rank = 2


class Conv3D(BaseConv):
    """3-D convolution over (batch, depth, height, width, channels)."""
    rank = 3
