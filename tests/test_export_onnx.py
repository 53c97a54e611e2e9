"""ONNX export: every activation and layer, float32 and float64, batch sizes 1, 7, 64;
onnx.checker (full) passes and onnxruntime agrees with axon. Skipped without onnx/onnxruntime."""

import functools

import numpy as np
import pytest

from onnx_helpers import assert_agrees, randomize  # skips the module without onnx / onnxruntime

import axon
from axon import activations as A
from axon import layers as L

# Every activation of axon.activations, with non-default arguments where it takes some.
ACTIVATIONS = {
    "celu": [A.celu, functools.partial(A.celu, alpha=0.5)],
    "elu": [A.elu, functools.partial(A.elu, alpha=2.0)],
    "exponential": [A.exponential],
    "gelu": [A.gelu, functools.partial(A.gelu, approximate=True)],
    "glu": [A.glu],
    "hard_shrink": [A.hard_shrink, functools.partial(A.hard_shrink, threshold=1.0)],
    "hard_sigmoid": [A.hard_sigmoid],
    "hard_silu": [A.hard_silu, "hard_swish"],
    "hard_tanh": [A.hard_tanh],
    "leaky_relu": [A.leaky_relu, functools.partial(A.leaky_relu, negative_slope=0.05)],
    "linear": [A.linear, None],
    "log_sigmoid": [A.log_sigmoid],
    "log_softmax": [A.log_softmax],
    "mish": [A.mish],
    "relu": [A.relu, functools.partial(A.relu, negative_slope=0.1),
             functools.partial(A.relu, max_value=1.5), functools.partial(A.relu, threshold=0.5),
             functools.partial(A.relu, negative_slope=0.2, max_value=2.0, threshold=-0.5)],
    "relu6": [A.relu6],
    "selu": [A.selu],
    "sigmoid": [A.sigmoid],
    "silu": [A.silu, "swish"],
    "soft_shrink": [A.soft_shrink, functools.partial(A.soft_shrink, threshold=1.0)],
    "softmax": [A.softmax],
    "softplus": [A.softplus],
    "softsign": [A.softsign],
    "sparse_plus": [A.sparse_plus],
    "sparsemax": [A.sparsemax],
    "squareplus": [A.squareplus, functools.partial(A.squareplus, b=0.5)],
    "tanh": [A.tanh],
    "tanh_shrink": [A.tanh_shrink],
    "threshold": [functools.partial(A.threshold, threshold=0.3, default_value=-1.5)],
    "step": [A.step],
}
CASES = [pytest.param(act, id=f"{name}-{i}") for name, acts in ACTIVATIONS.items() for i, act in enumerate(acts)]


def test_every_activation_is_covered():
    assert set(ACTIVATIONS) == set(A._FUNCTIONS)


@pytest.mark.parametrize("then_dense", [False, True], ids=["last", "then_dense"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("activation", CASES)
def test_dense_with_each_activation(activation, dtype, then_dense, tmp_path, rng):
    # then_dense: onnxruntime fuses some ops into the next MatMul (see GraphBuilder.unfused_const).
    axon.config.set_floatx(dtype)
    model = axon.Sequential([axon.Input((5,)), L.Dense(8, activation=activation)] + [L.Dense(3)] * then_dense)
    randomize(model, rng)
    assert_agrees(model, tmp_path / "m.onnx", rng)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name,axis", [("softmax", 1), ("log_softmax", -2), ("sparsemax", 1), ("sparsemax", -1),
                                       ("glu", 1), ("glu", 2), ("softmax", 2)])
def test_axis_activations_on_rank_3(name, axis, dtype, tmp_path, rng):
    axon.config.set_floatx(dtype)
    act = functools.partial(getattr(A, name), axis=axis)
    model = axon.Sequential([axon.Input((12,)), L.Reshape((4, 3)), L.Dense(6), L.Activation(act)])
    randomize(model, rng)
    assert_agrees(model, tmp_path / "m.onnx", rng)


LAYER_STACKS = {
    "relu_layers": lambda: [L.Dense(9), L.ReLU(), L.Dense(9), L.ReLU(max_value=1.0, negative_slope=0.1, threshold=0.2)],
    "leaky_elu": lambda: [L.Dense(9), L.LeakyReLU(), L.Dense(9), L.ELU(alpha=0.7), L.LeakyReLU(negative_slope=0.01)],
    "prelu": lambda: [L.Dense(9), L.PReLU()],
    "prelu_shared": lambda: [L.Reshape((2, 3)), L.PReLU(shared_axes=[1]), L.Flatten(), L.Dense(3)],
    "softmax_layer": lambda: [L.Dense(9, activation="tanh"), L.Softmax()],
    "softmax_axis": lambda: [L.Reshape((3, 2)), L.Softmax(axis=1), L.Flatten()],
    "dropout": lambda: [L.Dense(16, activation="relu"), L.Dropout(0.5), L.Dense(4, activation="softmax")],
    "reshape_flatten": lambda: [L.Reshape((-1, 2)), L.Dense(5, activation="gelu"), L.Flatten(), L.Dense(2)],
    "activation_layer": lambda: [L.Dense(9), L.Activation("mish"), L.Activation(A.sparsemax)],
    "mlp": lambda: [L.Dense(32, activation="relu"), L.Dropout(0.2), L.Dense(16, activation="selu"),
                    L.Dense(10, activation="softmax")],
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("stack", list(LAYER_STACKS))
def test_layers(stack, dtype, tmp_path, rng):
    axon.config.set_floatx(dtype)
    model = axon.Sequential([axon.Input((6,))] + LAYER_STACKS[stack]())
    randomize(model, rng)
    assert_agrees(model, tmp_path / "m.onnx", rng)


def test_trained_model_agrees(tmp_path, rng):
    x = rng.standard_normal((256, 4)).astype("float32")
    y = (x[:, :1] > 0).astype("float32")
    model = axon.Sequential([L.Dense(8, activation="relu", input_shape=(4,)), L.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(x, y, epochs=2, verbose=0)
    assert_agrees(model, tmp_path / "trained.onnx", rng)
