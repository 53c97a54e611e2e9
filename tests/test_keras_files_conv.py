"""Convolution and pooling layers in Keras 3 files, against Keras itself (torch backend):
Keras writes, axon loads and predicts the same to 1e-5, axon writes it back and Keras
loads it; axon-initialized models load in Keras; .weights.h5 both ways. Skipped where
keras, h5py or torch cannot be had."""

import warnings

import numpy as np
import pytest
from keras_helpers import inputs, randomize  # skips the module without h5py / torch
from keras_helpers import keras  # noqa: F401 (a fixture)
from test_conv_api import convnet  # axon's copy of mnist_convnet below

import axon
from axon.saving import FormatError

TOL = dict(atol=1e-5, rtol=1e-5)


def mnist_convnet(k):
    """Keras' "simple MNIST convnet" example, layer for layer."""
    return k.Sequential([
        k.Input((28, 28, 1)),
        k.layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        k.layers.MaxPooling2D(pool_size=(2, 2)),
        k.layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        k.layers.MaxPooling2D(pool_size=(2, 2)),
        k.layers.Flatten(),
        k.layers.Dropout(0.5),
        k.layers.Dense(10, activation="softmax"),
    ])


def conv1d_causal(k):
    return k.Sequential([
        k.Input((20, 3)),
        k.layers.Conv1D(4, 3, padding="causal", dilation_rate=2, activation="tanh"),
        k.layers.Conv1D(6, 2, strides=2, padding="same", groups=2, kernel_initializer="he_normal"),
        k.layers.MaxPooling1D(2, strides=1, padding="same"),
        k.layers.AveragePooling1D(3, padding="same"),
        k.layers.AveragePooling1D(2, strides=1),
        k.layers.Conv1D(3, 3, padding="causal", use_bias=False),
        k.layers.GlobalAveragePooling1D(),
    ])


def conv3d(k):
    return k.Sequential([
        k.Input((6, 7, 5, 2)),
        k.layers.Conv3D(4, (3, 2, 2), strides=(1, 2, 1), padding="same", activation="relu"),
        k.layers.MaxPooling3D((2, 2, 1), padding="same"),
        k.layers.AveragePooling3D(2, strides=1, padding="same"),
        k.layers.Conv3D(3, 2, dilation_rate=(1, 1, 2), kernel_regularizer=k.regularizers.L2(1e-3)),
        k.layers.GlobalMaxPooling3D(keepdims=True),
        k.layers.Flatten(),
    ])


def channels_first(k):
    cf = dict(data_format="channels_first")
    return k.Sequential([
        k.Input((3, 10, 9)),
        k.layers.Conv2D(4, (3, 2), strides=2, padding="same", activation="elu", **cf),
        k.layers.MaxPooling2D(2, padding="same", **cf),
        k.layers.AveragePooling2D(2, strides=1, **cf),
        k.layers.Reshape((4, 4)),  # (channels, steps) for the 1-D layers
        k.layers.Conv1D(6, 2, groups=2, padding="same", **cf),
        k.layers.MaxPooling1D(2, **cf),
        k.layers.AveragePooling1D(2, strides=1, padding="same", **cf),
        k.layers.Reshape((2, 3, 2, 1)),  # (channels, depth, height, width) for the 3-D layers
        k.layers.Conv3D(4, (2, 1, 2), padding="same", **cf),
        k.layers.AveragePooling3D((2, 1, 1), **cf),
        k.layers.MaxPooling3D(1, **cf),
        k.layers.GlobalAveragePooling3D(keepdims=True, **cf),
        k.layers.Flatten(),
    ])


def groups(k):
    return k.Sequential([
        k.Input((9, 9, 6)),
        k.layers.Conv2D(6, 3, groups=3, dilation_rate=2, activation="selu"),
        k.layers.Conv2D(4, 1, groups=2, use_bias=False, bias_constraint=k.constraints.NonNeg()),
        k.layers.GlobalMaxPooling2D(),
        k.layers.Dense(2),
    ])


