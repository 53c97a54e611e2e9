"""Transposed, depthwise and separable convolutions in the Sequential API: output shapes and
parameter counts, summary() as real Keras prints it, configs, .axon save/load and errors
that name the layer."""

import numpy as np
import pytest

import axon
from axon import layers
from keras_torch import keras  # noqa: F401  (the fixture)
from test_conv_api import test_config_round_trips_through_json as config_round_trip


@pytest.mark.parametrize("make,input_shape,output_shape,params", [
    (lambda: layers.Conv1DTranspose(4, 3, strides=2), (5, 3), (None, 11, 4), 3 * 4 * 3 + 4),
    (lambda: layers.Conv1DTranspose(4, 2, strides=3), (5, 3), (None, 15, 4), 2 * 4 * 3 + 4),  # max(k, s)
    (lambda: layers.Conv2DTranspose(8, 3, strides=2, padding="same"), (7, 7, 16), (None, 14, 14, 8),
     9 * 8 * 16 + 8),
    (lambda: layers.Conv2DTranspose(2, (3, 4), strides=(2, 3), padding="same", output_padding=(1, 0),
                                    use_bias=False), (4, 5, 3), (None, 8, 12, 2), 12 * 2 * 3),
    (lambda: layers.Conv2DTranspose(3, 3, dilation_rate=2, data_format="channels_first"), (2, 5, 6),
     (None, 3, 9, 10), 9 * 3 * 2 + 3),
    (lambda: layers.Conv3DTranspose(2, 2, strides=(1, 2, 2), output_padding=(0, 1, 0)), (3, 4, 5, 1),
     (None, 4, 9, 10, 2), 8 * 2 + 2),
    (lambda: layers.DepthwiseConv1D(3, depth_multiplier=2), (10, 4), (None, 8, 8), 3 * 4 * 2 + 8),
    (lambda: layers.DepthwiseConv2D(3, strides=2, padding="same"), (9, 9, 5), (None, 5, 5, 5), 9 * 5 + 5),
    (lambda: layers.DepthwiseConv2D((3, 2), data_format="channels_first", depth_multiplier=3, use_bias=False),
     (2, 6, 6), (None, 6, 4, 5), 6 * 2 * 3),
    (lambda: layers.SeparableConv1D(6, 3, padding="same"), (10, 4), (None, 10, 6), 3 * 4 + 4 * 6 + 6),
    (lambda: layers.SeparableConv2D(16, 3, depth_multiplier=2), (8, 8, 3), (None, 6, 6, 16),
     9 * 3 * 2 + 6 * 16 + 16),
])
def test_output_shapes_and_parameter_counts(make, input_shape, output_shape, params):
    layer = make()
    axon.Sequential([axon.Input(shape=input_shape), layer])
    assert layer.output_shape == output_shape
    assert layer.count_params() == params


def test_weight_names_shapes_and_order():
    sep = layers.SeparableConv2D(4, 3, depth_multiplier=2)
    dw = layers.DepthwiseConv2D(2)
    tr = layers.Conv2DTranspose(5, 3)
    axon.Sequential([axon.Input(shape=(9, 9, 3)), sep, dw, tr])
    assert [(w.name, w.shape) for w in sep.weights] == [("depthwise_kernel", (3, 3, 3, 2)),
                                                         ("pointwise_kernel", (1, 1, 6, 4)), ("bias", (4,))]
    assert [(w.name, w.shape) for w in dw.weights] == [("kernel", (2, 2, 4, 1)), ("bias", (4,))]
    assert [(w.name, w.shape) for w in tr.weights] == [("kernel", (3, 3, 5, 4)), ("bias", (5,))]
    assert sep.depthwise_kernel.shape == (3, 3, 3, 2) and sep.pointwise_kernel.shape == (1, 1, 6, 4)
    assert dw.kernel.shape == (2, 2, 4, 1) and tr.bias.shape == (5,)


