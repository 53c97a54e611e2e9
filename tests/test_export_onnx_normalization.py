"""ONNX export of the normalization layers: onnx.checker (full) passes and onnxruntime
agrees with axon's predict (BatchNormalization with trained moving statistics)."""

import numpy as np
import pytest

from onnx_helpers import assert_agrees  # skips the module without onnx / onnxruntime

import axon
from axon import layers as L

STACKS = {
    "bn_dense": (lambda: [L.Dense(6), L.BatchNormalization()], (5,)),
    "bn_channels_last": (lambda: [L.BatchNormalization(epsilon=0.1)], (4, 5, 3)),
    "bn_channels_first": (lambda: [L.BatchNormalization(axis=1, center=False)], (3, 4, 5)),
    "bn_middle_axis": (lambda: [L.BatchNormalization(axis=2, scale=False)], (3, 4, 5)),
    "ln_last": (lambda: [L.Dense(6), L.LayerNormalization()], (5,)),
    "ln_trailing_pair": (lambda: [L.LayerNormalization(axis=[-2, -1], epsilon=1e-5)], (3, 4, 5)),
    "ln_middle": (lambda: [L.LayerNormalization(axis=1, center=False)], (3, 4, 5)),
    "ln_non_adjacent": (lambda: [L.LayerNormalization(axis=[1, 3])], (3, 4, 5)),
    "ln_no_scale": (lambda: [L.LayerNormalization(scale=False)], (3, 4)),
    "ln_rms": (lambda: [L.LayerNormalization(rms_scaling=True)], (3, 4)),
    "gn_last": (lambda: [L.GroupNormalization(groups=2)], (4, 5, 6)),
    "gn_channels_first": (lambda: [L.GroupNormalization(groups=3, axis=1)], (6, 4, 5)),
    "gn_instance": (lambda: [L.GroupNormalization(groups=-1, scale=False)], (7, 4)),
    "gn_middle": (lambda: [L.GroupNormalization(groups=2, axis=2, center=False)], (3, 4, 5)),
}


# onnxruntime has no float64 Conv kernel: these run in float32 only.
CONV_STACKS = {
    "conv_bn_gn": (lambda: [L.Conv2D(4, 3, use_bias=False), L.BatchNormalization(), L.Activation("relu"),
                            L.GroupNormalization(groups=2), L.MaxPooling2D(2)], (8, 8, 2)),
    "conv_channels_first_bn": (lambda: [L.Conv2D(4, 2, data_format="channels_first"), L.BatchNormalization(axis=1)],
                               (2, 5, 6)),
}


def _randomize(model, rng):
    weights = []
    for layer in model.layers:
        for w in layer.weights:
            if w.name == "moving_variance":
                weights.append(rng.uniform(0.5, 2.0, size=w.shape))
            else:
                weights.append(rng.standard_normal(w.shape) * 0.5)
    model.set_weights(weights)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", sorted(STACKS))
def test_layers(name, dtype, tmp_path, rng):
    make, shape = STACKS[name]
    axon.config.set_floatx(dtype)
    model = axon.Sequential([axon.Input(shape)] + make())
    _randomize(model, rng)
    assert_agrees(model, tmp_path / "m.onnx", rng)


@pytest.mark.parametrize("name", sorted(CONV_STACKS))
def test_after_convolutions(name, tmp_path, rng):
    make, shape = CONV_STACKS[name]
    model = axon.Sequential([axon.Input(shape)] + make())
    _randomize(model, rng)
    assert_agrees(model, tmp_path / "m.onnx", rng)


def test_trained_model_with_normalization_layers(tmp_path, rng):
    # float64: a LayerNormalization over 4 nearly equal values amplifies float32 rounding
    # upstream by up to 1/sqrt(epsilon), which is conditioning, not a difference in formulas.
    axon.config.set_floatx("float64")
    model = axon.Sequential([axon.Input((8, 8, 2)), L.Dense(4, use_bias=False), L.BatchNormalization(momentum=0.5),
                             L.Activation("relu"), L.GroupNormalization(groups=2), L.LayerNormalization(),
                             L.Flatten(), L.Dense(3)])
    model.compile("adam", "mse")
    x = rng.standard_normal((64, 8, 8, 2)) * 3 + 1
    model.fit(x, rng.standard_normal((64, 3)), epochs=2, batch_size=16, verbose=0)
    assert not np.allclose(model.layers[1].moving_mean.numpy(), 0)
    assert_agrees(model, tmp_path / "m.onnx", rng)
