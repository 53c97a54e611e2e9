"""axon.regularizers (L1/L2/L1L2/OrthogonalRegularizer) and axon.constraints (MaxNorm,
MinMaxNorm, NonNeg, UnitNorm): values against NumPy transcriptions of the Keras 3
formulas, float64 gradient checks through Dense, constraints after fit, configs, errors."""

import numpy as np
import pytest

import axon
from axon import _core, constraints, layers, regularizers
from gradcheck import assert_gradients_match, float64_model, relative_error

EPS = 1e-7


def np_orthogonal(x, factor, mode):
    x = x if mode == "rows" else x.T
    with np.errstate(divide="ignore"):  # a zero vector: 1/0 = inf, clipped to 1/eps as in Keras
        inv = np.minimum(1 / np.sqrt(np.square(x).sum(axis=1, keepdims=True)), 1 / EPS)
    u = x * inv
    p = u @ u.T
    n = p.shape[0]
    return factor * 0.5 * np.abs(p * (1 - np.eye(n))).sum() / (n * (n - 1) / 2)


def numeric_grad(f, x, h=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        up = f(x)
        x[i] = old - h
        down = f(x)
        x[i] = old
        g[i] = (up - down) / (2 * h)
    return g


# ---------------------------------------------------------------- regularizer values


def test_l1_l2_values(rng):
    x = rng.normal(size=(4, 5))
    assert regularizers.L1(0.3)(x) == pytest.approx(0.3 * np.abs(x).sum())
    assert regularizers.L2(0.2)(x) == pytest.approx(0.2 * np.square(x).sum())
    assert regularizers.L1L2(0.1, 0.4)(x) == pytest.approx(0.1 * np.abs(x).sum() + 0.4 * np.square(x).sum())
    assert regularizers.L2(2.0)(np.ones((5, 5))) == pytest.approx(50.0)  # Keras' docstring example
    assert regularizers.L1(None).l1 == 0.01 and regularizers.L1L2(None, 0.5).get_config() == {"l1": 0.0, "l2": 0.5}


@pytest.mark.parametrize("mode", ["rows", "columns"])
@pytest.mark.parametrize("shape", [(5, 3), (3, 7), (2, 2), (6, 1)])
def test_orthogonal_regularizer_values(rng, mode, shape):
    x = rng.normal(size=shape)
    reg = regularizers.OrthogonalRegularizer(factor=0.3, mode=mode)
    n = shape[0] if mode == "rows" else shape[1]
    expected = np_orthogonal(x, 0.3, mode) if n > 1 else 0.0  # one vector: no pairs (Keras: 0/0)
    assert reg(x) == pytest.approx(expected, rel=1e-12)


def test_orthogonal_regularizer_known_cases():
    reg = regularizers.OrthogonalRegularizer(factor=1.0)
    assert reg(np.eye(4)) == 0.0
    assert reg(np.ones((3, 4))) == pytest.approx(1.0)  # every pair parallel: factor * mean |cos| = 1
    x = np.array([[1.0, 0.0], [0.0, 0.0], [1.0, 1.0]])  # a zero row normalizes to zero (clip at 1/eps)
    assert reg(x) == pytest.approx(np_orthogonal(x, 1.0, "rows"))


@pytest.mark.parametrize("reg", [regularizers.OrthogonalRegularizer(0.7, "rows"),
                                 regularizers.OrthogonalRegularizer(0.7, "columns"),
                                 regularizers.L1L2(0.2, 0.3)], ids=["rows", "columns", "l1l2"])
def test_engine_gradients_match_finite_differences(rng, reg):
    x = rng.normal(size=(4, 6))
    penalty, grad = _core.regularize(reg.spec(), x)
    assert penalty == pytest.approx(reg(x))
    assert relative_error(grad, numeric_grad(lambda v: reg(v), x)) < 1e-7


@pytest.mark.parametrize("batch", [1, 4])
def test_orthogonal_gradients_through_dense(rng, batch):
    model = float64_model([
        layers.Dense(4, activation="tanh", kernel_regularizer=regularizers.OrthogonalRegularizer(0.5),
                     bias_regularizer=regularizers.L1(0.1), bias_initializer="ones"),
        layers.Dense(3, kernel_regularizer=regularizers.OrthogonalRegularizer(0.8, mode="columns"),
                     activity_regularizer=regularizers.OrthogonalRegularizer(0.3, mode="columns")),
        layers.Dense(2, activity_regularizer=regularizers.OrthogonalRegularizer(0.2)),
    ], (5,))
    assert_gradients_match(model, rng.normal(size=(batch, 5)), rng.normal(size=(batch, 2)))


def test_penalty_is_in_the_loss(rng):
    reg = regularizers.OrthogonalRegularizer(0.4, mode="columns")
    model = axon.Sequential([axon.Input((6,)), layers.Dense(3, kernel_regularizer=reg, use_bias=False)])
    model.compile(optimizer="sgd", loss="mse")
    x, y = rng.normal(size=(8, 6)), rng.normal(size=(8, 3))
    kernel = model.layers[0].kernel.numpy()
    mse = np.mean((x.astype(np.float32) @ kernel - y) ** 2)
    assert model.evaluate(x, y, verbose=0) == pytest.approx(mse + np_orthogonal(kernel.astype(np.float64), 0.4, "columns"),
                                                            rel=1e-5)


def test_orthogonal_regularizer_trains_towards_orthogonal_columns(rng):
    # Zero inputs leave the penalty as the only force on the kernel.
    reg = regularizers.OrthogonalRegularizer(1.0, mode="columns")
    model = axon.Sequential([axon.Input((8,)), layers.Dense(4, kernel_regularizer=reg, use_bias=False)])
    model.layers[0].kernel.assign(np.ones((8, 4)) + 0.3 * rng.normal(size=(8, 4)))
    assert reg(model.layers[0].kernel.numpy()) > 0.9
    model.compile(optimizer=axon.optimizers.SGD(1.0), loss="mse")
    model.fit(np.zeros((32, 8)), np.zeros((32, 4)), epochs=50, verbose=0)
    k = model.layers[0].kernel.numpy()
    u = k / np.linalg.norm(k, axis=0)
    assert reg(k) < 0.02
    np.testing.assert_allclose(u.T @ u, np.eye(4), atol=0.05)


@pytest.mark.parametrize("make,pattern", [
    (lambda: regularizers.OrthogonalRegularizer()(np.ones(3)), "OrthogonalRegularizer.*rank 2"),
    (lambda: regularizers.OrthogonalRegularizer()(np.ones((2, 3, 4))), "OrthogonalRegularizer.*rank 2"),
    (lambda: regularizers.OrthogonalRegularizer(mode="diag"), "mode must be 'rows' or 'columns'"),
    (lambda: regularizers.OrthogonalRegularizer(factor=-1), "factor must be a non-negative number"),
    (lambda: regularizers.L1(l1="x"), "l1 must be a non-negative number"),
    (lambda: regularizers.get("l3"), "unknown regularizer 'l3'"),
    (lambda: regularizers.deserialize({"class_name": "L3", "config": {}}), "unknown class 'L3'"),
    (lambda: axon.Sequential([axon.Input((3,)), layers.Dense(2, bias_regularizer="orthogonal_regularizer")]),
     r"Dense 'dense'.*OrthogonalRegularizer: weight 'bias' must have rank 2"),
    (lambda: axon.Sequential([axon.Input((2, 3)), layers.Dense(2, activity_regularizer="orthogonal_regularizer")]),
     r"Dense 'dense'.*activity_regularizer.*rank 2"),
])
def test_regularizer_errors(make, pattern):
    with pytest.raises(ValueError, match=pattern):
        make()


@pytest.mark.parametrize("reg", [regularizers.L1(0.2), regularizers.L2(0.3), regularizers.L1L2(0.1, 0.5),
                                 regularizers.OrthogonalRegularizer(0.05, "columns")], ids=lambda r: type(r).__name__)
def test_regularizer_config_round_trip(reg):
    again = regularizers.deserialize(regularizers.serialize(reg))
    assert type(again) is type(reg) and again.get_config() == reg.get_config()
    assert type(reg).from_config(reg.get_config()).get_config() == reg.get_config()


def test_regularizer_aliases():
    assert type(regularizers.get("orthogonal_regularizer")) is regularizers.OrthogonalRegularizer
    assert regularizers.get("OrthogonalRegularizer").get_config() == {"factor": 0.01, "mode": "rows"}
    assert type(regularizers.get("l1l2")) is regularizers.L1L2
    dense = layers.Dense(2, kernel_regularizer=regularizers.OrthogonalRegularizer(0.2, "columns"))
    again = layers.Dense.from_config(dense.get_config())
    assert again.kernel_regularizer.get_config() == {"factor": 0.2, "mode": "columns"}


# ---------------------------------------------------------------- constraint values


def np_norms(w, axis):
    axis = tuple(axis) if isinstance(axis, list) else axis
    return np.sqrt(np.sum(np.square(w), axis=axis, keepdims=True))


def np_max_norm(w, max_value, axis):
    n = np_norms(w, axis)
    return w * (np.clip(n, 0, max_value) / (EPS + n))


def np_min_max_norm(w, lo, hi, rate, axis):
    n = np_norms(w, axis)
    return w * ((rate * np.clip(n, lo, hi) + (1 - rate) * n) / (EPS + n))


AXES = [((6, 4), 0), ((6, 4), 1), ((6, 4), -1), ((3, 3, 2, 5), [0, 1, 2]), ((3, 4, 5), [0, 2]), ((7,), 0)]


@pytest.mark.parametrize("shape,axis", AXES)
def test_constraint_values(rng, shape, axis):
    w = rng.normal(size=shape)
    np.testing.assert_allclose(constraints.MaxNorm(1.5, axis=axis)(w), np_max_norm(w, 1.5, axis), rtol=1e-14)
    np.testing.assert_allclose(constraints.UnitNorm(axis=axis)(w), w / (EPS + np_norms(w, axis)), rtol=1e-14)
    np.testing.assert_allclose(constraints.MinMaxNorm(1.0, 1.8, rate=0.6, axis=axis)(w),
                               np_min_max_norm(w, 1.0, 1.8, 0.6, axis), rtol=1e-14)
    np.testing.assert_array_equal(constraints.NonNeg()(w), np.maximum(w, 0))


def test_constraint_edge_cases():
    zero = np.zeros((3, 2))
    np.testing.assert_array_equal(constraints.UnitNorm()(zero), zero)  # eps keeps 0/0 away
    np.testing.assert_array_equal(constraints.MaxNorm()(zero), zero)
    w = np.array([[3.0], [4.0]])  # norm 5
    np.testing.assert_allclose(constraints.MaxNorm(2)(w), w * 2 / (5 + EPS))
    np.testing.assert_allclose(constraints.MinMaxNorm(6, 7)(w), w * 6 / (5 + EPS))
    w32 = np.ones((2, 2), np.float32)
    assert constraints.NonNeg()(w32).dtype == np.float32


# ---------------------------------------------------------------- constraints in training


def _fit(rng, dense, epochs=5, lr=0.5):
    axon.utils.set_random_seed(0)
    model = axon.Sequential([axon.Input((6,)), dense])
    model.compile(optimizer=axon.optimizers.SGD(lr), loss="mse")
    x = rng.normal(size=(64, 6))
    y = 5 * x[:, :3] @ rng.normal(size=(3, 4)) - 3  # large targets pull the weights far out
    model.fit(x, y, epochs=epochs, batch_size=16, verbose=0)
    return model.layers[0]


def test_max_norm_after_fit(rng):
    layer = _fit(rng, layers.Dense(4, kernel_constraint=constraints.MaxNorm(0.5),
                                   bias_constraint=constraints.MaxNorm(1.0)))
    kernel, bias = layer.get_weights()
    assert np.all(np.linalg.norm(kernel, axis=0) <= 0.5 + 1e-6)
    assert np.linalg.norm(bias) <= 1.0 + 1e-6
    assert np.linalg.norm(kernel, axis=0).max() > 0.49  # the constraint was active


def test_non_neg_and_unit_norm_after_fit(rng):
    layer = _fit(rng, layers.Dense(4, kernel_constraint="non_neg", bias_constraint=constraints.NonNeg()))
    kernel, bias = layer.get_weights()
    assert kernel.min() >= 0 and bias.min() >= 0 and kernel.max() > 0
    layer = _fit(rng, layers.Dense(4, kernel_constraint=constraints.UnitNorm(axis=1)))
    np.testing.assert_allclose(np.linalg.norm(layer.kernel.numpy(), axis=1), 1.0, rtol=1e-5)


def test_constraint_applied_after_each_update(rng):
    # One SGD step in float64: w1 = constraint(w0 - lr * grad), with the engine's gradient.
    con = constraints.MinMaxNorm(0.2, 0.4, rate=0.7)
    model = float64_model([layers.Dense(3, kernel_constraint=con)], (5,), optimizer=axon.optimizers.SGD(0.1))
    x, y = rng.normal(size=(8, 5)), rng.normal(size=(8, 3))
    w0 = model.layers[0].kernel.numpy()
    _, grads, _ = model._core.loss_and_gradients(x, y)
    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    np.testing.assert_allclose(model.layers[0].kernel.numpy(), con(w0 - 0.1 * grads[0]), rtol=1e-12)


def test_frozen_weights_are_not_constrained(rng):
    dense = layers.Dense(4, kernel_constraint=constraints.UnitNorm(), trainable=False)
    model = axon.Sequential([axon.Input((6,)), dense, layers.Dense(2)])
    before = dense.kernel.numpy()
    model.compile(optimizer="sgd", loss="mse")
    model.fit(rng.normal(size=(8, 6)), rng.normal(size=(8, 2)), verbose=0)
    np.testing.assert_array_equal(dense.kernel.numpy(), before)


# ---------------------------------------------------------------- configs, names, errors


@pytest.mark.parametrize("con", [constraints.MaxNorm(3, axis=1), constraints.MinMaxNorm(0.5, 2.0, 0.3, axis=[0, 1]),
                                 constraints.NonNeg(), constraints.UnitNorm(axis=-1)], ids=lambda c: type(c).__name__)
def test_constraint_config_round_trip(con):
    again = constraints.deserialize(constraints.serialize(con))
    assert type(again) is type(con) and again.get_config() == con.get_config()
    assert type(con).from_config(con.get_config()).get_config() == con.get_config()
    dense = layers.Dense(2, kernel_constraint=con, bias_constraint=con)
    again = layers.Dense.from_config(dense.get_config())
    assert again.kernel_constraint.get_config() == con.get_config()


def test_constraint_defaults_and_aliases():
    assert constraints.MaxNorm().get_config() == {"max_value": 2, "axis": 0}
    assert constraints.MinMaxNorm().get_config() == {"min_value": 0.0, "max_value": 1.0, "rate": 1.0, "axis": 0}
    assert constraints.UnitNorm().get_config() == {"axis": 0}
    for name, cls in [("max_norm", constraints.MaxNorm), ("min_max_norm", constraints.MinMaxNorm),
                      ("non_neg", constraints.NonNeg), ("unit_norm", constraints.UnitNorm),
                      ("MaxNorm", constraints.MaxNorm), ("NonNeg", constraints.NonNeg)]:
        assert type(constraints.get(name)) is cls
    assert constraints.get(None) is None


@pytest.mark.parametrize("make,pattern", [
    (lambda: constraints.get("maxnorm"), "unknown constraint 'maxnorm'"),
    (lambda: constraints.deserialize({"class_name": "MaxNorms", "config": {}}), "unknown class 'MaxNorms'"),
    (lambda: layers.Dense(2, kernel_constraint="positive"), "unknown constraint 'positive'"),
    (lambda: constraints.MaxNorm(max_value=-1), "MaxNorm: max_value must be >= 0"),
    (lambda: constraints.MinMaxNorm(min_value=2, max_value=1), "max_value must be >= min_value"),
    (lambda: constraints.UnitNorm(axis="0"), "axis must be an integer or a list of integers"),
    (lambda: constraints.UnitNorm(axis=2)(np.ones((2, 2))), "axis 2 is out of range"),
    (lambda: axon.Sequential([axon.Input((3,)), layers.Dense(2, bias_constraint=constraints.MaxNorm(axis=1))]),
     r"Dense 'dense'.*axis 1 is out of range for weight 'bias' of rank 1"),
])
def test_constraint_errors(make, pattern):
    with pytest.raises(ValueError, match=pattern):
        make()
