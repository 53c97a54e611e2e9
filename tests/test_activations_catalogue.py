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


def np_squareplus(x, b=4.0):
    # (x + sqrt(x^2 + b)) / 2, written as b / (2 (sqrt(x^2 + b) - x)) for x < 0 where the
    # sum cancels (already 3e-9 off at -1e4 in float64).
    s = np.sqrt(x * x + b)
    return np.where(x >= 0, (x + s) / 2, b / (2 * (s - x)))


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
    "squareplus": ("squareplus", activations.squareplus, np_squareplus),
    "squareplus_b": (P(activations.squareplus, b=1.5), P(activations.squareplus, b=1.5),
                     lambda x: np_squareplus(x, 1.5)),
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


# --- axis variants ----------------------------------------------------------------------

AXIS_FUNCTIONS = {"softmax": np_softmax, "log_softmax": np_log_softmax, "sparsemax": np_sparsemax, "glu": np_glu}


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -2, -3])
@pytest.mark.parametrize("name", sorted(AXIS_FUNCTIONS))
def test_functions_on_any_axis(rng, name, axis):
    x = rng.normal(scale=2, size=(2, 4, 6))
    np.testing.assert_allclose(getattr(activations, name)(x, axis=axis), AXIS_FUNCTIONS[name](x, axis=axis),
                               rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("axis", [1, -2])
@pytest.mark.parametrize("name", sorted(AXIS_FUNCTIONS))
def test_axis_activation_in_layers(rng, name, axis):
    """Dense on a (N, 2, 5) input gives (N, 2, 4); the activation runs over per-sample axis 1.
    (No bias: a bias shifts a whole axis-1 group equally, which softmax, log_softmax and
    sparsemax ignore, so its exact gradient is zero and a relative error meaningless.)"""
    act = P(getattr(activations, name), axis=axis)
    x = rng.normal(size=(3, 2, 5))
    out = (None, 1, 4) if name == "glu" else (None, 2, 4)
    for stack in ([layers.Dense(4, activation=act, use_bias=False)],
                  [layers.Dense(4, use_bias=False), layers.Activation(act)]):
        model = float64_model(stack, (2, 5))
        assert model.output_shape == out
        z = x @ model.layers[0].get_weights()[0]
        np.testing.assert_allclose(model.predict(x, verbose=0), AXIS_FUNCTIONS[name](z, axis=1), rtol=1e-12,
                                   atol=1e-14)
        for batch in (1, 3):
            assert_gradients_match(model, x[:batch], rng.normal(size=(batch,) + out[1:]))


def test_axis_errors():
    with pytest.raises(ValueError, match="batch axis"):
        float64_model([layers.Activation(P(activations.softmax, axis=0))], (3,))
    with pytest.raises(ValueError, match="out of range"):
        float64_model([layers.Activation(P(activations.softmax, axis=3))], (3, 2))
    with pytest.raises(ValueError, match="even"):
        float64_model([layers.Dense(3, activation="glu")], (2,))
    with pytest.raises(ValueError, match="even"):
        activations.glu(np.ones((2, 3)))


def test_fusion_only_for_plain_softmax_on_last_axis_and_sigmoid():
    def fused(stack, shape, loss):
        model = float64_model(stack, shape, loss=loss)
        return model._core.fused_loss

    cce = "categorical_crossentropy"
    assert fused([layers.Dense(3, activation="softmax")], (4,), cce)
    assert fused([layers.Dense(3, activation=P(activations.softmax, axis=-1))], (4,), cce)
    assert fused([layers.Dense(3), layers.Softmax()], (4,), cce)
    assert fused([layers.Dense(3, activation="sigmoid")], (4,), "binary_crossentropy")
    assert not fused([layers.Dense(3, activation="log_softmax")], (4,), cce)
    assert not fused([layers.Dense(3, activation="sparsemax")], (4,), cce)
    assert not fused([layers.Dense(3), layers.Softmax(axis=1)], (2, 4), cce)
    assert fused([layers.Dense(3), layers.Softmax(axis=2)], (2, 4), cce)


# --- activation layers ------------------------------------------------------------------

def _layer_cases():
    return {
        "relu": (layers.ReLU(), lambda x, w: np_relu(x)),
        "relu_params": (layers.ReLU(max_value=2.0, negative_slope=0.1, threshold=0.4),
                        lambda x, w: np_relu(x, 0.1, 2.0, 0.4)),
        "leaky_relu": (layers.LeakyReLU(), lambda x, w: np.where(x >= 0, x, 0.3 * x)),
        "leaky_relu_slope": (layers.LeakyReLU(negative_slope=0.05), lambda x, w: np.where(x >= 0, x, 0.05 * x)),
        "elu": (layers.ELU(), lambda x, w: np_elu(x)),
        "elu_alpha": (layers.ELU(alpha=0.4), lambda x, w: np_elu(x, 0.4)),
        "softmax": (layers.Softmax(), lambda x, w: np_softmax(x)),
        "softmax_axis": (layers.Softmax(axis=1), lambda x, w: np_softmax(x, axis=1)),
        "prelu": (layers.PReLU(alpha_initializer=axon.initializers.RandomUniform(0.1, 0.5)),
                  lambda x, w: np.where(x >= 0, x, w[0] * x)),
        "prelu_shared": (layers.PReLU(alpha_initializer=axon.initializers.RandomUniform(0.1, 0.5), shared_axes=[1]),
                         lambda x, w: np.where(x >= 0, x, w[0] * x)),
        "prelu_regularized": (layers.PReLU(alpha_initializer="ones", alpha_regularizer=axon.regularizers.l2(0.1),
                                           shared_axes=-1), lambda x, w: np.where(x >= 0, x, w[0] * x)),
    }


@pytest.mark.parametrize("batch", [1, 4])
@pytest.mark.parametrize("case", sorted(_layer_cases()))
def test_activation_layers(rng, case, batch):
    layer, ref = _layer_cases()[case]
    model = float64_model([layer], (3, 4))
    x = rng.normal(scale=2, size=(batch, 3, 4))
    x = np.where(np.abs(x) < 1e-3, 0.5, x)
    np.testing.assert_allclose(model.predict(x, verbose=0), ref(x, layer.get_weights()), rtol=1e-12, atol=1e-14)
    assert_gradients_match(model, x, rng.normal(size=(batch, 3, 4)))


def test_prelu_weights_and_alpha_gradient(rng):
    layer = layers.PReLU(shared_axes=[1])
    model = float64_model([layer], (3, 4))
    assert [w.name for w in layer.weights] == ["alpha"]
    assert layer.alpha.shape == (1, 4)
    np.testing.assert_array_equal(layer.get_weights()[0], np.zeros((1, 4)))  # Keras default: Zeros
    assert layer.count_params() == 4
    x = rng.normal(size=(2, 3, 4))
    dy = rng.normal(size=(2, 3, 4))
    (dalpha,), dx = model._core.gradients_from_output(x, dy)
    np.testing.assert_allclose(dalpha, (dy * np.minimum(x, 0)).sum(axis=(0, 1), keepdims=True)[0], rtol=1e-12)
    np.testing.assert_allclose(dx, np.where(x >= 0, dy, 0.0), rtol=1e-12)


def test_prelu_before_dense_trains_its_alpha(rng):
    model = float64_model([layers.Dense(4), layers.PReLU(), layers.Dense(1)], (3,))
    x = rng.normal(size=(5, 3))
    assert_gradients_match(model, x, rng.normal(size=(5, 1)))


def test_layer_argument_errors():
    with pytest.raises(ValueError, match="max_value"):
        layers.ReLU(max_value=-1)
    with pytest.raises(ValueError, match="negative_slope"):
        layers.ReLU(negative_slope=-0.1)
    with pytest.raises(ValueError, match="negative_slope"):
        layers.LeakyReLU(negative_slope=-1)
    with pytest.raises(ValueError, match="constraint"):
        layers.PReLU(alpha_constraint="non_neg")
    with pytest.raises(ValueError, match="shared axis"):
        float64_model([layers.PReLU(shared_axes=[3])], (4,))
    assert layers.LeakyReLU(alpha=0.1).negative_slope == pytest.approx(0.1)  # Keras 2 name


# --- configs, names, errors -------------------------------------------------------------

@pytest.mark.parametrize("case", sorted(_layer_cases()))
def test_layer_config_round_trip(case):
    layer, _ = _layer_cases()[case]
    config = layer.get_config()
    clone = type(layer).from_config(config)
    assert clone.get_config() == config


def test_keras_defaults_in_configs():
    assert layers.ReLU().get_config()["max_value"] is None
    assert layers.LeakyReLU().get_config()["negative_slope"] == pytest.approx(0.3)
    assert layers.ELU().get_config()["alpha"] == 1.0
    assert layers.Softmax().get_config()["axis"] == -1
    config = layers.PReLU().get_config()
    assert config["alpha_initializer"]["class_name"] == "Zeros"
    assert config["shared_axes"] is None and config["alpha_regularizer"] is None


@pytest.mark.parametrize("activation", ["gelu", "hard_swish", P(activations.relu, max_value=6.0),
                                        P(activations.threshold, threshold=0.1, default_value=0.0),
                                        P(activations.glu, axis=-1)])
def test_dense_and_activation_config_round_trip(rng, activation):
    x = rng.normal(size=(2, 4))
    for layer in (layers.Dense(4, activation=activation), layers.Activation(activation)):
        config = layer.get_config()
        clone = type(layer).from_config(config)
        assert clone.get_config() == config
        outputs = []
        for lay in (layer, clone):
            axon.utils.set_random_seed(3)
            model = float64_model([lay], (4,))
            outputs.append(model.predict(x, verbose=0))
        np.testing.assert_allclose(outputs[0], outputs[1])


def test_get_serialize_deserialize():
    assert activations.get(None) is activations.linear
    assert activations.get("swish") is activations.silu
    assert activations.get(activations.mish) is activations.mish
    assert activations.serialize("hard_swish") == "hard_silu"
    assert activations.serialize(activations.gelu) == "gelu"
    assert activations.deserialize("gelu") is activations.gelu
    fn = activations.deserialize(activations.serialize(P(activations.leaky_relu, negative_slope=0.01)))
    x = np.array([-2.0, 3.0])
    np.testing.assert_allclose(fn(x), [-0.02, 3.0])
    for name in ("celu", "elu", "exponential", "gelu", "glu", "hard_shrink", "hard_sigmoid", "hard_silu",
                 "hard_swish", "hard_tanh", "leaky_relu", "linear", "log_sigmoid", "log_softmax", "mish", "relu",
                 "relu6", "selu", "sigmoid", "silu", "swish", "soft_shrink", "softmax", "softplus", "softsign",
                 "sparse_plus", "sparsemax", "squareplus", "tanh", "tanh_shrink", "step"):
        assert callable(activations.get(name)), name


def test_unknown_activations_raise_value_error_naming_them():
    with pytest.raises(ValueError, match="'swishy'"):
        activations.get("swishy")
    with pytest.raises(ValueError, match="'nope'"):
        layers.Dense(2, activation="nope")
    with pytest.raises(ValueError, match="'nope'"):
        layers.Activation("nope")
    with pytest.raises(ValueError, match="'nope'"):
        _core.activation("nope", np.ones(3))
    with pytest.raises(ValueError, match="not an axon activation"):
        layers.Dense(2, activation=lambda x: x)
    with pytest.raises(ValueError, match="threshold"):
        activations.get("threshold")  # Keras requires its threshold and default_value
    with pytest.raises(ValueError, match="unexpected"):
        activations.get(P(activations.relu, alpha=0.1))


def test_dense_gelu_trains(rng):
    axon.utils.set_random_seed(11)
    x = rng.normal(size=(256, 4)).astype(np.float32)
    y = (np.sin(x[:, :1]) + x[:, 1:2] ** 2 / 4).astype(np.float32)
    model = axon.Sequential([axon.Input((4,)), layers.Dense(32, activation="gelu"), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(x, y, epochs=15, batch_size=32, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.5 * losses[0], losses


@pytest.mark.parametrize("case", sorted(CASES) + ["glu"])
def test_float32_models_match_float64_functions(rng, case):
    act, fn, _ = GLU if case == "glu" else CASES[case]
    model = axon.Sequential([axon.Input((5,)), layers.Dense(4, activation=act, bias_initializer="glorot_uniform")])
    x = rng.normal(size=(6, 5)).astype(np.float32)
    kernel, bias = (w.astype(np.float64) for w in model.get_weights())
    z = x.astype(np.float64) @ kernel + bias
    y, expected = model.predict(x, verbose=0), fn(z)
    if case == "step":  # float32 rounding may flip the jump for z within rounding of 0
        keep = np.abs(z) > 1e-4
        y, expected = y[keep], expected[keep]
    np.testing.assert_allclose(y, expected, rtol=1e-4, atol=1e-5)


def test_sparsemax_with_nan_gives_nan_for_that_group_only():
    y = activations.sparsemax(np.array([[1.0, np.nan, 0.0], [1.0, 2.0, 0.0]]))
    assert np.all(np.isnan(y[0]))
    np.testing.assert_allclose(y[1], [0.0, 1.0, 0.0])
