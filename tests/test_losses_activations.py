"""Values of every activation and loss against float64 NumPy references (Keras formulas)."""

import numpy as np
import pytest

import axon
from axon import activations, losses

EPS = 1e-7


def np_softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def np_sigmoid(x):
    return 1 / (1 + np.exp(-x))


REFERENCES = {
    "linear": lambda x: x,
    "relu": lambda x: np.maximum(x, 0),
    "sigmoid": np_sigmoid,
    "tanh": np.tanh,
    "softmax": np_softmax,
}


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_activation_values(rng, name):
    x = rng.normal(scale=3, size=(4, 7))
    np.testing.assert_allclose(getattr(activations, name)(x), REFERENCES[name](x), rtol=1e-12, atol=1e-15)


def test_activations_are_stable_for_extreme_inputs():
    x = np.array([[-1e4, 0.0, 1e4]])
    np.testing.assert_allclose(activations.sigmoid(x), [[0.0, 0.5, 1.0]])
    np.testing.assert_allclose(activations.softmax(x), [[0.0, 0.0, 1.0]])
    assert np.all(np.isfinite(activations.softmax(np.array([[1e30, -1e30]]))))


def test_softmax_axis(rng):
    x = rng.normal(size=(2, 3, 4))
    np.testing.assert_allclose(activations.softmax(x, axis=1), np.moveaxis(np_softmax(np.moveaxis(x, 1, -1)), -1, 1))


def ref_mse(t, p):
    return np.mean(np.mean((t - p) ** 2, axis=-1))


def ref_bce(t, p, from_logits):
    if from_logits:
        return np.mean(np.mean(np.maximum(p, 0) - p * t + np.log1p(np.exp(-np.abs(p))), axis=-1))
    p = np.clip(p, EPS, 1 - EPS)
    return np.mean(np.mean(-(t * np.log(p) + (1 - t) * np.log(1 - p)), axis=-1))


def ref_cce(t, p, from_logits):
    if from_logits:
        logp = p - p.max(-1, keepdims=True)
        logp = logp - np.log(np.exp(logp).sum(-1, keepdims=True))
    else:
        logp = np.log(np.clip(p / p.sum(-1, keepdims=True), EPS, 1 - EPS))
    return np.mean(-(t * logp).sum(-1))


def test_loss_values(rng):
    p = rng.uniform(0.01, 0.99, size=(6, 4))
    logits = rng.normal(scale=4, size=(6, 4))
    onehot = np.eye(4)[rng.integers(0, 4, 6)]
    labels = onehot.argmax(-1)
    binary = rng.integers(0, 2, size=(6, 4)).astype(float)
    assert losses.MeanSquaredError()(onehot, p) == pytest.approx(ref_mse(onehot, p), rel=1e-12)
    assert losses.mean_squared_error(onehot, p) == pytest.approx(ref_mse(onehot, p), rel=1e-12)
    assert losses.BinaryCrossentropy()(binary, p) == pytest.approx(ref_bce(binary, p, False), rel=1e-12)
    assert losses.BinaryCrossentropy(from_logits=True)(binary, logits) == pytest.approx(
        ref_bce(binary, logits, True), rel=1e-12)
    assert losses.CategoricalCrossentropy()(onehot, p) == pytest.approx(ref_cce(onehot, p, False), rel=1e-12)
    assert losses.CategoricalCrossentropy(from_logits=True)(onehot, logits) == pytest.approx(
        ref_cce(onehot, logits, True), rel=1e-12)
    assert losses.SparseCategoricalCrossentropy()(labels, p) == pytest.approx(ref_cce(onehot, p, False), rel=1e-12)
    assert losses.SparseCategoricalCrossentropy(from_logits=True)(labels, logits) == pytest.approx(
        ref_cce(onehot, logits, True), rel=1e-12)


def test_probability_losses_clip_like_keras():
    # A zero probability for the true class costs -log(1e-7), not infinity.
    assert losses.categorical_crossentropy(np.array([[0.0, 1.0]]), np.array([[1.0, 0.0]])) == pytest.approx(
        -np.log(EPS), rel=1e-6)
    assert losses.binary_crossentropy(np.array([[1.0]]), np.array([[0.0]])) == pytest.approx(-np.log(EPS), rel=1e-6)


@pytest.mark.parametrize("scale", [1e2, 1e4, 1e8])
def test_fused_losses_are_stable_for_huge_logits(scale):
    from axon import _core

    z = np.array([[1.0, -1.0, 0.5], [-2.0, 3.0, 0.0]]) * scale
    t = np.array([[0.0, 1.0, 0.0], [0.0, 1.0, 0.0]])
    value, grad = _core.compute_loss("categorical_crossentropy", False, t, z, True)
    assert value == pytest.approx(ref_cce(t, z, True), rel=1e-9)
    assert np.all(np.isfinite(grad))
    np.testing.assert_allclose(grad, (np_softmax(z) - t) / 2, atol=1e-12)
    zb = np.array([[scale, -scale]])
    tb = np.array([[0.0, 1.0]])
    value, grad = _core.compute_loss("binary_crossentropy", False, tb, zb, True)
    assert value == pytest.approx(ref_bce(tb, zb, True), rel=1e-9)
    np.testing.assert_allclose(grad, [[0.5, -0.5]], atol=1e-12)  # (sigmoid(z) - t) / 2


def test_fused_training_matches_from_logits_training(rng):
    """softmax + CCE (fused) trains exactly like a linear output with from_logits=True."""
    x = rng.normal(size=(64, 5)).astype(np.float32)
    y = np.eye(3)[rng.integers(0, 3, 64)]
    results = []
    for act, loss in [("softmax", losses.CategoricalCrossentropy()),
                      ("linear", losses.CategoricalCrossentropy(from_logits=True))]:
        axon.utils.set_random_seed(7)
        model = axon.Sequential([axon.Input((5,)), axon.layers.Dense(3, activation=act)])
        model.compile(optimizer="sgd", loss=loss)
        model.fit(x, y, epochs=3, batch_size=16, verbose=0)
        results.append(model.get_weights())
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