def _family(lib, with_input=True):
    L = lib.layers
    stack = [
        L.Conv2DTranspose(4, 3, strides=2, padding="same", name="up"),
        L.DepthwiseConv2D(3, depth_multiplier=2, name="dw"),
        L.SeparableConv2D(6, 3, padding="same", activation="relu", name="sep"),
        L.Conv2DTranspose(3, 2, strides=2, output_padding=1, use_bias=False, name="up2"),
        L.Reshape((-1, 3), name="flat"),
        L.Conv1DTranspose(2, 3, name="up1"),
        L.DepthwiseConv1D(2, name="dw1"),
        L.SeparableConv1D(4, 2, depth_multiplier=3, name="sep1"),
    ]
    return lib.Sequential(([lib.Input(shape=(5, 5, 2))] if with_input else []) + stack, name="family")


def test_summary_is_real_keras_summary(keras):
    expected, actual = [], []
    _family(keras).summary(print_fn=expected.append, line_length=None)
    _family(axon).summary(print_fn=actual.append, line_length=None)
    assert "\n".join(actual).strip() == "\n".join(expected).strip()


def test_conv3d_transpose_shapes_are_real_keras(keras):
    for lib, out in ((keras, []), (axon, [])):
        for padding, op in (("valid", None), ("same", None), ("same", (1, 0, 2)), ("valid", (0, 1, 2))):
            m = lib.Sequential([lib.Input(shape=(3, 4, 5, 2)), lib.layers.Conv3DTranspose(
                2, (3, 2, 4), strides=(2, 3, 3), padding=padding, output_padding=op)])
            out.append((tuple(m.output_shape), m.count_params()))
        if lib is keras:
            expected = out
        else:
            assert out == expected


CONFIG_LAYERS = [
    lambda: layers.Conv2DTranspose(4, (3, 2), strides=(2, 1), padding="same", output_padding=(1, 0),
                                   data_format="channels_first", activation="relu", use_bias=False,
                                   kernel_initializer=axon.initializers.HeNormal(seed=3), kernel_regularizer="l2",
                                   activity_regularizer="l1", kernel_constraint=axon.constraints.MaxNorm(2.0),
                                   bias_constraint="non_neg", name="t"),
    lambda: layers.Conv1DTranspose(3, 5, dilation_rate=2),
    lambda: layers.Conv3DTranspose(2, 1),
    lambda: layers.DepthwiseConv2D(3, depth_multiplier=2, depthwise_initializer="he_uniform",
                                   depthwise_regularizer="l1", depthwise_constraint="non_neg"),
    lambda: layers.DepthwiseConv1D(2, strides=2, padding="same"),
    lambda: layers.SeparableConv2D(5, 3, pointwise_initializer="ones", pointwise_regularizer="l2",
                                   pointwise_constraint=axon.constraints.UnitNorm(), depthwise_initializer="zeros"),
    lambda: layers.SeparableConv1D(2, 4, data_format="channels_first"),
]


@pytest.mark.parametrize("make", CONFIG_LAYERS)
def test_config_round_trips_through_json(make):
    config_round_trip(make)


def test_config_keys_are_keras(keras):
    pairs = [(layers.Conv2DTranspose(4, 3), keras.layers.Conv2DTranspose(4, 3)),
             (layers.DepthwiseConv2D(3), keras.layers.DepthwiseConv2D(3)),
             (layers.SeparableConv1D(4, 3), keras.layers.SeparableConv1D(4, 3))]
    for ours, theirs in pairs:
        assert list(ours.get_config())[3:] == [k for k in theirs.get_config() if k not in ("dtype", "name",
                                                                                           "trainable")]


def test_family_saves_and_loads(tmp_path, rng):
    model = _family(axon)
    model.compile(optimizer="adam", loss="mse")
    x = rng.normal(size=(8, 5, 5, 2)).astype(np.float32)
    y = rng.normal(size=(8,) + model.output_shape[1:]).astype(np.float32)
    model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    model.save(tmp_path / "family.axon")
    loaded = axon.models.load_model(tmp_path / "family.axon")
    assert loaded.get_config() == model.get_config()  # classes, names and every argument
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


