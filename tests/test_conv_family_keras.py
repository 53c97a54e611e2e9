"""The transposed, depthwise and separable convolutions in Keras .keras files, both ways,
with predictions equal to real Keras (torch backend) to 1e-5, and transposed-convolution
output sizes and values equal to Keras' over a grid of kernels, strides, dilations,
paddings and output paddings."""

import itertools

import numpy as np
import pytest

import axon
from keras_torch import keras  # noqa: F401  (the fixture)
from test_keras_interop import test_axon_model_loads_in_keras as axon_to_keras
from test_keras_interop import test_keras_file_loads_in_axon_and_back as keras_to_axon_and_back

pytest.importorskip("h5py")
pytest.importorskip("torch")


def _transposed(k):
    L = k.layers
    return k.Sequential([
        k.Input((5, 6, 3)),
        L.Conv2DTranspose(4, 3, activation="relu", kernel_regularizer=k.regularizers.L2(1e-3)),
        L.Conv2DTranspose(3, 4, strides=2, padding="same", bias_constraint=k.constraints.NonNeg()),
        L.Conv2DTranspose(2, (2, 3), strides=(3, 2), output_padding=(1, 1), activation="tanh"),
        L.Conv2DTranspose(2, 3, dilation_rate=2, padding="same", use_bias=False),
        L.Reshape((-1, 2)),
        L.Conv1DTranspose(3, 2, strides=2, padding="same"),
        L.Conv1DTranspose(2, 3, strides=2, output_padding=1),
    ])


def _transposed_3d(k):
    return k.Sequential([
        k.Input((2, 3, 3, 2)),
        k.layers.Conv3DTranspose(3, 2, strides=(1, 2, 2), kernel_initializer=k.initializers.HeNormal(seed=1)),
        k.layers.Conv3DTranspose(2, 3, padding="same", activation="sigmoid"),
    ])


def _depthwise(k):
    L = k.layers
    return k.Sequential([
        k.Input((9, 8, 3)),
        L.DepthwiseConv2D(3, depth_multiplier=2, activation="relu",
                          depthwise_regularizer=k.regularizers.L1(1e-3)),
        L.SeparableConv2D(5, (3, 2), strides=2, padding="same", depth_multiplier=2,
                          pointwise_initializer=k.initializers.GlorotNormal(seed=2),
                          pointwise_constraint=k.constraints.MaxNorm(2.0)),
        L.DepthwiseConv2D(2, dilation_rate=2, padding="same", use_bias=False),
        L.Reshape((-1, 5)),
        L.SeparableConv1D(4, 3, activation="tanh"),
        L.DepthwiseConv1D(2, strides=2, depth_multiplier=3),
    ])


def _channels_first(k):
    L = k.layers
    return k.Sequential([
        k.Input((3, 6, 5)),
        L.DepthwiseConv2D(3, data_format="channels_first"),
        L.SeparableConv2D(4, 2, data_format="channels_first"),
        L.Conv2DTranspose(2, 2, strides=2, data_format="channels_first"),
    ])


BUILDERS = [_transposed, _transposed_3d, _depthwise, _channels_first]


@pytest.mark.parametrize("builder", BUILDERS, ids=lambda b: b.__name__)
def test_keras_file_loads_in_axon_and_back(keras, builder, tmp_path):
    keras_to_axon_and_back(keras, builder, tmp_path)


@pytest.mark.parametrize("builder", BUILDERS, ids=lambda b: b.__name__)
def test_axon_model_loads_in_keras(keras, builder, tmp_path):
    axon_to_keras(keras, builder, tmp_path)


@pytest.mark.parametrize("builder", BUILDERS, ids=lambda b: b.__name__)
def test_weight_names_and_shapes_are_keras(keras, builder, tmp_path):
    kmodel = builder(keras)
    kmodel.save(tmp_path / "k.keras")
    model = axon.models.load_model(tmp_path / "k.keras")
    for ours, theirs in zip(model.layers, kmodel.layers):
        assert [(w.name, w.shape) for w in ours.weights] == [(w.name, tuple(w.shape)) for w in theirs.weights]


def test_conv_transpose_geometry_is_keras(keras):
    """Every (kernel, stride, dilation, padding, output_padding, input length) combination
    Keras accepts gives Keras' output, values included (an empty output is refused)."""
    grid = itertools.product([1, 2, 3, 4, 5], [1, 2, 3], [1, 2], ["valid", "same"], [None, 0, 1, 2], [1, 3, 4])
    checked = 0
    for k, s, d, padding, op, n in grid:
        if s > 1 and d > 1 or op is not None and op >= s:
            continue  # Keras refuses these too
        x = np.random.default_rng(k * 100 + n).normal(size=(2, n, 2)).astype("float32")
        theirs = keras.layers.Conv1DTranspose(3, k, strides=s, dilation_rate=d, padding=padding, output_padding=op)
        expected = keras.ops.convert_to_numpy(theirs(x))
        make = lambda: axon.Sequential([axon.Input(shape=(n, 2)), axon.layers.Conv1DTranspose(
            3, k, strides=s, dilation_rate=d, padding=padding, output_padding=op)])
        if expected.shape[1] == 0:
            with pytest.raises(ValueError, match="output would be empty"):
                make()
            continue
        model = make()
        model.set_weights([keras.ops.convert_to_numpy(w) for w in theirs.weights])
        np.testing.assert_allclose(model.predict(x, verbose=0), expected, atol=1e-5, rtol=1e-5,
                                   err_msg=f"kernel {k}, strides {s}, dilation {d}, {padding}, output_padding {op}")
        checked += 1
    assert checked > 300