# Keras 3.15's torch backend averages 'same' windows wrongly where the padding is uneven and
# the window is wider than 2 (keras-team/keras#19721, fixed by #23233 after 3.15): these
# models avoid that case, and axon follows TensorFlow's definition there (tested in
# test_conv_torch against explicit padding).
BUILDERS = [mnist_convnet, conv1d_causal, conv3d, channels_first, groups]
GLOBAL = [f"Global{kind}Pooling{rank}D" for kind in ("Max", "Average") for rank in (1, 2, 3)]


def global_pooling(name, keepdims, data_format):
    def build(k):
        rank = int(name[-2])
        return k.Sequential([k.Input((5, 4, 3, 2)[-rank - 1:]),
                             getattr(k.layers, name)(keepdims=keepdims, data_format=data_format)])
    build.__name__ = f"{name}-{keepdims}-{data_format}"
    return build


BUILDERS += [global_pooling(name, keepdims, fmt) for name in GLOBAL
             for keepdims, fmt in ((False, "channels_last"), (True, "channels_first"))]


def _keras_load(path, keras):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the file's optimizer has no slots; Keras says so
        return keras.saving.load_model(path)


@pytest.mark.parametrize("builder", BUILDERS, ids=lambda b: b.__name__)
def test_keras_file_loads_in_axon_and_back(keras, builder, tmp_path):
    kmodel = builder(keras)
    randomize(kmodel, 1, scaled=True)
    x = inputs(kmodel, n=7)
    expected = kmodel.predict(x, verbose=0)
    kmodel.save(tmp_path / "k.keras")

    model = axon.models.load_model(tmp_path / "k.keras")
    assert [type(layer).__name__ for layer in model.layers] == [type(layer).__name__ for layer in kmodel.layers]
    assert [layer.output_shape for layer in model.layers] == [tuple(layer.output.shape) for layer in kmodel.layers]
    for mine, theirs in zip(model.layers, kmodel.layers):  # the same weight layouts
        assert [tuple(w.shape) for w in mine.weights] == [tuple(w.shape) for w in theirs.weights]
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, **TOL)

    model.save(tmp_path / "a.keras")  # and back: Keras loads what axon wrote
    again = _keras_load(tmp_path / "a.keras", keras)
    assert again.get_config()["layers"][1:] == kmodel.get_config()["layers"][1:]  # the same config, but Input's
    np.testing.assert_allclose(again.predict(x, verbose=0), expected, **TOL)


@pytest.mark.parametrize("builder", BUILDERS[:5], ids=lambda b: b.__name__)
def test_axon_model_loads_in_keras(keras, builder, tmp_path):
    builder(keras).save(tmp_path / "arch.keras")
    model = axon.models.load_model(tmp_path / "arch.keras")  # the architecture, axon's initialization
    randomize(model, 2, scaled=True)
    x = inputs(model, 3, n=7)
    model.save(tmp_path / "a.keras")
    kmodel = _keras_load(tmp_path / "a.keras", keras)
    np.testing.assert_allclose(kmodel.predict(x, verbose=0), model.predict(x, verbose=0), **TOL)


