"""ZeroPadding, Cropping, UpSampling and SpatialDropout in the Sequential API: Keras'
arguments, defaults and configs, output shapes, errors naming the layer, native saving."""

import numpy as np
import pytest

import axon
from axon import layers

ALL = ["ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D", "Cropping1D", "Cropping2D", "Cropping3D",
       "UpSampling1D", "UpSampling2D", "UpSampling3D", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"]


@pytest.mark.parametrize("name,kwargs,input_shape,output_shape", [
    ("ZeroPadding1D", {}, (5, 3), (None, 7, 3)),
    ("ZeroPadding1D", {"padding": (2, 0), "data_format": "channels_first"}, (3, 5), (None, 3, 7)),
    ("ZeroPadding2D", {}, (4, 5, 3), (None, 6, 7, 3)),
    ("ZeroPadding2D", {"padding": ((1, 0), (2, 3))}, (4, 5, 3), (None, 5, 10, 3)),
    ("ZeroPadding2D", {"padding": (1, 2), "data_format": "channels_first"}, (3, 4, 5), (None, 3, 6, 9)),
    ("ZeroPadding3D", {}, (2, 3, 4, 1), (None, 4, 5, 6, 1)),
    ("Cropping1D", {}, (5, 3), (None, 3, 3)),
    ("Cropping2D", {}, (4, 5, 3), (None, 4, 5, 3)),
    ("Cropping2D", {"cropping": ((1, 0), (2, 1)), "data_format": "channels_first"}, (3, 4, 5), (None, 3, 3, 2)),
    ("Cropping3D", {}, (3, 4, 5, 2), (None, 1, 2, 3, 2)),
    ("UpSampling1D", {}, (5, 3), (None, 10, 3)),
    ("UpSampling2D", {}, (4, 5, 3), (None, 8, 10, 3)),
    ("UpSampling2D", {"size": (3, 1), "interpolation": "bilinear", "data_format": "channels_first"}, (3, 4, 5),
     (None, 3, 12, 5)),
    ("UpSampling3D", {}, (2, 3, 4, 1), (None, 4, 6, 8, 1)),
    ("SpatialDropout1D", {"rate": 0.5}, (5, 3), (None, 5, 3)),
    ("SpatialDropout3D", {"rate": 0.5, "data_format": "channels_first"}, (2, 3, 4, 5), (None, 2, 3, 4, 5)),
])
def test_output_shapes_and_no_params(name, kwargs, input_shape, output_shape):
    layer = getattr(layers, name)(**kwargs)
    model = axon.Sequential([axon.Input(input_shape), layer])
    assert layer.output_shape == output_shape
    assert model.count_params() == 0 and layer.get_weights() == []


def test_keras_defaults_and_names():
    assert layers.ZeroPadding1D().padding == (1, 1)
    assert layers.ZeroPadding2D().padding == ((1, 1), (1, 1))
    assert layers.ZeroPadding2D(2).padding == ((2, 2), (2, 2))
    assert layers.ZeroPadding2D((1, 2)).padding == ((1, 1), (2, 2))
    assert layers.ZeroPadding3D().padding == ((1, 1),) * 3
    assert layers.Cropping1D().cropping == (1, 1)
    assert layers.Cropping1D(2).cropping == (2, 2)
    assert layers.Cropping2D().cropping == ((0, 0), (0, 0))
    assert layers.Cropping3D().cropping == ((1, 1),) * 3
    assert layers.UpSampling1D().size == 2
    assert layers.UpSampling2D().size == (2, 2) and layers.UpSampling2D().interpolation == "nearest"
    assert layers.UpSampling2D(interpolation="BILINEAR").interpolation == "bilinear"
    assert layers.UpSampling3D(3).size == (3, 3, 3)
    assert layers.SpatialDropout2D(0.5).data_format == "channels_last"
    axon.backend.clear_session()
    names = [getattr(layers, n)(*([0.5] if n.startswith("Spatial") else [])).name for n in ALL]
    assert names == ["zero_padding1d", "zero_padding2d", "zero_padding3d", "cropping1d", "cropping2d",
                     "cropping3d", "up_sampling1d", "up_sampling2d", "up_sampling3d", "spatial_dropout1d",
                     "spatial_dropout2d", "spatial_dropout3d"]


@pytest.mark.parametrize("make,message", [
    (lambda: layers.ZeroPadding2D(-1), r"ZeroPadding2D 'zero_padding2d': padding .*got -1"),
    (lambda: layers.ZeroPadding2D((1, 2, 3)), r"ZeroPadding2D 'zero_padding2d': padding .*got \(1, 2, 3\)"),
    (lambda: layers.ZeroPadding1D((1, 2, 3)), r"ZeroPadding1D 'zero_padding1d': padding .*got \(1, 2, 3\)"),
    (lambda: layers.ZeroPadding3D(((1, 1), (1, -2), 0)), r"ZeroPadding3D .*padding entry 2 .*got \(1, -2\)"),
    (lambda: layers.ZeroPadding2D(1.5), r"ZeroPadding2D .*padding .*got 1.5"),
    (lambda: layers.ZeroPadding2D(data_format="nhwc"), r"ZeroPadding2D .*data_format .*got 'nhwc'"),
    (lambda: layers.Cropping2D(((1, 2), (3,))), r"Cropping2D 'cropping2d': cropping entry 2 .*got \(3,\)"),
    (lambda: layers.Cropping1D(-1), r"Cropping1D 'cropping1d': cropping .*got -1"),
    (lambda: layers.Cropping3D("a"), r"Cropping3D 'cropping3d': cropping .*got 'a'"),
    (lambda: layers.UpSampling1D(0), r"UpSampling1D 'up_sampling1d': size .*got 0"),
    (lambda: layers.UpSampling2D((2, 0)), r"UpSampling2D 'up_sampling2d': size .*got \(2, 0\)"),
    (lambda: layers.UpSampling2D(interpolation="bicubic"), r"UpSampling2D .*'nearest' or 'bilinear'.*'bicubic'"),
    (lambda: layers.UpSampling3D(data_format="x"), r"UpSampling3D .*data_format .*got 'x'"),
    (lambda: layers.SpatialDropout1D(1.0), r"SpatialDropout1D 'spatial_dropout1d': rate .*got 1.0"),
    (lambda: layers.SpatialDropout2D("0.5"), r"SpatialDropout2D .*rate .*got '0.5'"),
    (lambda: layers.SpatialDropout3D(0.5, seed=-1), r"SpatialDropout3D .*seed"),
])
def test_bad_arguments_name_the_layer(make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize("layer,input_shape,message", [
    (lambda: layers.Cropping2D(((2, 2), (0, 0))), (4, 5, 3),
     r"Cropping2D 'cropping2d': cropping .*leaves nothing of input \(None, 4, 5, 3\) on spatial axis 1 \(size 4"),
    (lambda: layers.Cropping1D((3, 3)), (6, 2), r"Cropping1D 'cropping1d': .*leaves nothing"),
    (lambda: layers.Cropping3D(((0, 0), (0, 0), (2, 1)), data_format="channels_first"), (2, 3, 3, 3),
     r"Cropping3D .*spatial axis 3 \(size 3, cropped by 3\)"),
    (lambda: layers.ZeroPadding2D(), (5, 3), r"ZeroPadding2D 'zero_padding2d': expected an input of rank 4 "
                                             r".*got shape \(None, 5, 3\)"),
    (lambda: layers.UpSampling2D(interpolation="bilinear"), (2, 3, 4, 5),
     r"UpSampling2D .*expected an input of rank 4"),
    (lambda: layers.UpSampling1D(), (6,), r"UpSampling1D 'up_sampling1d': expected an input of rank 3"),
    (lambda: layers.SpatialDropout2D(0.1), (4, 4),
     r"SpatialDropout2D 'spatial_dropout2d': expected an input of rank 4"),
    (lambda: layers.ZeroPadding1D(2**31), (4, 2), r"ZeroPadding1D 'zero_padding1d': padding .*too large"),
    (lambda: layers.UpSampling3D(2**12), (64, 64, 64, 1), r"UpSampling3D .*values per sample"),
])
def test_bad_inputs_name_the_layer(layer, input_shape, message):
    with pytest.raises(ValueError, match=message):
        axon.Sequential([axon.Input(input_shape), layer()])


@pytest.mark.parametrize("name", ALL)
def test_config_round_trip(name):
    args = [0.3] if name.startswith("Spatial") else []
    kwargs = {} if name.endswith("1D") else {"data_format": "channels_first"}
    layer = getattr(layers, name)(*args, **kwargs)
    config = layer.get_config()
    again = type(layer).from_config(config)
    assert again.get_config() == config
    if name.startswith("SpatialDropout"):  # Keras' SpatialDropout config has no 'trainable'
        assert set(config) == {"name", "dtype", "rate", "seed"} | ({"data_format"} if "1D" not in name else set())


def _stack():
    return [axon.Input((6, 5, 2)), layers.ZeroPadding2D(((1, 0), (2, 1))), layers.Cropping2D(((0, 1), (1, 1))),
            layers.UpSampling2D((2, 1), interpolation="bilinear"), layers.SpatialDropout2D(0.3, seed=4),
            layers.Reshape((12, 12)), layers.ZeroPadding1D((1, 2)), layers.Cropping1D((0, 1)),
            layers.UpSampling1D(2), layers.SpatialDropout1D(0.2), layers.Dense(3)]


def test_native_save_and_load(rng, tmp_path):
    model = axon.Sequential(_stack())
    model.compile(optimizer="adam", loss="mse")
    x = rng.normal(size=(4, 6, 5, 2)).astype(np.float32)
    model.fit(x, rng.normal(size=(4,) + model.output_shape[1:]).astype(np.float32), epochs=2, verbose=0)
    model.save(tmp_path / "m.axon")
    again = axon.models.load_model(tmp_path / "m.axon")
    assert [type(a) for a in again.layers] == [type(a) for a in model.layers]
    assert [a.get_config() for a in again.layers] == [a.get_config() for a in model.layers]
    np.testing.assert_array_equal(again.predict(x, verbose=0), model.predict(x, verbose=0))
    restored = axon.models.model_from_json(model.to_json())
    assert restored.output_shape == model.output_shape


@pytest.mark.parametrize("add,message", [
    (lambda c: c.add_pad_crop("p", False, [1, 1], [1, 1], "nhwc", -1), r"ZeroPadding2D 'p': data_format"),
    (lambda c: c.add_pad_crop("p", True, [1], [-1], "channels_last", -1), r"Cropping1D 'p': cropping must be non-neg"),
    (lambda c: c.add_pad_crop("p", False, [1, 1], [1], "channels_last", -1), r"ZeroPadding2D 'p': padding needs 2"),
    (lambda c: c.add_upsampling("u", [2, 2], "channels_last", "area", -1), r"UpSampling2D 'u': interpolation"),
    (lambda c: c.add_upsampling("u", [2, 2, 2], "channels_last", "bilinear", -1), r"UpSampling3D 'u': bilinear"),
    (lambda c: c.add_upsampling("u", [0], "channels_last", "nearest", -1), r"UpSampling1D 'u': size must be pos"),
    (lambda c: c.add_spatial_dropout("d", 4, 0.5, 1, "channels_last", -1), r"rank must be 1, 2 or 3, got 4"),
    (lambda c: c.add_spatial_dropout("d", 2, 1.5, 1, "channels_last", -1), r"SpatialDropout2D 'd': rate"),
])
def test_the_engine_checks_its_arguments_too(add, message):
    with pytest.raises(ValueError, match=message):
        add(axon._core.Model32(0))
