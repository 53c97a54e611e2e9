"""ZeroPadding, Cropping and UpSampling (1D/2D/3D) against PyTorch (float32): outputs and
input gradients to 1e-4 relative over a grid of shapes, amounts and data formats."""

import numpy as np
import pytest

import axon
from axon import layers
from reshaping_refs import crop, from_first, pad, to_first, torch, upsample


def assert_close(actual, expected, what):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    scale = max(np.abs(expected).max(), 1e-6)
    np.testing.assert_allclose(actual, expected, rtol=1e-4, atol=1e-4 * scale, err_msg=what)


def check_against_torch(rng, layer, shape, reference):
    """shape: the input in the layer's data format; reference(t) on a channels_first tensor."""
    fmt = getattr(layer, "data_format", "channels_last")
    x = rng.normal(size=shape).astype(np.float32)
    model = axon.Sequential([axon.Input(shape=shape[1:]), layer])
    model.compile(optimizer="sgd", loss="mse")
    xt = torch.tensor(np.ascontiguousarray(to_first(x, fmt)), requires_grad=True)
    yt = reference(xt)
    expected = from_first(yt.detach().numpy(), fmt)
    assert layer.output_shape == (None,) + expected.shape[1:]
    assert_close(model.predict(x, verbose=0), expected, "output")
    dy = rng.normal(size=expected.shape).astype(np.float32)
    grads, dx = model._core.gradients_from_output(x, np.ascontiguousarray(dy))
    assert grads == []
    yt.backward(torch.tensor(np.ascontiguousarray(to_first(dy, fmt))))
    assert_close(dx, from_first(xt.grad.numpy(), fmt), "input gradient")


def _shape(spatial, channels, fmt, batch=2):
    return (batch, channels) + spatial if fmt == "channels_first" else (batch,) + spatial + (channels,)


FORMATS = ["channels_last", "channels_first"]

