"""The normalization layers in Keras 3 files both ways, against Keras itself (torch
backend): predictions agree to 1e-5, moving statistics included, also after Keras trained
them; axon's moving-statistics update equals Keras' on the same batch."""

import warnings

import numpy as np
import pytest

import axon

pytest.importorskip("h5py")
pytest.importorskip("torch")

from keras_torch import keras  # noqa: E402,F401 (the fixture)




def _randomize(model, seed):
    g = np.random.default_rng(seed)
    weights = []
    for w in model.get_weights():
        weights.append(g.uniform(0.5, 1.5, size=w.shape).astype(w.dtype))
    model.set_weights(weights)


def _dense_keras_model(k):
    return k.Sequential([
        k.Input((5, 4)),
        k.layers.Dense(6, use_bias=False),
        k.layers.BatchNormalization(momentum=0.8, epsilon=1e-2, gamma_regularizer=k.regularizers.L2(1e-3)),
        k.layers.GroupNormalization(groups=3, epsilon=1e-4, beta_constraint=k.constraints.NonNeg()),
        k.layers.LayerNormalization(axis=[1, 2], center=False),
        k.layers.BatchNormalization(axis=1, scale=False),
        k.layers.Flatten(),
        k.layers.Dense(3),
        k.layers.LayerNormalization(rms_scaling=False),
    ])


def _dx(seed=0, n=16):
    return np.random.default_rng(seed).normal(size=(n, 5, 4)).astype("float32")


