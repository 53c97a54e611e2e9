"""ZeroPadding, Cropping, UpSampling and SpatialDropout against Keras itself (torch backend):
.keras files both ways with predictions equal to 1e-5, and summary() as Keras prints it."""

import warnings

import numpy as np
import pytest

import axon
from test_keras_interop import _inputs, _randomize, keras  # noqa: F401  (keras: the torch-backend fixture)
from test_keras_interop import test_keras_file_loads_in_axon_and_back as keras_round_trip


def _one_d(k):
    return k.Sequential([
        k.Input((8, 3)), k.layers.ZeroPadding1D((2, 1)), k.layers.Cropping1D((1, 2)), k.layers.UpSampling1D(3),
        k.layers.SpatialDropout1D(0.3, seed=1), k.layers.ZeroPadding1D(data_format="channels_first"),
        k.layers.Dense(4), k.layers.Flatten(), k.layers.Dense(2)])


def _two_d(k):
    return k.Sequential([
        k.Input((5, 6, 3)), k.layers.ZeroPadding2D(((1, 0), (2, 1))), k.layers.Cropping2D(((0, 1), (1, 1))),
        k.layers.UpSampling2D((2, 1), interpolation="bilinear"), k.layers.UpSampling2D(2),
        k.layers.SpatialDropout2D(0.4), k.layers.Dense(3), k.layers.Flatten(), k.layers.Dense(2)])


def _channels_first(k):
    return k.Sequential([
        k.Input((3, 4, 5)), k.layers.ZeroPadding2D(1, data_format="channels_first"),
        k.layers.UpSampling2D((2, 3), data_format="channels_first", interpolation="bilinear"),
        k.layers.Cropping2D(((2, 1), (0, 3)), data_format="channels_first"),
        k.layers.SpatialDropout2D(0.5, data_format="channels_first"),
        k.layers.UpSampling2D(2, data_format="channels_first"), k.layers.Flatten(), k.layers.Dense(2)])


def _three_d(k):
    return k.Sequential([
        k.Input((3, 4, 2, 2)), k.layers.ZeroPadding3D(((1, 0), (0, 1), (1, 1))), k.layers.UpSampling3D((1, 2, 1)),
        k.layers.Cropping3D(((0, 1), (1, 1), (0, 1))), k.layers.SpatialDropout3D(0.2),
        k.layers.ZeroPadding3D(1, data_format="channels_first"), k.layers.Cropping3D(1, data_format="channels_first"),
        k.layers.UpSampling3D(2, data_format="channels_first"),
        k.layers.SpatialDropout3D(0.1, data_format="channels_first"),
        k.layers.Flatten(), k.layers.Dense(3)])


BUILDERS = [_one_d, _two_d, _channels_first, _three_d]


def _summary(model):
    lines = []
    model.summary(print_fn=lambda line, *args, **kwargs: lines.append(line))
    return "\n".join(lines).strip()


@pytest.mark.parametrize("builder", BUILDERS, ids=lambda b: b.__name__)
def test_keras_file_loads_in_axon_and_back(keras, builder, tmp_path):  # noqa: F811
    keras_round_trip(keras, builder, tmp_path)  # predictions equal to 1e-5 both ways


@pytest.mark.parametrize("builder", BUILDERS, ids=lambda b: b.__name__)
def test_shapes_summary_and_configs_are_keras(keras, builder, tmp_path):  # noqa: F811
    kmodel = builder(keras)
    kmodel.save(tmp_path / "k.keras")
    model = axon.models.load_model(tmp_path / "k.keras")
    assert [a.output_shape for a in model.layers] == [tuple(a.output.shape) for a in kmodel.layers]
    assert _summary(model) == _summary(kmodel)
    model.save(tmp_path / "a.keras")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        again = keras.saving.load_model(tmp_path / "a.keras")
    assert [a.get_config() for a in again.layers] == [a.get_config() for a in kmodel.layers]


def test_axon_model_loads_in_keras(keras, rng, tmp_path):  # noqa: F811
    L = axon.layers
    model = axon.Sequential([
        axon.Input((6, 4, 2)), L.ZeroPadding2D((1, 2)), L.UpSampling2D((1, 2), interpolation="bilinear"),
        L.Cropping2D(((1, 0), (2, 1))), L.SpatialDropout2D(0.5, seed=3), L.Reshape((7, 26)), L.Cropping1D(1),
        L.UpSampling1D(2), L.SpatialDropout1D(0.2), L.Dense(3)])
    _randomize(model, 2)
    model.compile(optimizer="adam", loss="mse")
    x = _inputs(model, 3)
    model.fit(x, rng.normal(size=(16,) + model.output_shape[1:]).astype("float32"), epochs=1, verbose=0)
    model.save(tmp_path / "a.keras")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kmodel = keras.saving.load_model(tmp_path / "a.keras")
    # The layer table as Keras prints it (Keras' totals count the optimizer's slots too).
    assert _summary(kmodel).split(" Total params")[0] == _summary(model).split(" Total params")[0]
    np.testing.assert_allclose(kmodel.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-5, rtol=1e-5)
