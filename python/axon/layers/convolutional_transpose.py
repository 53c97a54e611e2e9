"""Conv1DTranspose, Conv2DTranspose and Conv3DTranspose (Keras 3 arguments and defaults);
the engine's ConvTranspose layer does the work for all three. The kernel is Keras'
(k..., filters, in_channels); output sizes follow Keras' compute_conv_transpose_output_shape."""

from axon import activations
from axon.layers._window_args import normalize_tuple, positive_int, set_window_args
from axon.layers.core import _kernel_bias_config, _kernel_bias_specs, _KernelBiasLayer, _set_kernel_bias_args


class BaseConvTranspose(_KernelBiasLayer):
    rank = None

    def __init__(self, filters, kernel_size, strides=1, padding="valid", output_padding=None, data_format=None,
                 dilation_rate=1, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(**kwargs)
        where = self._where()
        self.filters = positive_int(filters, "filters", where)
        set_window_args(self, self.rank, kernel_size, strides, padding, data_format, dilation_rate, where,
                        strided_dilation=False)
        self.output_padding = None
        if output_padding is not None:
            self.output_padding = normalize_tuple(output_padding, self.rank, "output_padding", where, allow_zero=True)
            for axis, (op, s) in enumerate(zip(self.output_padding, self.strides)):
                if op >= s:
                    raise ValueError(f"{where}: output_padding must be strictly less than strides; on axis {axis} "
                                     f"output_padding is {op} and strides is {s} (output_padding="
                                     f"{self.output_padding}, strides={self.strides})")
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        _set_kernel_bias_args(self, kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
                              activity_regularizer, kernel_constraint, bias_constraint)

    def _add_to(self, core, input_node):
        return core.add_conv_transpose(self.name, self.filters, list(self.kernel_size), list(self.strides),
                                       self.padding, list(self.output_padding or ()), self.data_format,
                                       list(self.dilation_rate), activations.engine_spec(self.activation),
                                       self.use_bias, input=input_node, **_kernel_bias_specs(self))

    def get_config(self):
        config = super().get_config()
        config.update(filters=self.filters, kernel_size=self.kernel_size, strides=self.strides, padding=self.padding,
                      output_padding=self.output_padding, data_format=self.data_format,
                      dilation_rate=self.dilation_rate, activation=activations.serialize(self.activation),
                      use_bias=self.use_bias)
        config.update(_kernel_bias_config(self))
        return config


class Conv1DTranspose(BaseConvTranspose):
    """1-D transposed convolution over (batch, steps, channels)."""
    rank = 1


class Conv2DTranspose(BaseConvTranspose):
    """2-D transposed convolution over (batch, height, width, channels)."""
    rank = 2


class Conv3DTranspose(BaseConvTranspose):
    """3-D transposed convolution over (batch, depth, height, width, channels)."""
    rank = 3
