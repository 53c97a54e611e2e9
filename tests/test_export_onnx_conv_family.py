"""ONNX export of the transposed, depthwise and separable convolutions: onnx.checker (full)
passes and onnxruntime agrees with model.predict at batch 1, 7 and 64 over a grid of
layers (strides, output_padding, dilation, same/valid, depth_multiplier, channels_first,
fused activations) and two small stacks (an autoencoder, a MobileNet block). float64
graphs run in onnx's reference evaluator (onnxruntime has no float64 Conv/ConvTranspose).
Skipped without onnx/onnxruntime."""

import numpy as np
import pytest

from onnx_helpers import assert_agrees, assert_reference_agrees, onnx  # skips without onnx / onnxruntime
from test_export_onnx_conv import randomize

import axon
from axon import layers as L
from axon.export import onnx_conv_family

CF = dict(data_format="channels_first")

TRANSPOSE = {
    "1d_valid": ((7, 3), lambda: L.Conv1DTranspose(4, 3)),
    "1d_valid_strided": ((7, 3), lambda: L.Conv1DTranspose(4, 3, strides=2)),
    # stride over the kernel's span: Keras' output rule leaves bias-only positions at the end
    "1d_valid_stride_over_kernel": ((6, 2), lambda: L.Conv1DTranspose(3, 2, strides=3)),
    "1d_same_strided": ((7, 3), lambda: L.Conv1DTranspose(4, 4, strides=2, padding="same", activation="relu")),
    "1d_same_odd_kernel": ((6, 2), lambda: L.Conv1DTranspose(3, 3, strides=3, padding="same")),
    "1d_output_padding_valid": ((6, 2), lambda: L.Conv1DTranspose(3, 3, strides=3, output_padding=2)),
    "1d_output_padding_same": ((6, 2), lambda: L.Conv1DTranspose(3, 4, strides=3, padding="same", output_padding=1)),
    "1d_output_padding_same_k1": ((5, 2), lambda: L.Conv1DTranspose(3, 1, strides=2, padding="same",
                                                                     output_padding=1)),
    "1d_dilated_same": ((9, 2), lambda: L.Conv1DTranspose(3, 3, padding="same", dilation_rate=2, activation="tanh")),
    "1d_dilated_valid": ((9, 2), lambda: L.Conv1DTranspose(3, 2, dilation_rate=3, use_bias=False)),
    "1d_channels_first": ((3, 7), lambda: L.Conv1DTranspose(4, 3, strides=2, padding="same", **CF)),
    "2d_valid": ((5, 4, 3), lambda: L.Conv2DTranspose(4, (3, 2))),
    "2d_same_strided": ((5, 4, 3), lambda: L.Conv2DTranspose(4, 3, strides=(2, 3), padding="same",
                                                             activation="gelu")),
    "2d_output_padding": ((4, 5, 2), lambda: L.Conv2DTranspose(3, (3, 4), strides=(2, 3), output_padding=(1, 2))),
    "2d_same_output_padding": ((4, 5, 2), lambda: L.Conv2DTranspose(3, (2, 3), strides=2, padding="same",
                                                                    output_padding=(0, 1))),
    "2d_dilated": ((6, 5, 2), lambda: L.Conv2DTranspose(3, 3, dilation_rate=(2, 1), padding="same")),
    "2d_channels_first": ((3, 5, 4), lambda: L.Conv2DTranspose(4, 3, strides=2, padding="same", activation="elu",
                                                               **CF)),
    "2d_cf_output_padding": ((2, 4, 4), lambda: L.Conv2DTranspose(3, 2, strides=3, output_padding=1, **CF)),
    "2d_softmax": ((4, 4, 2), lambda: L.Conv2DTranspose(5, 3, padding="same", activation="softmax")),
    "2d_cf_softmax": ((2, 4, 4), lambda: L.Conv2DTranspose(5, 2, strides=2, activation="softmax", **CF)),
    "3d_valid": ((3, 4, 3, 2), lambda: L.Conv3DTranspose(3, (2, 3, 2))),
    "3d_same_strided": ((3, 4, 3, 2), lambda: L.Conv3DTranspose(3, 3, strides=(1, 2, 3), padding="same",
                                                                activation="selu")),
    "3d_output_padding": ((3, 3, 3, 2), lambda: L.Conv3DTranspose(2, 2, strides=(2, 3, 2), output_padding=(1, 2, 0))),
    "3d_dilated": ((4, 4, 3, 2), lambda: L.Conv3DTranspose(2, 2, dilation_rate=(1, 2, 2))),
    "3d_channels_first": ((2, 3, 4, 3), lambda: L.Conv3DTranspose(3, 2, strides=2, padding="same", **CF)),
}

