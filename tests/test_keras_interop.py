"""Keras 3 files both ways, against Keras itself (torch backend): Keras writes, axon loads
and predicts the same to 1e-5; axon writes, Keras loads and predicts the same.
Skipped where keras, h5py or torch cannot be had (see test_keras_files for the h5py-only
round trip and the hostile archives)."""

import warnings

import numpy as np
import pytest
from keras_helpers import inputs as _inputs  # skips the module without h5py / torch
from keras_helpers import keras  # noqa: F401 (a fixture)
from keras_helpers import randomize as _randomize

import axon
from axon.saving import FormatError


def _dense_stack(k):
    return k.Sequential([
        k.Input((6,)),
        k.layers.Dense(8, activation="relu", kernel_initializer=k.initializers.HeNormal(seed=1),
                       bias_initializer=k.initializers.Constant(0.1), kernel_regularizer=k.regularizers.L2(1e-3)),
        k.layers.Dense(7, activation="tanh", kernel_initializer="glorot_normal", use_bias=False,
                       kernel_constraint=k.constraints.MaxNorm(3.0)),
        k.layers.Dense(5, activation="sigmoid", bias_regularizer=k.regularizers.L1L2(1e-4, 1e-3),
                       bias_constraint=k.constraints.NonNeg()),
        k.layers.Dense(3, activation="softmax", kernel_initializer=k.initializers.RandomUniform(-0.5, 0.5, seed=3)),
    ])


def _activation_layers(k):
    return k.Sequential([
        k.Input((5,)),
        k.layers.Dense(9, kernel_initializer=k.initializers.VarianceScaling(2.0, "fan_avg", "uniform", seed=4)),
        k.layers.LeakyReLU(negative_slope=0.2),
        k.layers.Dense(9), k.layers.PReLU(alpha_initializer=k.initializers.Constant(0.25)),
        k.layers.Dense(9), k.layers.ELU(alpha=0.5),
        k.layers.Dense(9), k.layers.ReLU(max_value=2.0, negative_slope=0.1, threshold=0.2),
        k.layers.Dense(9), k.layers.ReLU(),
        k.layers.Dense(4), k.layers.Softmax(axis=-1),
    ])


def _shapes(k):
    return k.Sequential([
        k.Input((12,)),
        k.layers.Reshape((3, 4)),
        k.layers.Dense(5, activation="elu"),  # Dense on the last axis of a 3-D input
        k.layers.PReLU(shared_axes=[1], alpha_initializer=k.initializers.RandomNormal(0.2, 0.05, seed=5)),
        k.layers.Dropout(0.3, seed=7),
        k.layers.Flatten(),
        k.layers.Activation("selu"),
        k.layers.Dense(2, kernel_initializer=k.initializers.Orthogonal(seed=2)),
    ])


# sparsemax is left out: Keras 3.15's torch sparsemax is wrong (rows that do not sum to 1).
_ACTIVATIONS = ["gelu", "silu", "swish", "softplus", "softsign", "hard_sigmoid", "exponential", "mish", "relu6",
                "log_softmax", "linear", "celu", "hard_silu", "hard_swish", "log_sigmoid", "sparse_plus",
                "tanh_shrink", "relu", "sigmoid", "tanh", "softmax", "elu", "selu", "leaky_relu", "hard_tanh",
                "squareplus", "soft_shrink", "hard_shrink"]


def _activations(k):
    layers = [k.Input((4,))]
    for name in _ACTIVATIONS:
        layers += [k.layers.Dense(4, activation=name), k.layers.Activation(name)]
    return k.Sequential(layers)


BUILDERS = [_dense_stack, _activation_layers, _shapes, _activations]


@pytest.mark.parametrize("builder", BUILDERS, ids=lambda b: b.__name__)
def test_keras_file_loads_in_axon_and_back(keras, builder, tmp_path):
    kmodel = builder(keras)
    _randomize(kmodel, 1)
    x = _inputs(kmodel)
    expected = kmodel.predict(x, verbose=0)
    kmodel.save(tmp_path / "k.keras")

    model = axon.models.load_model(tmp_path / "k.keras")
    assert [type(layer).__name__ for layer in model.layers] == [type(layer).__name__ for layer in kmodel.layers]
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, atol=1e-5, rtol=1e-5)

    model.save(tmp_path / "a.keras")  # and back: Keras loads what axon wrote
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        again = keras.saving.load_model(tmp_path / "a.keras")
    np.testing.assert_allclose(again.predict(x, verbose=0), expected, atol=1e-5, rtol=1e-5)
    assert [layer.name for layer in again.layers] == [layer.name for layer in model.layers]


@pytest.mark.parametrize("builder", BUILDERS, ids=lambda b: b.__name__)
def test_axon_model_loads_in_keras(keras, builder, tmp_path):
    # Build the model in axon from the architecture alone: axon's own initialization.
    model = axon.models.load_model(_keras_file(keras, builder, tmp_path))
    _randomize(model, 2)
    x = _inputs(model, 3)
    model.save(tmp_path / "a.keras")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kmodel = keras.saving.load_model(tmp_path / "a.keras")
    np.testing.assert_allclose(kmodel.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-5, rtol=1e-5)


def _keras_file(keras, builder, tmp_path):
    kmodel = builder(keras)
    kmodel.save(tmp_path / "arch.keras")
    return tmp_path / "arch.keras"