@pytest.mark.parametrize("make,match", [
    (lambda: layers.Conv2DTranspose(0, 3), r"Conv2DTranspose 'conv2d_transpose': filters must be a positive "
                                           r"integer, got 0"),
    (lambda: layers.Conv2DTranspose(2, 3, strides=2, output_padding=2),
     r"Conv2DTranspose 'conv2d_transpose': output_padding must be strictly less than strides"),
    (lambda: layers.Conv1DTranspose(2, 3, strides=2, dilation_rate=2), r"Conv1DTranspose.*strides > 1 is not"),
    (lambda: layers.Conv3DTranspose(2, (1, 2)), r"Conv3DTranspose.*kernel_size must be .*3 positive integers"),
    (lambda: layers.Conv2DTranspose(2, 3, padding="causal"), r"Conv2DTranspose.*padding must be one of"),
    (lambda: layers.Conv2DTranspose(2, 3, output_padding=-1), r"output_padding must be"),
    (lambda: layers.DepthwiseConv2D(3, depth_multiplier=0),
     r"DepthwiseConv2D 'depthwise_conv2d': depth_multiplier must be a positive integer, got 0"),
    (lambda: layers.DepthwiseConv1D(3, padding="causal"), r"DepthwiseConv1D 'depthwise_conv1d': padding must be"),
    (lambda: layers.DepthwiseConv2D(3, data_format="NHWC"), r"DepthwiseConv2D.*data_format must be"),
    (lambda: layers.SeparableConv2D(-1, 3), r"SeparableConv2D 'separable_conv2d': filters must be"),
    (lambda: layers.SeparableConv1D(2, 0), r"SeparableConv1D.*kernel_size must be"),
    (lambda: layers.SeparableConv2D(2, 3, depth_multiplier=1.5), r"SeparableConv2D.*depth_multiplier"),
])
def test_argument_errors_name_the_layer(make, match):
    with pytest.raises(ValueError, match=match):
        make()


@pytest.mark.parametrize("make,input_shape,match", [
    (lambda: layers.Conv2DTranspose(2, 3), (5, 5), r"Conv2DTranspose 'conv2d_transpose': expected an input of "
                                                   r"rank 4.*got shape \(None, 5, 5\)"),
    (lambda: layers.DepthwiseConv2D(4), (3, 8, 1), r"DepthwiseConv2D 'depthwise_conv2d'.*larger than the input"),
    (lambda: layers.SeparableConv1D(2, 2), (5, 3, 2), r"SeparableConv1D 'separable_conv1d': expected an input"),
])
def test_build_errors_name_the_layer(make, input_shape, match):
    with pytest.raises(ValueError, match=match):
        axon.Sequential([axon.Input(shape=input_shape), make()])


def test_depthwise_and_pointwise_regularizers_add_to_the_loss(rng):
    x = rng.normal(size=(4, 6, 6, 3)).astype(np.float32)

    def loss(dw, pw):
        axon.backend.clear_session()
        layer = layers.SeparableConv2D(4, 3, depth_multiplier=2, depthwise_regularizer=dw, pointwise_regularizer=pw,
                                       depthwise_initializer=axon.initializers.RandomNormal(seed=1),
                                       pointwise_initializer=axon.initializers.RandomNormal(seed=2))
        model = axon.Sequential([axon.Input(shape=(6, 6, 3)), layer])
        model.compile(optimizer="sgd", loss="mse")
        return model.evaluate(x, np.zeros((4, 4, 4, 4), np.float32), verbose=0), layer.get_weights()

    plain, (d, p, _) = loss(None, None)
    regularized, _ = loss(axon.regularizers.L2(0.01), axon.regularizers.L1(0.02))
    expected = plain + 0.01 * np.sum(d.astype(np.float64) ** 2) + 0.02 * np.abs(p).sum()
    np.testing.assert_allclose(regularized, expected, rtol=1e-5)
