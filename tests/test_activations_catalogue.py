"""The Keras 3 activation catalogue: values against float64 NumPy references written from
Keras 3's formulas (and torch.nn.functional where the definitions agree), finite-difference
gradients through Dense and Activation layers, axis variants, the activation layers, config
round trips and errors."""

import functools
import math

import numpy as np
import pytest

import axon
from axon import _core, activations, layers
from gradcheck import assert_gradients_match, float64_model

P = functools.partial
SELU_ALPHA, SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
erf = np.vectorize(math.erf)


def np_sigmoid(x):
    return np.exp(-np.logaddexp(0.0, -x))


def np_softplus(x):
    return np.logaddexp(0.0, x)


def np_softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def np_log_softmax(x, axis=-1):
    s = x - x.max(axis=axis, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=axis, keepdims=True))


def np_sparsemax(x, axis=-1):
    z = np.moveaxis(x, axis, -1)
    zs = -np.sort(-z, axis=-1)
    cs = np.cumsum(zs, axis=-1)
    k = np.arange(1, z.shape[-1] + 1)
    kz = (1 + k * zs > cs).sum(axis=-1, keepdims=True)
    tau = (np.take_along_axis(cs, kz - 1, axis=-1) - 1) / kz
    return np.moveaxis(np.maximum(z - tau, 0.0), -1, axis)


def np_glu(x, axis=-1):
    a, b = np.split(x, 2, axis=axis)
    return a * np_sigmoid(b)


def np_relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    y = np.where(x > threshold, x, 0.0)
    if max_value is not None:
        y = np.clip(y, 0.0, max_value)
    return y - negative_slope * np.maximum(threshold - x, 0.0)


def np_elu(x, alpha=1.0):
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))


def np_gelu_tanh(x):
    return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))


def np_relu6(x):
    return np.clip(x, 0.0, 6.0)


# id -> (activation given to a layer, function call, float64 reference).
CASES = {
    "celu": ("celu", activations.celu, lambda x: np.maximum(x, 0) + np.minimum(0, np.expm1(np.minimum(x, 0)))),
    "celu_alpha": (P(activations.celu, alpha=0.5), P(activations.celu, alpha=0.5),
                   lambda x: np.maximum(x, 0) + np.minimum(0, 0.5 * np.expm1(np.minimum(x, 0) / 0.5))),
    "elu": ("elu", activations.elu, np_elu),
    "elu_alpha": (P(activations.elu, alpha=0.7), P(activations.elu, alpha=0.7), lambda x: np_elu(x, 0.7)),
    "exponential": ("exponential", activations.exponential, np.exp),
    "gelu": ("gelu", activations.gelu, lambda x: 0.5 * x * (1 + erf(x / np.sqrt(2)))),
    "gelu_approximate": (P(activations.gelu, approximate=True), P(activations.gelu, approximate=True), np_gelu_tanh),
    "hard_shrink": ("hard_shrink", activations.hard_shrink, lambda x: np.where(np.abs(x) > 0.5, x, 0.0)),
    "hard_sigmoid": ("hard_sigmoid", activations.hard_sigmoid, lambda x: np_relu6(x + 3) / 6),
    "hard_silu": ("hard_silu", activations.hard_silu, lambda x: x * np_relu6(x + 3) / 6),
    "hard_swish": ("hard_swish", activations.hard_swish, lambda x: x * np_relu6(x + 3) / 6),
    "hard_tanh": ("hard_tanh", activations.hard_tanh, lambda x: np.clip(x, -1.0, 1.0)),
    "leaky_relu": ("leaky_relu", activations.leaky_relu, lambda x: np.where(x >= 0, x, 0.2 * x)),
    "linear": ("linear", activations.linear, lambda x: x),
    "log_sigmoid": ("log_sigmoid", activations.log_sigmoid, lambda x: -np_softplus(-x)),
    "log_softmax": ("log_softmax", activations.log_softmax, np_log_softmax),
    "mish": ("mish", activations.mish, lambda x: x * np.tanh(np_softplus(x))),
    "relu": ("relu", activations.relu, np_relu),
    "relu_params": (P(activations.relu, negative_slope=0.1, max_value=2.5, threshold=0.3),
                    P(activations.relu, negative_slope=0.1, max_value=2.5, threshold=0.3),
                    lambda x: np_relu(x, 0.1, 2.5, 0.3)),
    "relu_negative_threshold": (P(activations.relu, negative_slope=0.2, threshold=-0.5),
                                P(activations.relu, negative_slope=0.2, threshold=-0.5),
                                lambda x: np_relu(x, 0.2, None, -0.5)),
    "relu6": ("relu6", activations.relu6, np_relu6),
    "selu": ("selu", activations.selu, lambda x: SELU_SCALE * np_elu(x, SELU_ALPHA)),
    "sigmoid": ("sigmoid", activations.sigmoid, np_sigmoid),
    "silu": ("silu", activations.silu, lambda x: x * np_sigmoid(x)),
    "swish": ("swish", activations.swish, lambda x: x * np_sigmoid(x)),
    "soft_shrink": ("soft_shrink", activations.soft_shrink,
                    lambda x: np.where(x > 0.5, x - 0.5, np.where(x < -0.5, x + 0.5, 0.0))),
    "softmax": ("softmax", activations.softmax, np_softmax),
    "softplus": ("softplus", activations.softplus, np_softplus),
    "softsign": ("softsign", activations.softsign, lambda x: x / (1 + np.abs(x))),
    "sparse_plus": ("sparse_plus", activations.sparse_plus,
                    lambda x: np.where(x <= -1, 0.0, np.where(x >= 1, x, (x + 1) ** 2 / 4))),
    "sparsemax": ("sparsemax", activations.sparsemax, np_sparsemax),
    "squareplus": ("squareplus", activations.squareplus, lambda x: (x + np.sqrt(x * x + 4)) / 2),
    "squareplus_b": (P(activations.squareplus, b=1.5), P(activations.squareplus, b=1.5),
                     lambda x: (x + np.sqrt(x * x + 1.5)) / 2),
    "tanh": ("tanh", activations.tanh, np.tanh),
    "tanh_shrink": ("tanh_shrink", activations.tanh_shrink, lambda x: x - np.tanh(x)),
    "threshold": (P(activations.threshold, threshold=0.2, default_value=-1.5),
                  P(activations.threshold, threshold=0.2, default_value=-1.5),
                  lambda x: np.where(x > 0.2, x, -1.5)),
    "step": ("step", activations.step, lambda x: np.where(x >= 0, 1.0, 0.0)),
}
# glu halves the last axis, so its shapes differ; it is checked on its own below.
GLU = (P(activations.glu), activations.glu, np_glu)
SMOOTH_CASES = sorted(set(CASES) - {"step"})  # step's gradient is a straight-through estimator