def test_weights_files_both_ways(keras, tmp_path):
    kmodel = _activation_layers(keras)
    _randomize(kmodel, 4)
    kmodel.save_weights(tmp_path / "k.weights.h5")
    model = axon.models.load_model(_keras_file(keras, _activation_layers, tmp_path))
    model.load_weights(tmp_path / "k.weights.h5")
    x = _inputs(model, 5)
    np.testing.assert_allclose(model.predict(x, verbose=0), kmodel.predict(x, verbose=0), atol=1e-5, rtol=1e-5)

    _randomize(model, 6)
    model.save_weights(tmp_path / "a.weights.h5")
    kmodel.load_weights(tmp_path / "a.weights.h5")
    np.testing.assert_allclose(kmodel.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-5, rtol=1e-5)


def test_compile_config_crosses_both_ways(keras, tmp_path):
    kmodel = _dense_stack(keras)
    kmodel.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05, momentum=0.9, nesterov=True),
                   loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1),
                   metrics=["accuracy", keras.metrics.MeanSquaredError()])
    kmodel.save(tmp_path / "k.keras")
    model = axon.models.load_model(tmp_path / "k.keras")
    assert model.compiled
    assert type(model.optimizer).__name__ == "SGD"
    assert model.optimizer.learning_rate == pytest.approx(0.05)
    assert model.optimizer.get_config()["momentum"] == pytest.approx(0.9)
    assert model.optimizer.get_config()["nesterov"] is True
    assert type(model.loss).__name__ == "CategoricalCrossentropy"
    assert model.loss.get_config()["label_smoothing"] == pytest.approx(0.1)
    assert model._metric_specs[0] == "accuracy"
    assert type(model._metric_specs[1]).__name__ == "MeanSquaredError"
    x, y = _inputs(model), np.eye(3, dtype="float32")[np.arange(16) % 3]
    model.fit(x, y, epochs=1, verbose=0)  # the loaded model trains (optimizer state starts fresh)

    model.compile(optimizer=axon.optimizers.Adam(learning_rate=0.003, beta_1=0.8), loss="mse", metrics=["mae"])
    model.save(tmp_path / "a.keras")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        again = keras.saving.load_model(tmp_path / "a.keras")
    assert type(again.optimizer).__name__ == "Adam"
    assert float(again.optimizer.learning_rate) == pytest.approx(0.003)
    assert again.optimizer.beta_1 == pytest.approx(0.8)
    compile_config = again.get_compile_config()
    assert compile_config["loss"]["class_name"] == "MeanSquaredError"
    assert compile_config["metrics"] == ["mae"]
    again.fit(x, y, epochs=1, verbose=0)


def test_unsupported_layers_are_named(keras, tmp_path):
    kmodel = keras.Sequential([keras.Input((4, 3)), keras.layers.SimpleRNN(2, name="my_rnn")])
    kmodel.save(tmp_path / "rnn.keras")
    with pytest.raises(FormatError, match=r"'my_rnn' \(SimpleRNN\).*not supported"):
        axon.models.load_model(tmp_path / "rnn.keras")

    inputs = keras.Input((3,))
    functional = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    functional.save(tmp_path / "functional.keras")
    with pytest.raises(FormatError, match="Functional.*not supported"):
        axon.models.load_model(tmp_path / "functional.keras")


def test_lambda_layers_are_refused_without_running_code(keras, tmp_path):
    kmodel = keras.Sequential([keras.Input((3,)), keras.layers.Lambda(lambda t: t * 2, name="double")])
    kmodel.save(tmp_path / "lambda.keras")
    with pytest.raises(FormatError, match=r"'double' \(Lambda\).*never runs"):
        axon.models.load_model(tmp_path / "lambda.keras")


def test_keras_options_axon_lacks_are_refused(keras, tmp_path):
    kmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dropout(0.5, noise_shape=(None, 1), name="drop")])
    kmodel.save(tmp_path / "noise.keras")
    with pytest.raises(FormatError, match=r"'drop'.*noise_shape"):
        axon.models.load_model(tmp_path / "noise.keras")


def test_float64_models_cross_in_float64(keras, tmp_path):
    kmodel = keras.Sequential([keras.Input((3,), dtype="float64"), keras.layers.Dense(4, activation="gelu",
                                                                                    dtype="float64"),
                               keras.layers.PReLU(dtype="float64"), keras.layers.Dense(2, dtype="float64")])
    _randomize(kmodel, 8)
    x = np.random.default_rng(9).normal(size=(6, 3))
    kmodel.save(tmp_path / "k.keras")
    model = axon.models.load_model(tmp_path / "k.keras")
    assert model._floatx == "float64"
    np.testing.assert_allclose(model.predict(x, verbose=0), kmodel.predict(x, verbose=0), atol=1e-10)
    model.save(tmp_path / "a.keras")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        again = keras.saving.load_model(tmp_path / "a.keras")
    assert again.layers[0].dtype == "float64"
    np.testing.assert_allclose(again.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-10)


def test_trained_keras_model_loads_without_its_optimizer_state(keras, tmp_path):
    kmodel = _shapes(keras)
    kmodel.compile(optimizer="adam", loss="mse")
    x = _inputs(kmodel)
    kmodel.fit(x, np.zeros((16, 2), "float32"), epochs=2, verbose=0)  # the file now holds Adam's slots
    kmodel.save(tmp_path / "trained.keras")
    model = axon.models.load_model(tmp_path / "trained.keras")
    np.testing.assert_allclose(model.predict(x, verbose=0), kmodel.predict(x, verbose=0), atol=1e-5, rtol=1e-5)
    assert type(model.optimizer).__name__ == "Adam" and model._core.iterations == 0  # state starts fresh