def test_mnist_convnet_with_its_compile_config_both_ways(keras, tmp_path):
    kmodel = mnist_convnet(keras)
    kmodel.compile(optimizer=keras.optimizers.Adam(learning_rate=0.002), loss="categorical_crossentropy",
                   metrics=["accuracy"])
    randomize(kmodel, 4, scaled=True)
    x = inputs(kmodel, 5, n=8)
    y = np.eye(10, dtype="float32")[np.arange(8)]
    kmodel.fit(x, y, epochs=1, verbose=0)  # the file then holds Adam's slots too
    kmodel.save(tmp_path / "k.keras")
    model = axon.models.load_model(tmp_path / "k.keras")
    assert model.compiled and type(model.optimizer).__name__ == "Adam"
    assert model.optimizer.learning_rate == pytest.approx(0.002)
    assert type(model.loss).__name__ == "CategoricalCrossentropy" and model._metric_specs == ["accuracy"]
    np.testing.assert_allclose(model.predict(x, verbose=0), kmodel.predict(x, verbose=0), **TOL)
    model.fit(x, y, epochs=1, verbose=0)  # trains on in axon

    # axon's own convnet, written by axon, loads in Keras with its compile config.
    mine = convnet()
    mine.compile(optimizer=axon.optimizers.SGD(0.05, momentum=0.9), loss="categorical_crossentropy",
                 metrics=["accuracy"])
    mine.fit(x, y, epochs=1, verbose=0)
    mine.save(tmp_path / "a.keras")
    again = _keras_load(tmp_path / "a.keras", keras)
    assert type(again.optimizer).__name__ == "SGD" and float(again.optimizer.learning_rate) == pytest.approx(0.05)
    assert again.get_compile_config()["metrics"] == ["accuracy"]
    np.testing.assert_allclose(again.predict(x, verbose=0), mine.predict(x, verbose=0), **TOL)
    again.fit(x, y, epochs=1, verbose=0)


def test_weights_files_both_ways(keras, tmp_path):
    kmodel = channels_first(keras)
    kmodel.save(tmp_path / "arch.keras")
    randomize(kmodel, 6, scaled=True)
    kmodel.save_weights(tmp_path / "k.weights.h5")
    model = axon.models.load_model(tmp_path / "arch.keras")
    model.load_weights(tmp_path / "k.weights.h5")
    x = inputs(model, 7, n=7)
    np.testing.assert_allclose(model.predict(x, verbose=0), kmodel.predict(x, verbose=0), **TOL)

    mine = convnet()
    randomize(mine, 8, scaled=True)
    mine.save_weights(tmp_path / "a.weights.h5")
    theirs = mnist_convnet(keras)
    theirs.load_weights(tmp_path / "a.weights.h5")
    x = inputs(mine, 9, n=4)
    np.testing.assert_allclose(theirs.predict(x, verbose=0), mine.predict(x, verbose=0), **TOL)


def test_float64_convnet_crosses_in_float64(keras, tmp_path):
    f64 = dict(dtype="float64")
    kmodel = keras.Sequential([keras.Input((7, 7, 2), **f64), keras.layers.Conv2D(3, 3, padding="same", **f64),
                               keras.layers.AveragePooling2D(2, padding="same", **f64),
                               keras.layers.GlobalMaxPooling2D(**f64)])
    randomize(kmodel, 10)
    x = np.random.default_rng(11).normal(size=(5, 7, 7, 2))
    kmodel.save(tmp_path / "k.keras")
    model = axon.models.load_model(tmp_path / "k.keras")
    assert model._floatx == "float64"
    # Keras' predict() feeds the model float32 inputs whatever its dtype; calling it does not.
    expected = keras.ops.convert_to_numpy(kmodel(x))
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, atol=1e-12)


def test_keras_options_axon_lacks_are_refused(keras, tmp_path):
    kmodel = keras.Sequential([keras.Input((6, 6, 2)), keras.layers.Conv2D(4, 3, lora_rank=2, name="tuned")])
    kmodel.save(tmp_path / "lora.keras")
    with pytest.raises(FormatError, match=r"'tuned' \(Conv2D\).*lora_rank=2 is not supported"):
        axon.models.load_model(tmp_path / "lora.keras")


def test_keras_layout_of_conv_weights(keras, tmp_path):
    import h5py

    model = convnet()
    model.save_weights(tmp_path / "w.weights.h5")
    with h5py.File(tmp_path / "w.weights.h5", "r") as h5:
        assert sorted(h5["layers"]) == ["conv2d", "conv2d_1", "dense", "dropout", "flatten", "max_pooling2d",
                                        "max_pooling2d_1"]
        assert h5["layers/conv2d_1/vars/0"].shape == (3, 3, 32, 64)  # (k..., in / groups, filters)
        np.testing.assert_array_equal(h5["layers/conv2d_1/vars/1"][()], model.layers[2].get_weights()[1])