DEPTHWISE = {
    "dw1d_valid": ((11, 3), lambda: L.DepthwiseConv1D(3)),
    "dw1d_multiplier_same_strided": ((11, 3), lambda: L.DepthwiseConv1D(4, strides=2, padding="same",
                                                                        depth_multiplier=2, activation="relu")),
    "dw1d_dilated": ((12, 2), lambda: L.DepthwiseConv1D(3, dilation_rate=2, depth_multiplier=2, use_bias=False)),
    "dw1d_strided_dilated": ((13, 2), lambda: L.DepthwiseConv1D(3, strides=2, dilation_rate=2, padding="same")),
    "dw1d_channels_first": ((3, 10), lambda: L.DepthwiseConv1D(3, strides=2, padding="same", depth_multiplier=2,
                                                               **CF)),
    "dw2d_valid": ((9, 8, 4), lambda: L.DepthwiseConv2D((3, 2))),
    "dw2d_multiplier_same_strided": ((9, 8, 3), lambda: L.DepthwiseConv2D(3, strides=(2, 3), padding="same",
                                                                          depth_multiplier=2, activation="gelu")),
    "dw2d_dilated": ((10, 9, 3), lambda: L.DepthwiseConv2D(3, dilation_rate=(2, 1), depth_multiplier=2)),
    "dw2d_channels_first": ((3, 9, 7), lambda: L.DepthwiseConv2D(3, strides=2, padding="same", activation="elu",
                                                                 **CF)),
    "dw2d_cf_multiplier_softmax": ((2, 6, 6), lambda: L.DepthwiseConv2D(3, depth_multiplier=2,
                                                                        activation="softmax", **CF)),
    "sep1d_valid": ((11, 3), lambda: L.SeparableConv1D(4, 3)),
    "sep1d_multiplier_same_strided": ((11, 3), lambda: L.SeparableConv1D(5, 4, strides=2, padding="same",
                                                                         depth_multiplier=2, activation="relu")),
    "sep1d_dilated": ((12, 2), lambda: L.SeparableConv1D(3, 3, dilation_rate=2, use_bias=False)),
    "sep1d_channels_first": ((3, 10), lambda: L.SeparableConv1D(4, 3, strides=2, padding="same", depth_multiplier=2,
                                                                **CF)),
    "sep2d_valid": ((9, 8, 4), lambda: L.SeparableConv2D(6, (3, 2))),
    "sep2d_multiplier_same_strided": ((9, 8, 3), lambda: L.SeparableConv2D(4, 3, strides=(2, 3), padding="same",
                                                                           depth_multiplier=2, activation="swish")),
    "sep2d_strided_dilated": ((11, 10, 3), lambda: L.SeparableConv2D(4, 3, strides=2, dilation_rate=2,
                                                                     padding="same")),
    "sep2d_channels_first": ((3, 9, 7), lambda: L.SeparableConv2D(5, 3, strides=2, padding="same", depth_multiplier=2,
                                                                  activation="sigmoid", **CF)),
    "sep2d_softmax": ((6, 6, 2), lambda: L.SeparableConv2D(5, 3, padding="same", activation="softmax")),
}


@pytest.mark.parametrize("case", list(TRANSPOSE) + list(DEPTHWISE))
def test_layers(case, tmp_path, rng):
    input_shape, make = {**TRANSPOSE, **DEPTHWISE}[case]
    model = axon.Sequential([axon.Input(input_shape), make()])
    randomize(model, rng)
    assert_agrees(model, tmp_path / "m.onnx", rng, scale=1.0)


