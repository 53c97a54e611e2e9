"""ONNX converters for the transposed, depthwise and separable convolutions (see
onnx_layers.CONVERTERS), built on onnx_spatial's layout and geometry helpers: each layer's
ops run on the channels-first layout, so the transposes of a chain of channels_last
layers cancel.

Conv1D/2D/3DTranspose is one ConvTranspose node. Its output size comes from Keras' rule
(the layer's output_shape), which ONNX's own output_shape/auto_pad rules do not always
reproduce, so the node spells out pads and output_padding that give exactly that size.

DepthwiseConv1D/2D is a Conv with group = channels: the Keras kernel (k..., C, M) is
read as (k..., 1, C * M), output channel c * M + m being input channel c's m-th filter,
which is the order both Keras and ONNX's grouped Conv use. SeparableConv1D/2D is that
Conv (without bias) followed by a 1x1 Conv holding the pointwise kernel and the bias.
"""

from axon.export import onnx_activations
from axon.export.onnx_spatial import channels_first_shape, fused_activation, in_channels_first, kernel_to_onnx, \
    spatial_shape, window_attrs


def transpose_pads(spatial_in, spatial_out, size, strides, dilation, padding):
    """ConvTranspose's `pads` and `output_padding` that turn inputs of `spatial_in` sizes into
    outputs of `spatial_out` sizes (Keras' output rule) with the taps where axon puts them.

    Input position i and tap j land on output position i * s + j * d - begin, as in ONNX;
    begin is the padding of the convolution that maps the output back to the input ('same':
    half its total, the odd one at the end, as TensorFlow places it; 'valid': none). The
    full scatter covers (in - 1) * s + span positions; what lies past the output is cut off
    by the end pad, and an output longer than that (strides > span, or Keras'
    output_padding) is extended by ONNX's output_padding, where only the bias lands."""
    begins, ends, extra = [], [], []
    for n, o, k, s, d in zip(spatial_in, spatial_out, size, strides, dilation):
        full = (n - 1) * s + (k - 1) * d + 1
        begin = max(full - o, 0) // 2 if padding == "same" else 0
        end = full - begin - o
        begins.append(begin)
        ends.append(max(end, 0))
        extra.append(max(-end, 0))
    return begins + ends, extra


def conv_transpose(g, layer, x, shape):
    """Conv1D/2D/3DTranspose: one ConvTranspose node (kernel (k..., F, C) as ONNX's
    (C, F, k...)), then the activation."""
    weights = layer.get_weights()
    inputs = [g.weight("kernel", kernel_to_onnx(weights[0]))]
    if layer.use_bias:
        inputs.append(g.weight("bias", weights[1]))
    out_shape = channels_first_shape(layer.output_shape, layer.data_format)
    pads, output_padding = transpose_pads(spatial_shape(shape, layer.data_format), out_shape[2:], layer.kernel_size,
                                          layer.strides, layer.dilation_rate, layer.padding)
    attrs = dict(kernel_shape=list(layer.kernel_size), strides=list(layer.strides),
                 dilations=list(layer.dilation_rate), pads=pads)
    if any(output_padding):
        attrs["output_padding"] = output_padding

    def body(x_cf):
        y = g.op("ConvTranspose", x_cf, *inputs, **attrs)
        return fused_activation(g, y, layer.activation, out_shape, layer.data_format, onnx_activations.describe(layer))

    return in_channels_first(g, x, layer.rank, layer.data_format, body)


def depthwise(g, layer, x, shape):
    """DepthwiseConv1D/2D and SeparableConv1D/2D: a grouped Conv, for separable layers a
    1x1 Conv after it, then the activation."""
    weights = layer.get_weights()
    kernel = weights[0]  # (k..., C, M)
    channels = kernel.shape[-2]
    depthwise_kernel = g.weight("depthwise_kernel",
                                kernel_to_onnx(kernel.reshape(kernel.shape[:-2] + (1, channels * kernel.shape[-1]))))
    pointwise_kernel = g.weight("pointwise_kernel", kernel_to_onnx(weights[1])) if layer.separable else None
    bias = [g.weight("bias", weights[-1])] if layer.use_bias else []
    attrs = window_attrs(spatial_shape(shape, layer.data_format), layer.kernel_size, layer.strides, layer.padding,
                         layer.dilation_rate)
    out_shape = channels_first_shape(layer.output_shape, layer.data_format)

    def body(x_cf):
        if layer.separable:
            y = g.op("Conv", x_cf, depthwise_kernel, group=channels, **attrs)
            y = g.op("Conv", y, pointwise_kernel, *bias, kernel_shape=[1] * layer.rank)
        else:
            y = g.op("Conv", x_cf, depthwise_kernel, *bias, group=channels, **attrs)
        return fused_activation(g, y, layer.activation, out_shape, layer.data_format, onnx_activations.describe(layer))

    return in_channels_first(g, x, layer.rank, layer.data_format, body)
