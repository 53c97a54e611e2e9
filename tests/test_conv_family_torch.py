"""Conv1D/2D/3DTranspose, DepthwiseConv1D/2D and SeparableConv1D/2D against PyTorch's
functional ops (float32): outputs, input and weight gradients to 1e-4 relative over a grid
of shapes, strides, paddings, output paddings, dilations, depth multipliers, data formats."""

import numpy as np
import pytest

import axon
from axon import layers
from conv_family_refs import conv_transpose, depthwise
from conv_refs import from_ncx, grads_of, torch_kernel_grad_to_keras
from test_conv_torch import assert_close

pytest.importorskip("torch")


def run(layer, x_keras, channels_first):
    """(y, weights, grads, dx, dy) in Keras' channels_last layout, whatever the layer's format."""
    rng = np.random.default_rng(7)
    x = np.moveaxis(x_keras, -1, 1).copy() if channels_first else x_keras
    model = axon.Sequential([axon.Input(shape=x.shape[1:]), layer])
    model.compile(optimizer="sgd", loss="mse")
    y = model.predict(x, verbose=0)
    dy = rng.normal(size=y.shape).astype(np.float32)
    grads, dx = model._core.gradients_from_output(x, dy)
    if channels_first:
        y, dy, dx = (np.moveaxis(a, 1, -1) for a in (y, dy, dx))
    assert layer.output_shape == (None,) + model.predict(x[:1], verbose=0).shape[1:]
    return y, layer.get_weights(), grads, dx, dy


TRANSPOSE_GRID = [
    # (input (N, *spatial, C), filters, kernel, strides, padding, output_padding, dilation)
    ((2, 5, 3), 4, 3, 1, "valid", None, 1),
    ((2, 5, 3), 4, 3, 2, "same", None, 1),
    ((2, 6, 2), 3, 4, 3, "valid", None, 1),
    ((2, 6, 2), 3, 2, 3, "valid", 2, 1),
    ((1, 7, 2), 2, 3, 1, "same", None, 2),
    ((2, 4, 4, 3), 5, 3, 2, "same", None, 1),
    ((2, 4, 4, 3), 5, 3, 2, "same", 1, 1),
    ((2, 4, 5, 2), 3, (2, 3), (2, 1), "valid", None, 1),
    ((2, 4, 5, 2), 3, (4, 3), (3, 2), "same", (2, 0), 1),
    ((1, 5, 5, 2), 2, 3, 1, "valid", None, 2),
    ((1, 5, 4, 2), 2, (3, 2), 1, "same", None, (2, 3)),
    ((2, 3, 3, 1), 4, 1, 3, "valid", None, 1),
    ((2, 3, 3, 1), 4, 2, 2, "same", 1, 1),
    ((2, 3, 3, 4, 2), 3, 2, 2, "valid", None, 1),
    ((1, 3, 2, 3, 2), 2, (3, 2, 3), (2, 1, 2), "same", (1, 0, 0), 1),
]


@pytest.mark.parametrize("channels_first", [False, True], ids=["last", "first"])
@pytest.mark.parametrize("case", TRANSPOSE_GRID, ids=str)
def test_conv_transpose_matches_torch(rng, case, channels_first):
    shape, filters, kernel_size, strides, padding, output_padding, dilation = case
    rank = len(shape) - 2
    cls = {1: layers.Conv1DTranspose, 2: layers.Conv2DTranspose, 3: layers.Conv3DTranspose}[rank]
    x = rng.normal(size=shape).astype(np.float32)
    layer = cls(filters, kernel_size, strides=strides, padding=padding, output_padding=output_padding,
                dilation_rate=dilation, bias_initializer="random_normal",
                data_format="channels_first" if channels_first else "channels_last")
    y, (kernel, bias), (dk, db), dx, dy = run(layer, x, channels_first)
    assert kernel.shape == layer.kernel_size + (filters, shape[-1])
    y_ref, xt, wt, bt = conv_transpose(x, kernel, bias, layer.strides, padding, layer.dilation_rate,
                                       layer.output_padding)
    assert_close(y, from_ncx(y_ref.detach().numpy()), "output")
    gx, gw, gb = grads_of(y_ref, dy, xt, wt, bt)
    assert_close(dx, from_ncx(gx), "input gradient")
    assert_close(dk, torch_kernel_grad_to_keras(gw, rank), "kernel gradient")
    assert_close(db, gb, "bias gradient")


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_conv_transpose_activation(rng, activation):
    x = rng.normal(size=(2, 4, 4, 3)).astype(np.float32)
    layer = layers.Conv2DTranspose(4, 3, strides=2, padding="same", activation=activation,
                                   bias_initializer="random_normal")
    y, (kernel, bias), (dk, db), dx, dy = run(layer, x, False)
    y_ref, xt, wt, bt = conv_transpose(x, kernel, bias, (2, 2), "same", (1, 1), None)
    y_ref = getattr(y_ref, activation)()
    assert_close(y, from_ncx(y_ref.detach().numpy()), "output")
    gx, gw, gb = grads_of(y_ref, dy, xt, wt, bt)
    assert_close(dx, from_ncx(gx), "input gradient")
    assert_close(dk, torch_kernel_grad_to_keras(gw, 2), "kernel gradient")
    assert_close(db, gb, "bias gradient")


