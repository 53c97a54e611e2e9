"""Convolution and pooling layers as ONNX ops, and the helpers every windowed layer's
converter can share.

ONNX's Conv, MaxPool and AveragePool take (N, C, spatial...) tensors. A channels_last
layer's converter therefore runs its ops between to_channels_first and to_channels_last
(see in_channels_first); GraphBuilder.transpose cancels the back-and-forth between two
such layers, so a chain of them transposes once at each end. Padding is always spelled
out as explicit `pads` computed from the layer's geometry (window_pads): ONNX's
auto_pad=SAME_UPPER would agree for 'same' but has no 'causal', and explicit numbers are
what every runtime reads the same way.
"""

import numpy as np

from axon import activations
from axon.export import onnx_activations


# ------------------------------------------------------------------ layout helpers
def channels_first_perm(rank):
    """The perm taking (N, spatial..., C) to (N, C, spatial...) for `rank` spatial axes."""
    return [0, rank + 1] + list(range(1, rank + 1))


def to_channels_first(g, x, rank):
    """(N, spatial..., C) -> (N, C, spatial...)."""
    return g.transpose(x, channels_first_perm(rank))


def to_channels_last(g, x, rank):
    """(N, C, spatial...) -> (N, spatial..., C)."""
    return g.transpose(x, [0] + list(range(2, rank + 2)) + [1])


def in_channels_first(g, x, rank, data_format, body):
    """body(x_cf) -> y_cf run on the (N, C, spatial...) layout, with x and the result in
    the layer's `data_format`."""
    if data_format == "channels_first":
        return body(x)
    return to_channels_last(g, body(to_channels_first(g, x, rank)), rank)


def channels_first_shape(shape, data_format):
    """A batch-first shape in the (N, C, spatial...) order."""
    shape = tuple(shape)
    return shape if data_format == "channels_first" else (shape[0], shape[-1]) + shape[1:-1]


def spatial_axes(rank, data_format):
    """The graph axes of `rank` spatial dimensions in `data_format` (the batch is axis 0)."""
    first = 1 if data_format == "channels_last" else 2
    return list(range(first, first + rank))


def spatial_shape(shape, data_format):
    """The spatial sizes of a batch-first shape in `data_format`."""
    return tuple(int(d) for d in channels_first_shape(shape, data_format)[2:])


# ------------------------------------------------------------------ window geometry
def window_pads(spatial, size, strides, dilation, padding):
    """ONNX `pads` ([begin per axis..., end per axis...]) for Keras' padding of a window of
    `size` taps `dilation` apart moved by `strides` over an input of `spatial` sizes:
    'valid' none; 'same' (TensorFlow's rule) output ceil(in / stride) with the odd pad at
    the end; 'causal' (1-D) all of the window's extent minus one at the beginning."""
    begins, ends = [], []
    for n, k, s, d in zip(spatial, size, strides, dilation):
        span = (k - 1) * d + 1  # the dilated window's extent
        if padding == "valid":
            begin = end = 0
        elif padding == "causal":
            begin, end = span - 1, 0
        elif padding == "same":
            out = -(-n // s)
            total = max((out - 1) * s + span - n, 0)
            begin, end = total // 2, total - total // 2
        else:
            raise ValueError(f"ONNX export: unknown padding {padding!r}")
        begins.append(begin)
        ends.append(end)
    return begins + ends


def window_attrs(spatial, size, strides, padding, dilation=None):
    """kernel_shape, strides and pads (and dilations when given) for Conv, ConvTranspose,
    MaxPool and AveragePool nodes."""
    rank = len(spatial)
    attrs = {"kernel_shape": list(size), "strides": list(strides),
             "pads": window_pads(spatial, size, strides, dilation or (1,) * rank, padding)}
    if dilation is not None:
        attrs["dilations"] = list(dilation)
    return attrs


def kernel_to_onnx(kernel):
    """A Keras kernel (k..., A, B) as ONNX's (B, A, k...): Conv's (k..., C / groups, F)
    becomes (F, C / groups, k...), and ConvTranspose's (k..., F, C) becomes (C, F, k...)."""
    kernel = np.asarray(kernel)
    rank = kernel.ndim - 2
    return np.ascontiguousarray(np.transpose(kernel, (rank + 1, rank) + tuple(range(rank))))


def fused_activation(g, y, activation, cf_shape, data_format, where):
    """A layer's own activation applied to its channels-first output `y` of shape `cf_shape`
    (before the transpose back, so the transposes of consecutive layers still cancel). An
    axis (softmax, ...) counts in the layer's `data_format`, so it is moved to its place in
    the channels-first order."""
    name, a, b, c, axis = activations.engine_spec(activation)
    rank = len(cf_shape)
    if data_format == "channels_last":
        axis = -1 if axis is None else int(axis)
        if -rank <= axis < rank and axis % rank != 0:
            axis %= rank
            axis = 1 if axis == rank - 1 else axis + 1
    return onnx_activations.emit(g, y, (name, a, b, c, axis), cf_shape, where)


# ------------------------------------------------------------------ converters
def conv(g, layer, x, shape):
    """Conv1D/2D/3D: one Conv node (kernel, bias, groups, dilations), then the activation."""
    weights = layer.get_weights()
    inputs = [g.weight("kernel", kernel_to_onnx(weights[0]))]
    if layer.use_bias:
        inputs.append(g.weight("bias", weights[1]))
    attrs = window_attrs(spatial_shape(shape, layer.data_format), layer.kernel_size, layer.strides, layer.padding,
                         layer.dilation_rate)
    out_shape = channels_first_shape(layer.output_shape, layer.data_format)

    def body(x_cf):
        y = g.op("Conv", x_cf, *inputs, group=layer.groups, **attrs)
        return fused_activation(g, y, layer.activation, out_shape, layer.data_format, onnx_activations.describe(layer))

    return in_channels_first(g, x, layer.rank, layer.data_format, body)


def pooling(g, layer, x, shape):
    """MaxPooling/AveragePooling 1D/2D/3D. Keras averages over the taps inside the input
    only ('same' windows at the border), which is AveragePool's count_include_pad=0."""
    attrs = window_attrs(spatial_shape(shape, layer.data_format), layer.pool_size, layer.strides, layer.padding)
    if not layer._max:
        attrs["count_include_pad"] = 0
    op_type = "MaxPool" if layer._max else "AveragePool"
    return in_channels_first(g, x, layer.rank, layer.data_format, lambda x_cf: g.op(op_type, x_cf, **attrs))


def global_pooling(g, layer, x, shape):
    """GlobalMax/GlobalAveragePooling 1D/2D/3D: a reduction over the spatial axes, in place
    (no transpose needed)."""
    axes = spatial_axes(layer.rank, layer.data_format)
    return g.reduce("ReduceMax" if layer._max else "ReduceMean", x, axes, keepdims=layer.keepdims)