def test_keras_file_loads_in_axon_and_back(keras, tmp_path):
    kmodel = _dense_keras_model(keras)
    _randomize(kmodel, 1)
    x = _dx()
    expected = kmodel.predict(x, verbose=0)
    kmodel.save(tmp_path / "k.keras")
    model = axon.models.load_model(tmp_path / "k.keras")
    assert [type(layer).__name__ for layer in model.layers] == [type(layer).__name__ for layer in kmodel.layers]
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, atol=1e-5, rtol=1e-5)
    bn = model.layers[1]
    assert bn.momentum == 0.8 and bn.epsilon == 1e-2 and bn.gamma_regularizer is not None
    assert [w.name for w in bn.non_trainable_weights] == ["moving_mean", "moving_variance"]

    model.save(tmp_path / "a.keras")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        again = keras.saving.load_model(tmp_path / "a.keras")
    np.testing.assert_allclose(again.predict(x, verbose=0), expected, atol=1e-5, rtol=1e-5)
    for a, b in zip(again.get_weights(), kmodel.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_axon_model_loads_in_keras(keras, tmp_path):
    _dense_keras_model(keras).save(tmp_path / "arch.keras")
    model = axon.models.load_model(tmp_path / "arch.keras")
    _randomize(model, 2)
    x = _dx(3)
    model.save(tmp_path / "a.keras")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kmodel = keras.saving.load_model(tmp_path / "a.keras")
    np.testing.assert_allclose(kmodel.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-5, rtol=1e-5)


def test_moving_statistics_after_keras_training(keras, tmp_path):
    """Keras trains (its moving statistics move); axon loads them and predicts the same."""
    kmodel = _dense_keras_model(keras)
    kmodel.compile(optimizer="sgd", loss="mse")
    x, y = _dx(4, 64) * 3 + 1, np.random.default_rng(5).normal(size=(64, 3)).astype("float32")
    kmodel.fit(x, y, batch_size=16, epochs=2, verbose=0)
    moving = kmodel.layers[1].moving_variance.numpy()
    assert not np.allclose(moving, 1.0)
    kmodel.save(tmp_path / "k.keras")
    model = axon.models.load_model(tmp_path / "k.keras")
    np.testing.assert_array_equal(model.layers[1].moving_variance.numpy(), moving)
    np.testing.assert_allclose(model.predict(x, verbose=0), kmodel.predict(x, verbose=0), atol=1e-5, rtol=1e-5)


def test_one_training_step_updates_moving_statistics_as_keras(keras):
    """The same weights and batch: axon's training-mode output and moving statistics equal
    Keras' (training=True call)."""
    kmodel = keras.Sequential([keras.Input((5, 4)), keras.layers.BatchNormalization(momentum=0.7),
                               keras.layers.BatchNormalization(axis=1, momentum=0.5, epsilon=1e-5)])
    _randomize(kmodel, 6)
    model = axon.Sequential([axon.Input((5, 4)), axon.layers.BatchNormalization(momentum=0.7),
                             axon.layers.BatchNormalization(axis=1, momentum=0.5, epsilon=1e-5)])
    model.compile("sgd", "mse")
    model.set_weights(kmodel.get_weights())
    x = _dx(7) * 2 + 0.5
    expected = kmodel(x, training=True).detach().cpu().numpy()
    np.testing.assert_allclose(model(x, training=True), expected, atol=1e-5, rtol=1e-5)
    for a, b in zip(model.get_weights(), kmodel.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-6, rtol=1e-6)


def test_weights_files_both_ways(keras, tmp_path):
    kmodel = _dense_keras_model(keras)
    _randomize(kmodel, 8)
    kmodel.save_weights(tmp_path / "k.weights.h5")
    kmodel.save(tmp_path / "arch.keras")
    model = axon.models.load_model(tmp_path / "arch.keras")
    model.load_weights(tmp_path / "k.weights.h5")
    x = _dx(9)
    np.testing.assert_allclose(model.predict(x, verbose=0), kmodel.predict(x, verbose=0), atol=1e-5, rtol=1e-5)
    _randomize(model, 10)
    model.save_weights(tmp_path / "a.weights.h5")
    kmodel.load_weights(tmp_path / "a.weights.h5")
    np.testing.assert_allclose(kmodel.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-5, rtol=1e-5)


def test_keras_renorm_is_refused(keras, tmp_path):
    kmodel = keras.Sequential([keras.Input((3,)), keras.layers.BatchNormalization(renorm=True)])
    kmodel.save(tmp_path / "k.keras")
    with pytest.raises(ValueError, match="renorm=True"):
        axon.models.load_model(tmp_path / "k.keras")


def test_layer_norm_over_non_adjacent_axes_matches_keras(keras, tmp_path):
    kmodel = keras.Sequential([keras.Input((3, 4, 5)), keras.layers.LayerNormalization(axis=[1, 3], epsilon=1e-4)])
    _randomize(kmodel, 11)
    x = np.random.default_rng(12).normal(size=(6, 3, 4, 5)).astype("float32") * 2
    kmodel.save(tmp_path / "k.keras")
    model = axon.models.load_model(tmp_path / "k.keras")
    assert model.layers[0].gamma.shape == (3, 5)
    np.testing.assert_allclose(model.predict(x, verbose=0), kmodel.predict(x, verbose=0), atol=1e-5, rtol=1e-5)


def test_trained_keras_convnet_with_batch_normalization(keras, tmp_path):
    kmodel = keras.Sequential([
        keras.Input((8, 8, 2)),
        keras.layers.Conv2D(4, 3, use_bias=False),
        keras.layers.BatchNormalization(momentum=0.7),
        keras.layers.Activation("relu"),
        keras.layers.GroupNormalization(groups=2),
        keras.layers.MaxPooling2D(2),
        keras.layers.Flatten(),
        keras.layers.Dense(3),
    ])
    kmodel.compile(optimizer="adam", loss="mse")
    g = np.random.default_rng(13)
    x = (g.normal(size=(32, 8, 8, 2)) * 2 + 1).astype("float32")
    kmodel.fit(x, g.normal(size=(32, 3)).astype("float32"), batch_size=8, epochs=2, verbose=0)
    kmodel.save(tmp_path / "k.keras")
    model = axon.models.load_model(tmp_path / "k.keras")
    np.testing.assert_array_equal(model.layers[1].moving_mean.numpy(), kmodel.layers[1].moving_mean.numpy())
    np.testing.assert_allclose(model.predict(x, verbose=0), kmodel.predict(x, verbose=0), atol=1e-5, rtol=1e-5)
