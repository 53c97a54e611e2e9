"""Conv1D/2D/3D and pooling against PyTorch's functional ops (float32): outputs, input and
weight gradients to 1e-4 relative over a grid of shapes, strides, paddings, dilations, groups."""

import itertools

import numpy as np
import pytest

import axon
from axon import layers
from conv_refs import conv, from_ncx, grads_of, pool, torch_kernel_grad_to_keras

pytest.importorskip("torch")


def assert_close(actual, expected, what):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    scale = max(np.abs(expected).max(), 1e-6)
    np.testing.assert_allclose(actual, expected, rtol=1e-4, atol=1e-4 * scale, err_msg=what)


def run_layer(layer, x, dy):
    model = axon.Sequential([axon.Input(shape=x.shape[1:]), layer])
    model.compile(optimizer="sgd", loss="mse")
    y = model.predict(x, verbose=0)
    grads, dx = model._core.gradients_from_output(x, dy)
    return y, grads, dx


def check_conv(rng, cls, batch_shape, filters, kernel_size, strides, padding, dilation, groups, activation=None):
    x = rng.normal(size=batch_shape).astype(np.float32)
    layer = cls(filters, kernel_size, strides=strides, padding=padding, dilation_rate=dilation, groups=groups,
                activation=activation, bias_initializer="random_normal")
    rank = len(batch_shape) - 2
    model = axon.Sequential([axon.Input(shape=x.shape[1:]), layer])
    model.compile(optimizer="sgd", loss="mse")
    kernel, bias = layer.get_weights()
    k = layer.kernel_size
    s, d = layer.strides, layer.dilation_rate
    y_ref, xt, wt, bt = conv(x, kernel, bias, s, padding, d, groups, activation)
    assert layer.output_shape == (None,) + from_ncx(y_ref.detach().numpy()).shape[1:]
    y = model.predict(x, verbose=0)
    assert_close(y, from_ncx(y_ref.detach().numpy()), "output")
    dy = rng.normal(size=y.shape).astype(np.float32)
    (dk, db), dx = model._core.gradients_from_output(x, dy)
    gx, gw, gb = grads_of(y_ref, dy, xt, wt, bt)
    assert_close(dx, from_ncx(gx), "input gradient")
    assert_close(dk, torch_kernel_grad_to_keras(gw, rank), "kernel gradient")
    assert_close(db, gb, "bias gradient")
    assert kernel.shape == tuple(k) + (x.shape[-1] // groups, filters)


CONV2D_GRID = [
    # (input (N, H, W, C), filters, kernel, strides, padding, dilation, groups)
    ((2, 7, 7, 3), 4, 3, 1, "valid", 1, 1),
    ((2, 7, 7, 3), 4, 3, 1, "same", 1, 1),
    ((1, 8, 9, 2), 3, (3, 2), (2, 3), "valid", 1, 1),
    ((3, 8, 9, 2), 3, (3, 2), (2, 3), "same", 1, 1),
    ((2, 9, 8, 4), 6, 3, 1, "valid", 2, 2),
    ((2, 9, 8, 4), 4, (2, 3), 1, "same", (2, 1), 4),
    ((2, 6, 6, 6), 9, 1, 2, "same", 1, 3),
    ((2, 5, 5, 1), 2, 5, 1, "valid", 1, 1),
    ((1, 10, 10, 2), 2, 4, 3, "same", 1, 1),
    ((4, 28, 28, 1), 8, 3, 1, "valid", 1, 1),  # the convnet's first layer
    # Few input channels and filters a multiple of 16: the direct (no im2col) forward.
    ((4, 28, 28, 1), 32, 3, 1, "valid", 1, 1),
    ((2, 9, 8, 3), 16, 3, 2, "same", 1, 1),
    ((2, 9, 9, 2), 48, (3, 2), 1, "same", (2, 3), 1),
    ((2, 12, 12, 1), 128, 5, 1, "same", 1, 1),  # too many filters for the direct path: GEMM
    # Many input channels, filters a multiple of 16: direct forward, GEMM gradients.
    ((2, 13, 13, 32), 64, 3, 1, "valid", 1, 1),  # the convnet's second layer
    ((2, 10, 11, 8), 16, 3, 2, "same", 1, 1),
    ((2, 12, 12, 6), 32, 3, 1, "same", 2, 1),
    # Register-tiled backward GEMMs (taps x channels and filters multiples of 16): 80 filters
    # are a 4-vector and a 1-vector column block, 144 = 9 vectors, hundreds of rows per chunk.
    ((3, 14, 13, 16), 80, 3, 1, "same", 1, 1),
    ((2, 9, 9, 16), 16, 2, 1, "valid", 1, 1),
]


@pytest.mark.parametrize("case", CONV2D_GRID, ids=str)
def test_conv2d_matches_torch(rng, case):
    check_conv(rng, layers.Conv2D, *case)


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_conv2d_activation_matches_torch(rng, activation):
    check_conv(rng, layers.Conv2D, (2, 6, 6, 3), 5, 3, 1, "same", 1, 1, activation)


@pytest.mark.parametrize("case", [
    ((2, 11, 3), 4, 3, 1, "valid", 1, 1),
    ((2, 11, 3), 4, 3, 2, "same", 1, 1),
    ((2, 11, 4), 4, 3, 1, "causal", 2, 2),
    ((3, 10, 2), 3, 4, 3, "causal", 1, 1),
    ((2, 12, 6), 6, 2, 1, "same", 3, 6),
    ((2, 11, 4), 16, 3, 1, "causal", 2, 1),  # direct forward
], ids=str)
def test_conv1d_matches_torch(rng, case):
    check_conv(rng, layers.Conv1D, *case)


@pytest.mark.parametrize("case", [
    ((2, 5, 6, 4, 2), 3, 3, 1, "valid", 1, 1),
    ((2, 5, 6, 4, 2), 3, (2, 3, 2), (2, 1, 2), "same", 1, 1),
    ((1, 6, 5, 5, 4), 4, 2, 1, "valid", (2, 1, 2), 2),
    ((2, 5, 6, 4, 1), 32, 3, (1, 2, 1), "same", 1, 1),  # direct forward
], ids=str)
def test_conv3d_matches_torch(rng, case):
    check_conv(rng, layers.Conv3D, *case)


POOL_GRID = [
    # (input shape, pool_size, strides, padding)
    ((2, 7, 7, 3), 2, None, "valid"),
    ((2, 7, 7, 3), 2, None, "same"),
    ((2, 8, 9, 2), (3, 2), (2, 1), "valid"),
    ((2, 8, 9, 2), 3, (2, 2), "same"),
    ((1, 5, 5, 1), 3, 1, "same"),
    ((4, 26, 26, 4), 2, None, "valid"),
    # The convnet's pools and other shapes with whole vectors of channels.
    ((3, 26, 26, 32), 2, None, "valid"),  # the convnet's first pool: tiled
    ((2, 11, 11, 64), 2, None, "valid"),  # the second: the last row and column are left out
    ((2, 7, 7, 16), 2, None, "same"),  # tiled, the last window half in padding
    ((2, 8, 9, 48), 3, (2, 2), "same"),  # overlapping windows, 3 vectors of channels
    ((1, 6, 6, 80), 2, None, "valid"),  # a 4-vector and a 1-vector channel block
]


@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize("case", POOL_GRID + [((2, 9, 3), 2, None, "same"), ((2, 9, 3), 3, 2, "valid"),
                                              ((2, 5, 6, 7, 2), 2, None, "same"),
                                              ((2, 9, 16), 2, None, "same"), ((2, 4, 5, 4, 16), 2, None, "valid"),
                                              ((2, 5, 6, 7, 2), (3, 2, 2), (1, 2, 3), "valid")], ids=str)
def test_pooling_matches_torch(rng, kind, case):
    shape, pool_size, strides, padding = case
    rank = len(shape) - 2
    name = {"max": "MaxPooling", "avg": "AveragePooling"}[kind] + f"{rank}D"
    # Distinct values, so the max (and its gradient's destination) is unique.
    x = rng.permutation(np.prod(shape)).reshape(shape).astype(np.float32) / np.prod(shape)
    layer = getattr(layers, name)(pool_size, strides=strides, padding=padding)
    y_ref, xt = pool(x, kind, layer.pool_size, layer.strides, padding)
    dy = rng.normal(size=from_ncx(y_ref.detach().numpy()).shape).astype(np.float32)
    y, grads, dx = run_layer(layer, x, dy)
    assert grads == []
    assert_close(y, from_ncx(y_ref.detach().numpy()), "output")
    (gx,) = grads_of(y_ref, dy, xt)
    assert_close(dx, from_ncx(gx), "input gradient")


@pytest.mark.parametrize("rank", [1, 2, 3])
@pytest.mark.parametrize("kind", ["Max", "Average"])
@pytest.mark.parametrize("keepdims", [False, True])
def test_global_pooling(rng, rank, kind, keepdims):
    shape = (3,) + (4, 5, 3)[:rank] + (6,)
    x = rng.permutation(np.prod(shape)).reshape(shape).astype(np.float32)
    layer = getattr(layers, f"Global{kind}Pooling{rank}D")(keepdims=keepdims)
    axes = tuple(range(1, rank + 1))
    ref = x.max(axis=axes, keepdims=keepdims) if kind == "Max" else x.mean(axis=axes, keepdims=keepdims)
    dy = rng.normal(size=ref.shape).astype(np.float32)
    y, _, dx = run_layer(layer, x, dy)
    assert layer.output_shape == (None,) + ref.shape[1:]
    assert_close(y, ref, "output")
    dy_b = dy if keepdims else np.expand_dims(dy, axes)
    if kind == "Max":  # values are distinct: the gradient goes to the one max
        expected = np.where(x == x.max(axis=axes, keepdims=True), dy_b, 0)
    else:
        expected = np.broadcast_to(dy_b / np.prod(shape[1:-1]), shape)
    assert_close(dx, expected, "input gradient")


@pytest.mark.parametrize("cls,shape,kwargs", [
    (layers.Conv2D, (2, 6, 7, 3), dict(filters=4, kernel_size=3, strides=2, padding="same", groups=1)),
    (layers.Conv1D, (2, 9, 4), dict(filters=4, kernel_size=2, dilation_rate=2, groups=2)),
    (layers.Conv3D, (2, 4, 5, 3, 2), dict(filters=2, kernel_size=2)),
    (layers.MaxPooling2D, (2, 6, 7, 3), dict(pool_size=2, padding="same")),
    (layers.AveragePooling1D, (2, 7, 3), dict(pool_size=3, strides=2)),
    (layers.GlobalAveragePooling2D, (2, 4, 5, 3), dict(keepdims=True)),
    (layers.GlobalMaxPooling3D, (2, 4, 5, 3, 2), dict()),
])
def test_channels_first_is_channels_last_transposed(rng, cls, shape, kwargs):
    x = rng.permutation(np.prod(shape)).reshape(shape).astype(np.float32) / np.prod(shape)
    last = cls(**kwargs)
    first = cls(data_format="channels_first", **kwargs)
    m_last = axon.Sequential([axon.Input(shape=shape[1:]), last])
    m_first = axon.Sequential([axon.Input(shape=np.moveaxis(x, -1, 1).shape[1:]), first])
    for m in (m_last, m_first):
        m.compile(optimizer="sgd", loss="mse")
    if last.get_weights():
        first.set_weights(last.get_weights())
    y = m_last.predict(x, verbose=0)
    yf = m_first.predict(np.ascontiguousarray(np.moveaxis(x, -1, 1)), verbose=0)
    to_first = (lambda a: np.moveaxis(a, -1, 1)) if y.ndim > 2 else (lambda a: a)
    assert first.output_shape == (None,) + to_first(y).shape[1:]
    assert_close(yf, to_first(y), "output")
    dy = rng.normal(size=y.shape).astype(np.float32)
    g_last, dx_last = m_last._core.gradients_from_output(x, dy)
    g_first, dx_first = m_first._core.gradients_from_output(np.ascontiguousarray(np.moveaxis(x, -1, 1)),
                                                            np.ascontiguousarray(to_first(dy)))
    assert_close(dx_first, np.moveaxis(dx_last, -1, 1), "input gradient")
    for a, b in zip(g_first, g_last):
        assert_close(a, b, "weight gradient")
