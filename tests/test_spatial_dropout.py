"""SpatialDropout1D/2D/3D: whole channels dropped, the dropped fraction near rate, inverted
scaling, reproducible masks (seed and axon.utils.set_random_seed), identity at inference."""

import os
import subprocess
import sys

import numpy as np
import pytest

import axon
from axon import layers


def _model(layer, shape):
    model = axon.Sequential([axon.Input(shape), layer])
    model.compile(optimizer="sgd", loss="mse")
    return model


def training_mask(model, x):
    """The training-mode mask, read off the input gradient of sum(y): dx = mask."""
    _, dx = model._core.gradients_from_output(x, np.ones_like(x))
    return dx


CASES = [(layers.SpatialDropout1D, {}, (7, 5), (1,)),
         (layers.SpatialDropout2D, {}, (4, 3, 6), (1, 2)),
         (layers.SpatialDropout2D, {"data_format": "channels_first"}, (6, 4, 3), (2, 3)),
         (layers.SpatialDropout3D, {}, (2, 3, 4, 5), (1, 2, 3)),
         (layers.SpatialDropout3D, {"data_format": "channels_first"}, (5, 2, 3, 4), (2, 3, 4))]


@pytest.mark.parametrize("cls,kwargs,shape,spatial_axes", CASES, ids=lambda v: str(v))
@pytest.mark.parametrize("rate", [0.25, 0.5, 0.8])
def test_whole_channels_dropped_at_rate(rng, cls, kwargs, shape, spatial_axes, rate):
    model = _model(cls(rate, seed=5, **kwargs), shape)
    x = rng.normal(size=(400,) + shape).astype(np.float32)
    mask = training_mask(model, x)
    per_channel = mask.max(axis=spatial_axes)
    np.testing.assert_array_equal(mask.min(axis=spatial_axes), per_channel)  # one value per feature map
    np.testing.assert_allclose(np.unique(per_channel), [0.0, 1.0 / (1.0 - rate)], rtol=1e-6)
    dropped = np.mean(per_channel == 0)
    n = per_channel.size  # 400 samples x channels draws: 4 standard deviations of slack
    assert abs(dropped - rate) < 4 * np.sqrt(rate * (1 - rate) / n), dropped
    # The forward applies the same mask: the loss is mean((x * mask)^2) against zeros.
    loss = model._core.loss_and_gradients(x, np.zeros_like(x))[0]
    np.testing.assert_allclose(loss, np.mean((x * mask) ** 2), rtol=1e-5)


def test_channels_are_dropped_independently_per_sample(rng):
    model = _model(layers.SpatialDropout1D(0.5, seed=1), (3, 64))
    mask = training_mask(model, np.ones((50, 3, 64), np.float32))[:, 0, :]
    assert len({row.tobytes() for row in mask}) == 50  # no two samples share a mask
    assert 0.3 < np.mean(mask[:, :32] == 0) < 0.7 and 0.3 < np.mean(mask[:, 32:] == 0) < 0.7


def test_same_seed_same_mask_and_steps_change_it(rng):
    x = rng.normal(size=(8, 5, 5, 16)).astype(np.float32)
    a = _model(layers.SpatialDropout2D(0.5, seed=42), x.shape[1:])
    b = _model(layers.SpatialDropout2D(0.5, seed=42), x.shape[1:])
    c = _model(layers.SpatialDropout2D(0.5, seed=43), x.shape[1:])
    np.testing.assert_array_equal(training_mask(a, x), training_mask(b, x))
    assert not np.array_equal(training_mask(a, x), training_mask(c, x))
    a.train_on_batch(x, x)  # the next optimizer step draws a new mask
    assert not np.array_equal(training_mask(a, x), training_mask(b, x))


def test_set_random_seed_makes_unseeded_layers_reproducible(rng):
    x = rng.normal(size=(8, 6, 12)).astype(np.float32)

    def mask():
        axon.utils.set_random_seed(7)
        return training_mask(_model(layers.SpatialDropout1D(0.5), x.shape[1:]), x)

    first = mask()
    np.testing.assert_array_equal(first, mask())
    axon.utils.set_random_seed(8)
    assert not np.array_equal(first, training_mask(_model(layers.SpatialDropout1D(0.5), x.shape[1:]), x))


@pytest.mark.parametrize("cls,kwargs,shape,spatial_axes", CASES, ids=lambda v: str(v))
def test_identity_at_inference(rng, cls, kwargs, shape, spatial_axes):
    model = _model(cls(0.6, **kwargs), shape)
    x = rng.normal(size=(3,) + shape).astype(np.float32)
    np.testing.assert_array_equal(model.predict(x, verbose=0), x)
    np.testing.assert_array_equal(model(x), x)


def test_rate_zero_is_the_identity_in_training(rng):
    model = _model(layers.SpatialDropout2D(0.0), (3, 3, 4))
    x = rng.normal(size=(5, 3, 3, 4)).astype(np.float32)
    np.testing.assert_array_equal(training_mask(model, x), np.ones_like(x))


def test_training_with_spatial_dropout_reduces_the_loss(rng):
    axon.utils.set_random_seed(0)
    x = rng.normal(size=(64, 6, 6, 3)).astype(np.float32)
    y = x.mean(axis=(1, 2, 3))[:, None] * 2
    model = axon.Sequential([axon.Input((6, 6, 3)), layers.Conv2D(8, 3, activation="tanh"),
                             layers.SpatialDropout2D(0.2), layers.Flatten(), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(x, y, epochs=15, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


MASK_SCRIPT = """
import numpy as np, axon
model = axon.Sequential([axon.Input((3, 96)), axon.layers.SpatialDropout1D(0.5, seed=9)])
model.compile(optimizer="sgd", loss="mse")
x = np.ones((300, 3, 96), np.float32)  # 28,800 draws: the kernels' parallel path
np.save({out!r}, model._core.gradients_from_output(x, x)[1])
"""


def test_mask_does_not_depend_on_the_thread_count(tmp_path):
    masks = []
    for threads in ("1", "3"):
        out = str(tmp_path / f"mask{threads}.npy")
        env = dict(os.environ, OMP_NUM_THREADS=threads, PYTHONPATH=os.path.dirname(os.path.dirname(axon.__file__)))
        subprocess.run([sys.executable, "-c", MASK_SCRIPT.format(out=out)], check=True, env=env)
        masks.append(np.load(out))
    np.testing.assert_array_equal(masks[0], masks[1])
    assert 0.4 < np.mean(masks[0] == 0) < 0.6
