"""model.save / load_model, save_weights / load_weights, to_json, pickle, and fit resuming
bit-identically from a saved file (in this process and in a new one)."""

import json
import os
import pickle
import subprocess
import sys

import numpy as np
import pytest

import axon
from axon import layers, saving
from saving_helpers import assert_config_round_trips

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Where this process imported axon from (the source tree in a dev build, site-packages after
# `pip install .` in CI): children must import the same one.
AXON_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(axon.__file__)))


def _data(n=96, d=12, k=3, seed=0):
    g = np.random.default_rng(seed)
    x = g.normal(size=(n, d)).astype("float32")
    return x, np.eye(k, dtype="float32")[g.integers(0, k, n)]


def _model(optimizer):
    model = axon.Sequential([axon.Input((12,)), layers.Dense(16, activation="relu"), layers.Dropout(0.25),
                             layers.Dense(3, activation="softmax")])
    model.compile(optimizer=optimizer, loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def _assert_same_weights(a, b):
    for wa, wb in zip(a.get_weights(), b.get_weights(), strict=True):
        np.testing.assert_array_equal(wa, wb)


def _straight_and_half(seed, optimizer):
    """(a model trained 4 epochs, the same model trained 2 epochs), from the same seed."""
    x, y = _data()
    models = []
    for epochs in (4, 2):
        axon.utils.set_random_seed(seed)
        model = _model(optimizer())
        model.fit(x, y, batch_size=16, epochs=epochs, shuffle=True, verbose=0)
        models.append(model)
    return models


@pytest.mark.parametrize("optimizer", [lambda: axon.optimizers.Adam(0.01),
                                       lambda: axon.optimizers.SGD(0.05, momentum=0.9, nesterov=True),
                                       lambda: axon.optimizers.Nadam(0.01)], ids=["adam", "sgd-momentum", "nadam"])
def test_fit_resumes_bit_identically(tmp_path, optimizer):
    x, y = _data()
    straight, first = _straight_and_half(7, optimizer)
    first.save(tmp_path / "half.axon")
    axon.utils.set_random_seed(999)  # the loaded model must not depend on the global seed
    resumed = axon.models.load_model(tmp_path / "half.axon")
    assert resumed.optimizer.iterations == first.optimizer.iterations == 12
    resumed.fit(x, y, batch_size=16, epochs=4, initial_epoch=2, shuffle=True, verbose=0)
    _assert_same_weights(resumed, straight)


RESUME_SCRIPT = """
import sys, numpy as np, axon
sys.path.insert(0, {tests!r})
from test_saving_roundtrip import _data
x, y = _data()
model = axon.models.load_model({path!r})
model.fit(x, y, batch_size=16, epochs=4, initial_epoch=2, shuffle=True, verbose=0)
np.save({out!r}, np.concatenate([w.ravel() for w in model.get_weights()]))
"""


def test_fit_resumes_in_a_new_process(tmp_path):
    straight, first = _straight_and_half(3, lambda: axon.optimizers.Adam(0.01))
    first.save(tmp_path / "half.axon")
    out = tmp_path / "w.npy"
    script = RESUME_SCRIPT.format(tests=os.path.join(REPO, "tests"), path=str(tmp_path / "half.axon"), out=str(out))
    env = dict(os.environ, PYTHONPATH=AXON_PARENT)
    subprocess.run([sys.executable, "-c", script], check=True, env=env)
    np.testing.assert_array_equal(np.load(out), np.concatenate([w.ravel() for w in straight.get_weights()]))


def test_restore_training_state_into_an_existing_model(tmp_path):
    x, y = _data()
    straight, first = _straight_and_half(11, lambda: axon.optimizers.Adam(0.01))
    saving.save_model(first, tmp_path / "ckpt.axon", training_state={"epoch": 2, "best": 0.5})
    axon.utils.set_random_seed(12345)  # different init, dropout seed and shuffling seed
    other = _model(axon.optimizers.Adam(0.01))
    other.fit(x[:16], y[:16], epochs=1, verbose=0)  # its own optimizer state, overwritten below
    assert saving.restore_training_state(other, tmp_path / "ckpt.axon") == {"epoch": 2, "best": 0.5}
    assert other.optimizer.iterations == 12
    other.fit(x, y, batch_size=16, epochs=4, initial_epoch=2, verbose=0)
    _assert_same_weights(other, straight)


def test_restore_training_state_refuses_another_architecture(tmp_path):
    model = _model("adam")
    model.save(tmp_path / "m.axon")
    other = axon.Sequential([axon.Input((12,)), layers.Dense(8), layers.Dropout(0.25), layers.Dense(3)])
    other.compile(optimizer="adam", loss="mse")
    before = other.get_weights()
    with pytest.raises(ValueError, match="architecture differs"):
        saving.restore_training_state(other, tmp_path / "m.axon")
    _assert_same_weights(other, type("M", (), {"get_weights": lambda self: before})())


def test_restore_training_state_refuses_another_optimizer(tmp_path):
    model = _model("adam")
    model.fit(*_data(), epochs=1, verbose=0)
    model.save(tmp_path / "m.axon")
    other = _model("nadam")
    with pytest.raises(ValueError, match="the file's optimizer is 'Adam', model .* is compiled with 'Nadam'"):
        saving.restore_training_state(other, tmp_path / "m.axon")
    assert other.optimizer.iterations == 0


def test_load_model_restores_predictions_compile_and_optimizer(tmp_path):
    model = _model(axon.optimizers.RMSprop(0.002, rho=0.8))
    model.fit(*_data(), epochs=1, verbose=0)
    model.save(tmp_path / "m.axon")
    loaded = axon.models.load_model(str(tmp_path / "m.axon"))
    x, _ = _data(seed=5)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert loaded.get_config() == model.get_config()
    assert loaded.optimizer.get_config() == model.optimizer.get_config()
    assert loaded.loss.get_config() == model.loss.get_config() and loaded.metrics_names == model.metrics_names
    assert loaded.layers[1]._seed == model.layers[1]._seed and loaded._core.seed == model._core.seed


def test_uncompiled_unbuilt_and_float64_models(tmp_path):
    unbuilt = axon.Sequential([layers.Dense(4), layers.Dense(2)])
    unbuilt.save(tmp_path / "u.axon")
    again = axon.models.load_model(tmp_path / "u.axon")
    assert not again.built and not again.compiled and [type(layer) for layer in again.layers] == [layers.Dense] * 2
    axon.config.set_floatx("float64")
    m64 = axon.Sequential([axon.Input((3,)), layers.Dense(2)])
    axon.config.set_floatx("float32")
    m64.save(tmp_path / "d.axon")
    loaded = axon.models.load_model(tmp_path / "d.axon")
    assert loaded.get_weights()[0].dtype == np.float64
    _assert_same_weights(loaded, m64)


def test_save_and_load_weights(tmp_path):
    a = _model("adam")
    b = _model("adam")
    a.save_weights(tmp_path / "w.weights.axon")
    b.load_weights(tmp_path / "w.weights.axon")
    _assert_same_weights(a, b)
    with pytest.raises(saving.FormatError, match="weights only"):
        axon.models.load_model(tmp_path / "w.weights.axon")


def test_load_weights_mismatch_names_the_layer(tmp_path):
    a = axon.Sequential([axon.Input((4,)), layers.Dense(3, name="first"), layers.Dense(2, name="second")])
    b = axon.Sequential([axon.Input((4,)), layers.Dense(3, name="one"), layers.Dense(5, name="two")])
    a.save_weights(tmp_path / "w.weights.axon")
    before = b.get_weights()
    with pytest.raises(ValueError, match=r"layer 'two' expects weights of shapes \[\(3, 5\), \(5,\)\].*"
                                         r"'second' has \[\(3, 2\), \(2,\)\]"):
        b.load_weights(tmp_path / "w.weights.axon")
    _assert_same_weights(b, type("M", (), {"get_weights": lambda self: before})())
    with pytest.warns(UserWarning, match="skipped"):
        b.load_weights(tmp_path / "w.weights.axon", skip_mismatch=True)
    np.testing.assert_array_equal(b.layers[0].get_weights()[0], a.layers[0].get_weights()[0])
    np.testing.assert_array_equal(b.layers[1].get_weights()[0], before[2])


def test_to_json_and_model_from_json():
    model = axon.Sequential([axon.Input((5,)), layers.Dense(4, activation="tanh", kernel_regularizer="l2"),
                             layers.PReLU(shared_axes=[1]), layers.Reshape((2, 2)), layers.Flatten(),
                             layers.LeakyReLU(0.2), layers.Dropout(0.1, seed=3), layers.Dense(1)])
    again = axon.models.model_from_json(model.to_json())
    assert json.loads(again.to_json()) == json.loads(model.to_json()) and again.built
    assert again.output_shape == model.output_shape


LAYERS = [
    layers.Dense(3, activation="selu", use_bias=False, kernel_initializer=axon.initializers.HeNormal(seed=4),
                 bias_initializer=axon.initializers.Constant(0.5), kernel_regularizer=axon.regularizers.L1L2(0.1, 0.2),
                 bias_regularizer="l1", activity_regularizer=axon.regularizers.OrthogonalRegularizer(0.3),
                 kernel_constraint=axon.constraints.MaxNorm(2.0, axis=1), bias_constraint="non_neg",
                 input_shape=(7,), name="d"),
    layers.Dense(2, activation=axon.activations.serialize(axon.activations.get("leaky_relu"))),
    layers.Activation("softmax"), layers.Dropout(0.5, seed=9), layers.Flatten(), layers.Reshape((-1, 2)),
    layers.ReLU(max_value=6.0, negative_slope=0.1, threshold=0.5), layers.LeakyReLU(0.01), layers.ELU(0.7),
    layers.Softmax(axis=-1), layers.PReLU(alpha_initializer="ones", alpha_regularizer="l2", shared_axes=[1, 2]),
    layers.InputLayer(shape=(3, 4), batch_size=8, name="in"),
]


@pytest.mark.parametrize("layer", LAYERS, ids=lambda layer: type(layer).__name__)
def test_every_layer_config_round_trips_through_json(layer):
    assert_config_round_trips(layer)


@pytest.mark.parametrize("compiled", [False, True])
@pytest.mark.parametrize("built", [False, True])
def test_models_pickle(compiled, built):
    model = axon.Sequential([layers.Dense(4, activation="relu"), layers.Dense(2)])
    if built:
        model.build((None, 3))
    if compiled:
        model.compile(optimizer="adam", loss="mse")
    clone = pickle.loads(pickle.dumps(model))
    assert clone.built == built and clone.compiled == compiled and clone.get_config() == model.get_config()
    if built:
        _assert_same_weights(clone, model)


@saving.register_serializable(package="Tests")
class ScaledDense(layers.Dense):
    def __init__(self, units, scale=1.0, **kwargs):
        super().__init__(units, **kwargs)
        self.scale = scale

    def get_config(self):
        return dict(super().get_config(), scale=self.scale)


def test_registered_custom_layer_round_trips_and_unregistered_is_refused(tmp_path):
    model = axon.Sequential([axon.Input((3,)), ScaledDense(2, scale=0.5)])
    model.save(tmp_path / "c.axon")
    loaded = axon.models.load_model(tmp_path / "c.axon")
    assert type(loaded.layers[0]) is ScaledDense and loaded.layers[0].scale == 0.5
    _assert_same_weights(loaded, model)
    config = model.get_config()
    config["layers"][1]["registered_name"] = "Tests>Unknown"
    config["layers"][1]["class_name"] = "Unknown"
    with pytest.raises(ValueError, match="unknown class 'Tests>Unknown'.*register_serializable"):
        axon.Sequential.from_config(config)


class UnregisteredDense(layers.Dense):
    pass


def test_custom_objects_make_an_unregistered_class_loadable(tmp_path):
    model = axon.Sequential([axon.Input((3,)), UnregisteredDense(2)])
    model.save(tmp_path / "u.axon")
    with pytest.raises(saving.FormatError, match="unknown class 'UnregisteredDense'"):
        axon.models.load_model(tmp_path / "u.axon")
    loaded = axon.models.load_model(tmp_path / "u.axon", custom_objects={"UnregisteredDense": UnregisteredDense})
    assert type(loaded.layers[0]) is UnregisteredDense
    _assert_same_weights(loaded, model)
    with pytest.raises(saving.FormatError):  # the scope ended with the call
        axon.models.load_model(tmp_path / "u.axon")
