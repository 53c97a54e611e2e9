"""Convolution and pooling layers in the Sequential API: summary() as Keras prints it,
config round-trips, model.save/load_model, and clear errors."""


import numpy as np
import pytest

import axon
from axon import layers
from saving_helpers import assert_config_round_trips


def convnet():
    return axon.Sequential([
        axon.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(10, activation="softmax"),
    ])


# keras.io "Simple MNIST convnet", model.summary() with Keras 3.
KERAS_SUMMARY = """\
Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ conv2d (Conv2D)                 │ (None, 26, 26, 32)     │           320 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ max_pooling2d (MaxPooling2D)    │ (None, 13, 13, 32)     │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ conv2d_1 (Conv2D)               │ (None, 11, 11, 64)     │        18,496 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ max_pooling2d_1 (MaxPooling2D)  │ (None, 5, 5, 64)       │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ flatten (Flatten)               │ (None, 1600)           │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dropout (Dropout)               │ (None, 1600)           │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense (Dense)                   │ (None, 10)             │        16,010 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 34,826 (136.04 KB)
 Trainable params: 34,826 (136.04 KB)
 Non-trainable params: 0 (0.00 B)"""


def test_convnet_summary_is_keras():
    lines = []
    convnet().summary(print_fn=lines.append, line_length=None)
    assert "\n".join(lines).strip() == KERAS_SUMMARY


@pytest.mark.parametrize("layer,input_shape,output_shape,params", [
    (layers.Conv1D(8, 5, strides=2, padding="same"), (100, 3), (None, 50, 8), 5 * 3 * 8 + 8),
    (layers.Conv1D(4, 3, padding="causal", dilation_rate=4, use_bias=False), (20, 2), (None, 20, 4), 24),
    (layers.Conv2D(6, (3, 5), groups=3, data_format="channels_first"), (9, 10, 12), (None, 6, 8, 8),
     3 * 5 * 3 * 6 + 6),
    (layers.Conv3D(2, 3, strides=(1, 2, 3)), (5, 7, 9, 1), (None, 3, 3, 3, 2), 27 * 2 + 2),
    (layers.MaxPooling1D(), (9, 3), (None, 4, 3), 0),
    (layers.AveragePooling2D(3, strides=2, padding="same"), (7, 8, 2), (None, 4, 4, 2), 0),
    (layers.MaxPooling3D(padding="same", data_format="channels_first"), (2, 5, 4, 3), (None, 2, 3, 2, 2), 0),
    (layers.GlobalAveragePooling3D(keepdims=True), (2, 3, 4, 5), (None, 1, 1, 1, 5), 0),
    (layers.GlobalMaxPooling1D(data_format="channels_first", keepdims=True), (4, 9), (None, 4, 1), 0),
])
def test_output_shapes_and_parameter_counts(layer, input_shape, output_shape, params):
    axon.Sequential([axon.Input(shape=input_shape), layer])
    assert layer.output_shape == output_shape
    assert layer.count_params() == params


def test_kernel_layout_and_glorot_fans():
    layer = layers.Conv2D(64, 3, kernel_initializer=axon.initializers.GlorotUniform(seed=1))
    axon.Sequential([axon.Input(shape=(11, 11, 32)), layer])
    kernel = layer.kernel.numpy()
    assert kernel.shape == (3, 3, 32, 64) and layer.bias.shape == (64,)
    limit = np.sqrt(6 / (9 * 32 + 9 * 64))  # Keras' fans count the receptive field
    assert np.abs(kernel).max() <= limit and np.abs(kernel).max() > 0.95 * limit


CONFIG_LAYERS = [
    lambda: layers.Conv2D(4, (3, 2), strides=(2, 1), padding="same", data_format="channels_first",
                          dilation_rate=1, groups=2, activation="relu", use_bias=False,
                          kernel_initializer=axon.initializers.HeNormal(seed=3), bias_initializer="ones",
                          kernel_regularizer="l2", bias_regularizer=axon.regularizers.L1(0.1),
                          activity_regularizer="l1", kernel_constraint=axon.constraints.MaxNorm(2.0),
                          bias_constraint="non_neg", name="c"),
    lambda: layers.Conv1D(3, 5, padding="causal", dilation_rate=2),
    lambda: layers.Conv3D(2, 1),
    lambda: layers.MaxPooling2D((3, 3), strides=(1, 2), padding="same"),
    lambda: layers.AveragePooling1D(4),
    lambda: layers.AveragePooling3D(data_format="channels_first"),
    lambda: layers.GlobalMaxPooling2D(keepdims=True),
    lambda: layers.GlobalAveragePooling1D(data_format="channels_first"),
]