DEPTHWISE_GRID = [
    # (input (N, *spatial, C), kernel, strides, padding, dilation, depth_multiplier)
    ((2, 9, 3), 3, 1, "valid", 1, 1),
    ((2, 9, 3), 3, 2, "same", 1, 2),
    ((1, 10, 4), 2, 1, "same", 3, 3),
    ((2, 6, 6, 3), 3, 1, "valid", 1, 1),
    ((2, 6, 6, 3), 3, 2, "same", 1, 1),
    ((2, 7, 6, 2), (3, 2), (2, 1), "valid", 1, 3),
    ((1, 8, 8, 5), 3, 1, "same", 2, 2),
    ((2, 7, 7, 4), (2, 3), (2, 2), "same", (2, 1), 1),
    ((3, 5, 5, 1), 5, 1, "valid", 1, 4),
    ((2, 6, 6, 70), 3, 1, "same", 1, 1),  # more channels than one kernel-gradient block
    ((2, 5, 5, 33), 3, 2, "same", 1, 2),
]


def _check_depthwise(rng, case, channels_first, filters):
    shape, kernel_size, strides, padding, dilation, multiplier = case
    rank = len(shape) - 2
    x = rng.normal(size=shape).astype(np.float32)
    fmt = "channels_first" if channels_first else "channels_last"
    if filters:
        cls = {1: layers.SeparableConv1D, 2: layers.SeparableConv2D}[rank]
        layer = cls(filters, kernel_size, strides=strides, padding=padding, dilation_rate=dilation,
                    depth_multiplier=multiplier, bias_initializer="random_normal", data_format=fmt)
    else:
        cls = {1: layers.DepthwiseConv1D, 2: layers.DepthwiseConv2D}[rank]
        layer = cls(kernel_size, strides=strides, padding=padding, dilation_rate=dilation,
                    depth_multiplier=multiplier, bias_initializer="random_normal", data_format=fmt)
    y, weights, grads, dx, dy = run(layer, x, channels_first)
    c = shape[-1]
    assert weights[0].shape == layer.kernel_size + (c, multiplier)
    if filters:
        assert weights[1].shape == (1,) * rank + (c * multiplier, filters)
        y_ref, xt, wt, pt, bt = depthwise(x, weights[0], weights[2], layer.strides, padding, layer.dilation_rate,
                                          pointwise=weights[1])
        gx, gw, gp, gb = grads_of(y_ref, dy, xt, wt, pt, bt)
        assert_close(grads[1], torch_kernel_grad_to_keras(gp, rank), "pointwise kernel gradient")
    else:
        y_ref, xt, wt, bt = depthwise(x, weights[0], weights[1], layer.strides, padding, layer.dilation_rate)
        gx, gw, gb = grads_of(y_ref, dy, xt, wt, bt)
    assert_close(y, from_ncx(y_ref.detach().numpy()), "output")
    assert_close(dx, from_ncx(gx), "input gradient")
    assert_close(grads[0], gw, "depthwise kernel gradient")
    assert_close(grads[-1], gb, "bias gradient")


@pytest.mark.parametrize("channels_first", [False, True], ids=["last", "first"])
@pytest.mark.parametrize("case", DEPTHWISE_GRID, ids=str)
def test_depthwise_matches_torch(rng, case, channels_first):
    _check_depthwise(rng, case, channels_first, 0)


@pytest.mark.parametrize("channels_first", [False, True], ids=["last", "first"])
@pytest.mark.parametrize("case", DEPTHWISE_GRID, ids=str)
def test_separable_matches_torch(rng, case, channels_first):
    _check_depthwise(rng, case, channels_first, 5)
