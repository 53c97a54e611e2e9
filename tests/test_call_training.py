"""model(x, training=True) outside fit, as in Keras: dropout active with a new mask per call,
BatchNormalization on the batch's statistics, updating its moving ones."""
import numpy as np
import pytest

import axon
from axon import layers


def _dropout_model(rate=0.5, seed=3):
    return axon.Sequential([axon.Input((2000,)), layers.Dropout(rate, seed=seed)])


def test_dropout_is_active_and_draws_a_new_mask_per_call():
    model = _dropout_model()
    x = np.ones((3, 2000), np.float32)
    first, second = model(x, training=True), model(x, training=True)
    for y in (first, second):
        assert set(np.unique(y).tolist()) == {0.0, 2.0}  # kept values scaled by 1 / (1 - rate)
        assert abs(float(np.mean(y == 0)) - 0.5) < 0.03
    assert np.mean(first != second) > 0.3
    np.testing.assert_array_equal(model(x), x)  # inference: the identity
    np.testing.assert_array_equal(model(x, training=False), x)


def test_training_calls_repeat_for_the_same_seed():
    x = np.ones((2, 2000), np.float32)
    a, b = _dropout_model(seed=11), _dropout_model(seed=11)
    for _ in range(2):
        np.testing.assert_array_equal(a(x, training=True), b(x, training=True))
    assert not np.array_equal(_dropout_model(seed=12)(x, training=True), a(x, training=True))


def test_batch_normalization_uses_and_updates_batch_statistics():
    rng = np.random.default_rng(0)
    x = rng.normal(2.0, 3.0, size=(16, 3))
    axon.config.set_floatx("float64")
    try:
        model = axon.Sequential([axon.Input((3,)), layers.BatchNormalization(momentum=0.9, epsilon=1e-3)])
        y = model(x, training=True)
    finally:
        axon.config.set_floatx("float32")
    mean, var = x.mean(axis=0), x.var(axis=0)  # Keras: the biased variance
    np.testing.assert_allclose(y, (x - mean) / np.sqrt(var + 1e-3), rtol=1e-12, atol=1e-12)
    gamma, beta, moving_mean, moving_var = model.layers[0].get_weights()
    np.testing.assert_allclose(moving_mean, 0.1 * mean, rtol=1e-12)
    np.testing.assert_allclose(moving_var, 0.9 + 0.1 * var, rtol=1e-12)
    # inference afterwards normalizes by the moving statistics
    np.testing.assert_allclose(model(x), (x - moving_mean) / np.sqrt(moving_var + 1e-3), rtol=1e-12, atol=1e-12)


def test_without_random_layers_training_calls_equal_predict():
    model = axon.Sequential([axon.Input((5,)), layers.Dense(4, activation="tanh"), layers.Dense(2)])
    x = np.random.default_rng(1).random((7, 5), dtype=np.float32)
    np.testing.assert_array_equal(model(x, training=True), model.predict_on_batch(x))


def test_training_call_with_a_wrong_shape_names_the_shape():
    model = axon.Sequential([axon.Input((5,)), layers.Dropout(0.2)])
    with pytest.raises(ValueError, match="5"):
        model(np.ones((2, 4), np.float32), training=True)