STACKS = {
    # an autoencoder: encoder convolutions, decoder transposed convolutions back to the input size
    "autoencoder": lambda: [axon.Input((12, 12, 1)), L.Conv2D(4, 3, strides=2, padding="same", activation="relu"),
                            L.Conv2D(8, 3, strides=2, padding="same", activation="relu"),
                            L.Conv2DTranspose(4, 3, strides=2, padding="same", activation="relu"),
                            L.Conv2DTranspose(1, 3, strides=2, padding="same", activation="sigmoid")],
    # MobileNet's block: depthwise 3x3, pointwise 1x1, twice, the second strided
    "mobilenet_block": lambda: [axon.Input((10, 10, 3)), L.Conv2D(8, 3, strides=2, padding="same", activation="relu6"),
                                L.DepthwiseConv2D(3, padding="same", activation="relu6"),
                                L.Conv2D(16, 1, activation="relu6"),
                                L.DepthwiseConv2D(3, strides=2, padding="same", activation="relu6"),
                                L.Conv2D(16, 1, activation="relu6"), L.GlobalAveragePooling2D(), L.Dense(4)],
    "1d_mixed": lambda: [axon.Input((10, 3)), L.SeparableConv1D(4, 3, padding="same", depth_multiplier=2),
                         L.Conv1DTranspose(3, 3, strides=2, output_padding=1, **CF),
                         L.DepthwiseConv1D(2, depth_multiplier=2, activation="tanh"), L.Flatten(), L.Dense(2)],
    "3d": lambda: [axon.Input((4, 4, 4, 2)), L.Conv3D(3, 2, strides=2, activation="relu"),
                   L.Conv3DTranspose(2, 3, strides=2, padding="same", output_padding=1)],
}


@pytest.mark.parametrize("stack", list(STACKS))
def test_stacks(stack, tmp_path, rng):
    model = axon.Sequential(STACKS[stack]())
    randomize(model, rng)
    assert_agrees(model, tmp_path / "m.onnx", rng, scale=1.0)


def test_channels_last_chain_transposes_once_each_way(tmp_path, rng):
    assert_agrees(axon.Sequential(STACKS["autoencoder"]()), tmp_path / "m.onnx", rng)
    ops = [node.op_type for node in onnx.load(str(tmp_path / "m.onnx")).graph.node]
    assert ops.count("Transpose") == 2 and ops.count("ConvTranspose") == 2


@pytest.mark.parametrize("stack", list(STACKS))
def test_float64_in_the_reference_evaluator(stack, tmp_path, rng):
    axon.config.set_floatx("float64")
    model = axon.Sequential(STACKS[stack]())
    randomize(model, rng)
    assert_reference_agrees(model, tmp_path / "m.onnx", rng)


@pytest.mark.parametrize("spatial_in,spatial_out,size,strides,dilation,padding,pads,output_padding", [
    ((5,), (11,), (3,), (2,), (1,), "valid", [0, 0], [0]),
    ((5,), (15,), (2,), (3,), (1,), "valid", [0, 0], [1]),  # stride 3 over span 2: one bias-only position
    ((5,), (10,), (4,), (2,), (1,), "same", [1, 1], [0]),
    ((5,), (15,), (2,), (3,), (1,), "same", [0, 0], [1]),
    ((5,), (15,), (3,), (3,), (1,), "same", [0, 0], [0]),
    ((5,), (10,), (1,), (2,), (1,), "same", [0, 0], [1]),  # output_padding=1 with a 1-tap kernel
    ((5,), (5,), (3,), (1,), (2,), "same", [2, 2], [0]),
])
def test_transpose_pads(spatial_in, spatial_out, size, strides, dilation, padding, pads, output_padding):
    assert onnx_conv_family.transpose_pads(spatial_in, spatial_out, size, strides, dilation, padding) == \
        (pads, output_padding)


def test_depthwise_output_channel_order(tmp_path, rng):
    # Output channel c * M + m is input channel c's m-th filter: one nonzero tap per filter
    # makes a wrong order show as whole swapped channels.
    model = axon.Sequential([axon.Input((3, 3, 2)), L.DepthwiseConv2D(1, depth_multiplier=3, use_bias=False)])
    model.set_weights([np.arange(1, 7, dtype="float32").reshape(1, 1, 2, 3)])
    assert_agrees(model, tmp_path / "m.onnx", rng)