@pytest.mark.parametrize("make", CONFIG_LAYERS)
def test_config_round_trips_through_json(make):
    assert_config_round_trips(make())


def test_keras_config_keys():
    conv = layers.Conv2D(8, 3).get_config()
    assert conv["kernel_size"] == (3, 3) and conv["strides"] == (1, 1) and conv["dilation_rate"] == (1, 1)
    assert conv["padding"] == "valid" and conv["data_format"] == "channels_last" and conv["groups"] == 1
    pool = layers.MaxPooling2D().get_config()
    assert pool["pool_size"] == (2, 2) and pool["strides"] == (2, 2) and pool["padding"] == "valid"


def test_convnet_saves_and_loads(tmp_path, rng):
    model = convnet()
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    x = rng.normal(size=(16, 28, 28, 1)).astype(np.float32)
    y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, 16)]
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    model.save(tmp_path / "convnet.axon")
    loaded = axon.models.load_model(tmp_path / "convnet.axon")
    assert [type(layer).__name__ for layer in loaded.layers] == [type(layer).__name__ for layer in model.layers]
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    for a, b in zip(loaded.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("make,input_shape,match", [
    (lambda: layers.Conv2D(4, 3), (28, 28), r"Conv2D 'conv2d': expected an input of rank 4.*got shape \(None, 28, 28\)"),
    (lambda: layers.Conv2D(4, 3, groups=2), (8, 8, 3),
     r"Conv2D 'conv2d'.*input's channels \(3\) must be divisible by groups \(2\)"),
    (lambda: layers.Conv2D(4, 5), (3, 8, 1), r"Conv2D 'conv2d'.*larger than the input.*output would be empty"),
    (lambda: layers.MaxPooling2D(4), (3, 3, 1), r"MaxPooling2D 'max_pooling2d'.*larger than the input"),
    (lambda: layers.GlobalMaxPooling2D(), (3, 3), r"GlobalMaxPooling2D.*expected an input of rank 4"),
    (lambda: layers.Conv1D(2, 2), (5, 3, 2), r"Conv1D 'conv1d': expected an input of rank 3"),
])
def test_build_errors_name_the_layer(make, input_shape, match):
    with pytest.raises(ValueError, match=match):
        axon.Sequential([axon.Input(shape=input_shape), make()])


@pytest.mark.parametrize("make,match", [
    (lambda: layers.Conv2D(4, 0), r"Conv2D 'conv2d': kernel_size must be .*2 positive integers, got 0"),
    (lambda: layers.Conv2D(4, (3, 3, 3)), r"kernel_size must be .*2 positive integers"),
    (lambda: layers.Conv2D(0, 3), r"filters must be a positive integer, got 0"),
    (lambda: layers.Conv2D(6, 3, groups=4), r"filters \(6\) must be divisible by groups \(4\)"),
    (lambda: layers.Conv2D(4, 3, padding="full"), r"padding must be one of 'valid', 'same', got 'full'"),
    (lambda: layers.Conv2D(4, 3, padding="causal"), r"padding must be one of 'valid', 'same'"),
    (lambda: layers.Conv2D(4, 3, strides=2, dilation_rate=2), r"strides > 1 is not supported"),
    (lambda: layers.Conv2D(4, 3, data_format="NHWC"), r"data_format must be"),
    (lambda: layers.MaxPooling2D(pool_size=(2, -1)), r"MaxPooling2D.*pool_size must be"),
    (lambda: layers.AveragePooling1D(strides=0), r"strides must be"),
])
def test_argument_errors_name_the_layer(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_wrong_input_size_at_predict_is_an_error(rng):
    model = axon.Sequential([axon.Input(shape=(6, 6, 1)), layers.Conv2D(2, 3)])
    with pytest.raises(ValueError):
        model.predict(rng.normal(size=(2, 5, 6, 1)).astype(np.float32), verbose=0)
