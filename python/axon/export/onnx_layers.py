"""One converter per axon layer class: `convert(g, layer, x, in_shape) -> y`.

Shapes are batch first with None for the batch; the exported graph keeps the batch
dimension dynamic, so reshapes use -1 for it and spell out the per-sample dimensions.
"""

import numpy as np

from axon import activations, layers
from axon.export import onnx_activations, onnx_conv_family, onnx_normalization, onnx_reshaping, onnx_spatial

_where = onnx_activations.describe


def _dense(g, layer, x, shape):
    # x: (N, ..., in) @ kernel (in, units) + bias: MatMul broadcasts over the leading axes.
    weights = layer.get_weights()
    y = g.op("MatMul", x, g.weight("kernel", weights[0]))
    if layer.use_bias:
        y = g.op("Add", y, g.weight("bias", weights[1]))
    pre_shape = tuple(shape[:-1]) + (layer.units,)
    return onnx_activations.emit(g, y, activations.engine_spec(layer.activation), pre_shape, _where(layer))


def _activation(g, layer, x, shape):
    return onnx_activations.emit(g, x, activations.engine_spec(layer.activation), shape, _where(layer))


def _activation_layer(g, layer, x, shape):  # ReLU, LeakyReLU, ELU, Softmax: the engine runs their _spec()
    return onnx_activations.emit(g, x, layer._spec(), shape, _where(layer))


def _prelu(g, layer, x, shape):
    # alpha has the per-sample shape with 1 on shared axes: it broadcasts against (N, ...).
    alpha = g.weight("alpha", layer.get_weights()[0])
    return g.where(g.op("GreaterOrEqual", x, g.const(0.0)), x, g.op("Mul", alpha, x))


def _identity(g, layer, x, shape):  # Dropout: inference only
    return g.op("Identity", x)


def _reshape(g, layer, x, shape):
    # The built output shape resolves a -1 in target_shape; -1 then stands for the batch.
    target = [-1] + [int(d) for d in layer.output_shape[1:]]
    return g.op("Reshape", x, g.const(target, np.int64))


CONVERTERS = {
    layers.Dense: _dense,
    layers.Activation: _activation,
    layers.Dropout: _identity,
    layers.Flatten: _reshape,
    layers.Reshape: _reshape,
    layers.ReLU: _activation_layer,
    layers.LeakyReLU: _activation_layer,
    layers.ELU: _activation_layer,
    layers.Softmax: _activation_layer,
    layers.PReLU: _prelu,
}
for _rank in (1, 2, 3):  # ZeroPadding, Cropping, UpSampling, SpatialDropout, Conv, pooling 1D/2D/3D
    CONVERTERS[getattr(layers, f"ZeroPadding{_rank}D")] = onnx_reshaping.zero_padding
    CONVERTERS[getattr(layers, f"Cropping{_rank}D")] = onnx_reshaping.cropping
    CONVERTERS[getattr(layers, f"UpSampling{_rank}D")] = onnx_reshaping.upsampling
    CONVERTERS[getattr(layers, f"SpatialDropout{_rank}D")] = onnx_reshaping.spatial_dropout
    CONVERTERS[getattr(layers, f"Conv{_rank}D")] = onnx_spatial.conv
    for _kind in ("Max", "Average"):
        CONVERTERS[getattr(layers, f"{_kind}Pooling{_rank}D")] = onnx_spatial.pooling
        CONVERTERS[getattr(layers, f"Global{_kind}Pooling{_rank}D")] = onnx_spatial.global_pooling
for _rank in (1, 2, 3):  # the transposed, depthwise and separable convolutions
    CONVERTERS[getattr(layers, f"Conv{_rank}DTranspose")] = onnx_conv_family.conv_transpose
for _name in ("DepthwiseConv1D", "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D"):
    CONVERTERS[getattr(layers, _name)] = onnx_conv_family.depthwise
CONVERTERS.update(onnx_normalization.CONVERTERS)


def converter_for(layer):
    """The converter of the first class in the layer's MRO that has one, provided the layer
    builds the same engine layer as that class (a subclass overriding _add_to computes
    something else, which the exporter cannot know)."""
    for cls in type(layer).__mro__:
        fn = CONVERTERS.get(cls)
        if fn is not None:
            if type(layer)._add_to is not cls._add_to:
                break
            return fn
    supported = ", ".join(sorted(c.__name__ for c in CONVERTERS))
    raise ValueError(f"ONNX export: {_where(layer)} is not supported; the exporter converts {supported}")