@pytest.mark.parametrize("case", sorted(CASES))
def test_values_match_keras_formulas(rng, case):
    _, fn, ref = CASES[case]
    x = rng.normal(scale=3, size=(4, 7))
    np.testing.assert_allclose(fn(x), ref(x), rtol=1e-12, atol=1e-14)


def test_glu_values(rng):
    x = rng.normal(scale=3, size=(3, 8))
    y = activations.glu(x)
    assert y.shape == (3, 4)
    np.testing.assert_allclose(y, np_glu(x), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("case", sorted(CASES) + ["glu"])
def test_extreme_inputs_stay_finite(case):
    _, fn, ref = GLU if case == "glu" else CASES[case]
    x = np.array([[-1e4, -30.0, -1.0, 0.0, 1.0, 30.0, 1e4, 2.0]])
    y = fn(x)
    if case == "exponential":  # exp(1e4) overflows in Keras too; only the finite part is checked
        assert np.all(np.isfinite(y[x < 700]))
        return
    assert np.all(np.isfinite(y)), y
    np.testing.assert_allclose(y, ref(x), rtol=1e-12, atol=1e-14)
    _, dx = _core.activation(activations.engine_spec(CASES[case][0] if case != "glu" else GLU[0]), x, np.ones_like(y))
    assert np.all(np.isfinite(dx)), dx


def test_scalar_input():
    assert activations.relu(-2.0) == 0.0
    assert activations.sigmoid(0.0) == pytest.approx(0.5)


# --- torch.nn.functional, where its definition equals Keras 3's -------------------------

def _torch_cases():
    return {
        "celu": lambda F, t: F.celu(t),
        "celu_alpha": lambda F, t: F.celu(t, alpha=0.5),
        "elu": lambda F, t: F.elu(t),
        "elu_alpha": lambda F, t: F.elu(t, alpha=0.7),
        "gelu": lambda F, t: F.gelu(t),
        "gelu_approximate": lambda F, t: F.gelu(t, approximate="tanh"),
        "hard_shrink": lambda F, t: F.hardshrink(t, 0.5),
        "hard_sigmoid": lambda F, t: F.hardsigmoid(t),
        "hard_silu": lambda F, t: F.hardswish(t),
        "hard_tanh": lambda F, t: F.hardtanh(t),
        "leaky_relu": lambda F, t: F.leaky_relu(t, 0.2),
        "log_sigmoid": lambda F, t: F.logsigmoid(t),
        "log_softmax": lambda F, t: F.log_softmax(t, dim=-1),
        "mish": lambda F, t: F.mish(t),
        "relu": lambda F, t: F.relu(t),
        "relu6": lambda F, t: F.relu6(t),
        "selu": lambda F, t: F.selu(t),
        "sigmoid": lambda F, t: F.sigmoid(t),
        "silu": lambda F, t: F.silu(t),
        "soft_shrink": lambda F, t: F.softshrink(t, 0.5),
        "softmax": lambda F, t: F.softmax(t, dim=-1),
        "softplus": lambda F, t: F.softplus(t, threshold=1e9),  # torch goes linear above 20 by default
        "softsign": lambda F, t: F.softsign(t),
        "tanh": lambda F, t: F.tanh(t),
        "tanh_shrink": lambda F, t: F.tanhshrink(t),
        "threshold": lambda F, t: F.threshold(t, 0.2, -1.5),
        "glu": lambda F, t: F.glu(t, dim=-1),
    }


@pytest.mark.parametrize("case", sorted(_torch_cases()))
def test_values_and_gradients_match_torch(rng, case):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    spec = activations.engine_spec(GLU[0] if case == "glu" else CASES[case][0])
    x = rng.normal(scale=3, size=(5, 6))
    x = np.where(np.abs(np.abs(x) - 0.5) < 1e-3, 0.77, x)  # away from the kinks
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    out = _torch_cases()[case](F, t)
    dy = rng.normal(size=tuple(out.shape))
    out.backward(torch.tensor(dy))
    y, dx = _core.activation(spec, x, dy)
    np.testing.assert_allclose(y, out.detach().numpy(), rtol=1e-10, atol=1e-12)
    # torch's hardsigmoid backward multiplies by a float32 1/6 (relative error 3e-8).
    rtol = 1e-7 if case == "hard_sigmoid" else 1e-8
    np.testing.assert_allclose(dx, t.grad.numpy(), rtol=rtol, atol=1e-10)


# --- finite-difference gradients through Dense and Activation ---------------------------

@pytest.mark.parametrize("batch", [1, 4])
@pytest.mark.parametrize("case", SMOOTH_CASES + ["glu"])
def test_dense_gradients(rng, batch, case):
    act = GLU[0] if case == "glu" else CASES[case][0]
    model = float64_model([layers.Dense(4, activation=act, bias_initializer="glorot_uniform")], (5,))
    out = 2 if case == "glu" else 4
    assert model.output_shape == (None, out)
    assert_gradients_match(model, rng.normal(size=(batch, 5)), rng.normal(size=(batch, out)))


@pytest.mark.parametrize("batch", [1, 4])
@pytest.mark.parametrize("case", SMOOTH_CASES + ["glu"])
def test_activation_layer_gradients(rng, batch, case):
    act = GLU[0] if case == "glu" else CASES[case][0]
    model = float64_model([layers.Dense(4, bias_initializer="glorot_uniform"), layers.Activation(act)], (3,))
    out = 2 if case == "glu" else 4
    assert_gradients_match(model, rng.normal(size=(batch, 3)), rng.normal(size=(batch, out)))


def test_step_gradient_is_straight_through(rng):
    x = rng.normal(size=(3, 4))
    dy = rng.normal(size=(3, 4))
    y, dx = _core.activation("step", x, dy)
    np.testing.assert_array_equal(y, (x >= 0).astype(float))
    np.testing.assert_array_equal(dx, dy)
    # Through a model: the Dense gradients equal those of a linear output for the same dout.
    grads = []
    for act in ("step", "linear"):
        axon.utils.set_random_seed(5)
        model = float64_model([layers.Dense(4, activation=act)], (3,))
        grads.append(model._core.gradients_from_output(x[:, :3].copy(), dy)[0])
    for a, b in zip(*grads):
        np.testing.assert_allclose(a, b, rtol=1e-14)