PAD_CASES = [  # (spatial input, the argument, its (before, after) pairs)
    ((5,), 1, [(1, 1)]),
    ((5,), (2, 0), [(2, 0)]),
    ((4,), (0, 3), [(0, 3)]),
    ((4, 5), 1, [(1, 1), (1, 1)]),
    ((4, 5), (1, 2), [(1, 1), (2, 2)]),
    ((4, 5), ((1, 0), (2, 3)), [(1, 0), (2, 3)]),
    ((3, 3), ((0, 0), (0, 1)), [(0, 0), (0, 1)]),
    ((3, 3), ((2, 1), 0), [(2, 1), (0, 0)]),
    ((3, 4, 2), 1, [(1, 1)] * 3),
    ((3, 4, 2), (1, 0, 2), [(1, 1), (0, 0), (2, 2)]),
    ((3, 4, 2), ((1, 0), (0, 2), (1, 1)), [(1, 0), (0, 2), (1, 1)]),
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("spatial,arg,pairs", PAD_CASES, ids=str)
def test_zero_padding_matches_torch(rng, spatial, arg, pairs, fmt):
    cls = getattr(layers, f"ZeroPadding{len(spatial)}D")
    layer = cls(arg, data_format=fmt)
    check_against_torch(rng, layer, _shape(spatial, 3, fmt), lambda t: pad(t, pairs))


CROP_CASES = [
    ((6,), 1, [(1, 1)]),
    ((6,), (2, 0), [(2, 0)]),
    ((5,), (0, 4), [(0, 4)]),
    ((5, 6), 1, [(1, 1), (1, 1)]),
    ((5, 6), (1, 2), [(1, 1), (2, 2)]),
    ((5, 6), ((1, 0), (2, 3)), [(1, 0), (2, 3)]),
    ((4, 4), ((0, 0), (0, 1)), [(0, 0), (0, 1)]),
    ((4, 5, 3), 1, [(1, 1)] * 3),
    ((4, 5, 3), ((1, 0), (0, 2), (1, 1)), [(1, 0), (0, 2), (1, 1)]),
    ((4, 5, 3), (0, 1, (0, 2)), [(0, 0), (1, 1), (0, 2)]),
]


# Keras' Cropping1D has no data_format: channels_last only.
CROP_FORMATS = [(case, fmt) for case in CROP_CASES for fmt in (FORMATS if len(case[0]) > 1 else FORMATS[:1])]


@pytest.mark.parametrize("case,fmt", CROP_FORMATS, ids=str)
def test_cropping_matches_torch(rng, case, fmt):
    spatial, arg, pairs = case
    cls = getattr(layers, f"Cropping{len(spatial)}D")
    layer = cls(arg) if len(spatial) == 1 else cls(arg, data_format=fmt)
    check_against_torch(rng, layer, _shape(spatial, 3, fmt), lambda t: crop(t, pairs))


@pytest.mark.parametrize("size", [1, 2, 3])
def test_upsampling1d_matches_torch(rng, size):
    check_against_torch(rng, layers.UpSampling1D(size), (2, 5, 3), lambda t: upsample(t, (size,)))


UP2D_CASES = [((4, 5), 2, (2, 2)), ((4, 5), (3, 1), (3, 1)), ((3, 2), (1, 4), (1, 4)), ((1, 1), (2, 3), (2, 3)),
              ((5, 1), 2, (2, 2)), ((6, 7), (3, 2), (3, 2))]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("interpolation", ["nearest", "bilinear"])
@pytest.mark.parametrize("spatial,arg,factors", UP2D_CASES, ids=str)
def test_upsampling2d_matches_torch(rng, spatial, arg, factors, interpolation, fmt):
    layer = layers.UpSampling2D(arg, data_format=fmt, interpolation=interpolation)
    check_against_torch(rng, layer, _shape(spatial, 3, fmt), lambda t: upsample(t, factors, interpolation))


def test_bilinear_on_a_large_batch(rng):  # the parallel path of the kernels
    layer = layers.UpSampling2D((2, 3), interpolation="bilinear")
    check_against_torch(rng, layer, (16, 12, 10, 8), lambda t: upsample(t, (2, 3), "bilinear"))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("spatial,arg,factors", [((3, 4, 2), 2, (2, 2, 2)), ((2, 3, 4), (1, 2, 3), (1, 2, 3)),
                                                 ((1, 1, 1), (3, 1, 2), (3, 1, 2))], ids=str)
def test_upsampling3d_matches_torch(rng, spatial, arg, factors, fmt):
    layer = layers.UpSampling3D(arg, data_format=fmt)
    check_against_torch(rng, layer, _shape(spatial, 2, fmt), lambda t: upsample(t, factors))


def test_bilinear_hand_values():
    # 1x2 image, factor 2 on w: source coordinates (o + 0.5) / 2 - 0.5 = -0.25 (clamped to
    # 0), 0.25, 0.75, 1.25 (the right neighbour clamped to the edge).
    model = axon.Sequential([axon.Input((1, 2, 1)), layers.UpSampling2D((1, 2), interpolation="bilinear")])
    y = model.predict(np.array([[[[1.0], [3.0]]]], dtype=np.float32), verbose=0)
    np.testing.assert_allclose(y.ravel(), [1.0, 1.5, 2.5, 3.0])


def test_padding_then_cropping_is_the_identity(rng):
    x = rng.normal(size=(3, 4, 5, 2)).astype(np.float32)
    model = axon.Sequential([axon.Input(x.shape[1:]), layers.ZeroPadding2D(((1, 2), (3, 0))),
                             layers.Cropping2D(((1, 2), (3, 0)))])
    np.testing.assert_array_equal(model.predict(x, verbose=0), x)


def test_float64_models(rng):
    axon.config.set_floatx("float64")
    x = rng.normal(size=(2, 3, 4, 2))
    model = axon.Sequential([axon.Input(x.shape[1:]), layers.ZeroPadding2D(1),
                             layers.UpSampling2D(2, interpolation="bilinear"), layers.Cropping2D(2)])
    xt = torch.tensor(np.moveaxis(x, -1, 1))
    ref = crop(upsample(pad(xt, [(1, 1)] * 2), (2, 2), "bilinear"), [(2, 2)] * 2)
    np.testing.assert_allclose(model.predict(x, verbose=0), np.moveaxis(ref.numpy(), 1, -1), rtol=1e-12,
                               atol=1e-12)
