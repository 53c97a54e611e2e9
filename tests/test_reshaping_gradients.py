"""Float64 finite-difference checks of ZeroPadding, Cropping, UpSampling and SpatialDropout
in small models (a Dense after each so the loss mixes the moved values)."""

import numpy as np
import pytest

import axon
from axon import layers
from gradcheck import assert_stack_gradients_match, float64_model

CASES = {  # name: (a function making the layers, input shape)
    "zero_padding1d": (lambda: [layers.ZeroPadding1D((2, 1))], (4, 3)),
    "zero_padding2d": (lambda: [layers.ZeroPadding2D(((1, 0), (2, 1))), layers.Dense(2)], (3, 3, 2)),
    "zero_padding2d_first": (lambda: [layers.ZeroPadding2D((1, 2), data_format="channels_first")], (2, 3, 2)),
    "zero_padding3d": (lambda: [layers.ZeroPadding3D(((1, 0), (0, 1), (1, 1))), layers.Dense(2)], (2, 2, 3, 2)),
    "cropping1d": (lambda: [layers.Cropping1D((1, 2)), layers.Dense(2)], (6, 3)),
    "cropping2d": (lambda: [layers.Cropping2D(((1, 0), (0, 2)))], (4, 5, 2)),
    "cropping2d_first": (lambda: [layers.Cropping2D(1, data_format="channels_first"), layers.Dense(2)],
                         (2, 4, 4)),
    "cropping3d": (lambda: [layers.Cropping3D(((0, 1), (1, 0), (1, 1)))], (3, 3, 4, 2)),
    "upsampling1d": (lambda: [layers.UpSampling1D(3), layers.Dense(2)], (3, 2)),
    "upsampling2d_nearest": (lambda: [layers.UpSampling2D((2, 3)), layers.Dense(2)], (2, 3, 2)),
    "upsampling2d_bilinear": (lambda: [layers.UpSampling2D((3, 2), interpolation="bilinear"), layers.Dense(2)],
                              (3, 2, 2)),
    "upsampling2d_bilinear_first": (lambda: [layers.UpSampling2D(2, data_format="channels_first",
                                                                 interpolation="bilinear")], (2, 3, 3)),
    "upsampling3d": (lambda: [layers.UpSampling3D((1, 2, 2), data_format="channels_first")], (2, 2, 2, 3)),
    "spatial_dropout1d": (lambda: [layers.SpatialDropout1D(0.5, seed=1), layers.Dense(2)], (4, 6)),
    "spatial_dropout2d": (lambda: [layers.SpatialDropout2D(0.4, seed=2)], (3, 3, 5)),
    "spatial_dropout3d_first": (lambda: [layers.SpatialDropout3D(0.5, data_format="channels_first", seed=3),
                                         layers.Dense(2)], (5, 2, 2, 3)),
}


@pytest.mark.parametrize("batch", [1, 3])
@pytest.mark.parametrize("name", sorted(CASES))
def test_gradients(rng, name, batch):
    assert_stack_gradients_match(rng, *CASES[name], batch)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_spatial_dropout_gradient_flows_through_kept_channels_only(rng, data_format):
    model = float64_model([layers.SpatialDropout2D(0.5, data_format=data_format, seed=11)], (6, 4, 5))
    x = rng.normal(size=(4, 6, 4, 5))
    dy = rng.normal(size=x.shape)
    _, dx = model._core.gradients_from_output(x, dy)
    ratio = dx / dy  # the mask: 0 or 1 / (1 - rate), the same at every position of a channel
    axes = (2, 3) if data_format == "channels_first" else (1, 2)
    per_channel = ratio.max(axis=axes)
    np.testing.assert_allclose(ratio.min(axis=axes), per_channel, atol=1e-12)
    assert set(np.round(per_channel.ravel(), 12)) == {0.0, 2.0}
    axon.config.set_floatx("float32")
