"""Every activation and loss on extreme inputs (±1e4, tiny, zero, exact kinks): values equal
the float64 NumPy references of the catalogue tests to 1e-6 relative, the engine's backward
is finite everywhere and equals the analytic (finite-difference) derivative away from kinks,
and nothing is NaN or Inf where the true value is finite."""

import numpy as np
import pytest

from axon import _core, activations
from test_activations_catalogue import CASES, GLU

GRID = [-1e4, -1e3, -50.0, -20.0, -3.0, -1.0, -1e-7, -1e-30, 0.0, 1e-30, 1e-7, 1.0, 3.0, 20.0, 50.0,
        1e3, 1e4]
# Exact kinks per case (points where the function or its derivative jumps).
KINKS = {
    "relu": [0.0], "relu6": [0.0, 6.0], "relu_params": [0.3, 2.5], "relu_negative_threshold": [-0.5],
    "leaky_relu": [0.0], "elu": [0.0], "elu_alpha": [0.0], "celu": [0.0], "celu_alpha": [0.0],
    "selu": [0.0], "step": [0.0], "hard_sigmoid": [-3.0, 3.0], "hard_silu": [-3.0, 3.0],
    "hard_swish": [-3.0, 3.0], "hard_tanh": [-1.0, 1.0], "hard_shrink": [-0.5, 0.5],
    "soft_shrink": [-0.5, 0.5], "threshold": [0.2], "sparse_plus": [-1.0, 1.0],
}


def _tanh_shrink(x):
    # The catalogue's x - tanh(x) cancels near 0 (wrong already in the 2nd digit at 1e-7); the
    # Taylor series is the float64-exact reference there.
    small = np.abs(x) < 1e-3
    return np.where(small, x**3 / 3 - 2 * x**5 / 15, x - np.tanh(x))


REFS = {name: ref for name, (_, _, ref) in CASES.items()}
REFS["tanh_shrink"] = _tanh_shrink
KERAS_AT_JUMPS = {("relu_params", 0.3): 0.0, ("relu_negative_threshold", -0.5): 0.0}
AXIS_CASES = {"softmax", "log_softmax", "sparsemax"}
POINTWISE = sorted(set(CASES) - AXIS_CASES)


def _grid(case):
    return np.array(sorted(set(GRID + KINKS.get(case, []))))


def _close(y, ref):
    # rtol 1e-6; atol only for values that are (near) zero, where relative error is meaningless.
    np.testing.assert_allclose(y, ref, rtol=1e-6, atol=1e-300)


def _finite_where_true_finite(y, ref):
    finite = np.isfinite(ref)
    assert np.all(np.isfinite(y[finite])), (y, ref)


@pytest.mark.parametrize("case", POINTWISE)
def test_activation_values_on_extreme_grid(case):
    _, fn, _ = CASES[case]
    ref = REFS[case]
    x = _grid(case)
    with np.errstate(over="ignore"):
        expected = ref(x)
    y = fn(x)
    _finite_where_true_finite(y, expected)
    # exponential(1e3), exponential(1e4) are inf, exactly as in float64 NumPy and Keras.
    assert np.array_equal(np.isfinite(y), np.isfinite(expected))
    _close(y[np.isfinite(expected)], expected[np.isfinite(expected)])


def _fd_derivative(ref, x):
    h = 1e-6 * np.maximum(1.0, np.abs(x))
    with np.errstate(over="ignore", invalid="ignore"):
        return (ref(x + h) - ref(x - h)) / (2 * h), h


@pytest.mark.parametrize("case", POINTWISE)
def test_activation_backward_on_extreme_grid(case):
    layer_arg, _, _ = CASES[case]
    ref = REFS[case]
    x = _grid(case)
    spec = activations.engine_spec(layer_arg)
    y, dx = _core.activation(spec, x, np.ones_like(x))
    true_finite = np.isfinite(ref(x + 0 * x)) if case != "exponential" else x < 700
    assert np.all(np.isfinite(dx[true_finite])), dx
    fd, h = _fd_derivative(ref, x)
    kinks = np.array(KINKS.get(case, []))
    away = np.ones_like(x, dtype=bool)
    for k in kinks:
        away &= np.abs(x - k) > 2 * h
    if case == "step":
        # step's backward is a documented straight-through estimator, not the (zero) derivative.
        return
    check = away & true_finite & np.isfinite(fd)
    np.testing.assert_allclose(dx[check], fd[check], rtol=1e-4, atol=1e-6)
    # At a kink the engine gives one of the one-sided derivatives (Keras / TF convention:
    # the branch taken by the forward's comparison, e.g. relu'(0) = 0, leaky_relu'(0) = 1,
    # elu'(0) = alpha, hard_tanh'(±1) = 0). At the jump of relu with a threshold and a
    # negative slope it gives TF's autodiff value of Keras' formula x*(x > t) - s*relu(t - x)
    # there, 0 (relu'(0) = 0), which is neither side.
    for k in kinks:
        i = np.flatnonzero(x == k)[0]
        if (case, k) in KERAS_AT_JUMPS:
            assert dx[i] == KERAS_AT_JUMPS[case, k]
            continue
        hk = 1e-6 * max(1.0, abs(k))
        left = (ref(np.array([k])) - ref(np.array([k - hk])))[0] / hk
        right = (ref(np.array([k + hk])) - ref(np.array([k])))[0] / hk
        assert min(abs(dx[i] - left), abs(dx[i] - right)) < 1e-4, (k, dx[i], left, right)


@pytest.mark.parametrize("case", sorted(AXIS_CASES) + ["glu"])
def test_axis_activations_on_extreme_rows(rng, case):
    layer_arg, fn, ref = GLU if case == "glu" else CASES[case]
    g = np.array(GRID)
    # Rows mixing an extreme value with moderate ones, and rows of all-equal extremes.
    x = np.stack([g, np.full_like(g, 0.5), -g, np.zeros_like(g)], axis=1)
    x = np.concatenate([x, np.repeat(g[:, None], 4, axis=1)])
    y = fn(x)
    expected = ref(x)
    assert np.all(np.isfinite(y))
    _close(y, expected)
    spec = activations.engine_spec(layer_arg)
    dy = rng.normal(size=y.shape)
    _, dx = _core.activation(spec, x, dy)
    assert np.all(np.isfinite(dx))
    # Directional finite difference of <dy, f(x)> on the rows where f is smooth at this scale.
    v = rng.normal(size=x.shape)
    h = 1e-6
    fd = ((ref(x + h * v) - ref(x - h * v)) * dy).sum(axis=1) / (2 * h)
    an = (dx * v).sum(axis=1)
    small = np.abs(x).max(axis=1) <= 50  # sparsemax and friends: no support change within h there
    np.testing.assert_allclose(an[small], fd[small], rtol=1e-4, atol=1e-6)



@pytest.mark.parametrize("case", POINTWISE)
def test_float32_layer_finite_on_extreme_grid(case):
    """The float32 kernels a model runs stay finite wherever the true value is finite in
    float32 (exponential overflows above ~88 there, as in Keras)."""
    import axon
    from axon import layers
    x = _grid(case).astype(np.float32)[None, :]
    model = axon.Sequential([axon.Input((x.shape[1],)), layers.Activation(CASES[case][0])])
    y = model.predict(x, verbose=0)
    with np.errstate(over="ignore"):
        expected = REFS[case](x.astype(np.float64)).astype(np.float32)
    assert np.all(np.isfinite(y[np.isfinite(expected)])), y


def test_squareplus_far_left_keeps_its_digits():
    # (x + sqrt(x^2 + b)) / 2 cancels to 0 for x << 0 (float32 at -1e4, float64 at -1e8); the
    # engine uses b / (2 (sqrt(x^2 + b) - x)) there.
    x = np.array([-1e4, -1e8, -1e20, -1e200])
    np.testing.assert_allclose(activations.squareplus(x), 1 / np.abs(x), rtol=1e-6)
    _, dx = _core.activation(activations.engine_spec("squareplus"), x, np.ones_like(x))
    np.testing.assert_allclose(dx[:3], 1 / x[:3] ** 2, rtol=1e-6)  # 1e-400 underflows to 0 in both
    assert dx[3] == 0.0
    import axon
    from axon import layers
    model = axon.Sequential([axon.Input((2,)), layers.Activation("squareplus")])
    np.testing.assert_allclose(model.predict(np.array([[-1e4, 1e20]], np.float32), verbose=0), [[1e-4, 1e20]],
                               rtol=1e-5)

# --- losses -----------------------------------------------------------------------------

import loss_refs as R  # noqa: E402
from test_losses_catalogue import CASES as LOSS_CASES  # noqa: E402

G = np.array(GRID)
PROBS = np.array([0.0, 1e-30, 1e-7, 0.5, 1 - 1e-7, 1.0])
POS = np.array([0.0, 1e-30, 1e-7, 0.5, 1.0, 3.0, 1e3, 1e4])


def _log_cosh(t, p):
    # loss_refs' x + softplus(-2x) - log 2 cancels for small |x|; log1p(2 sinh^2(x/2)) is exact there.
    x = p - t
    small = np.abs(x) < 1
    return np.where(small, np.log1p(2 * np.sinh(x / 2) ** 2), np.abs(x) + np.log1p(np.exp(-2 * np.abs(x))) - np.log(2)).mean(-1)


LOSS_REFS = {"log_cosh": _log_cosh}


def _pairs(a, b):
    """Every (a_i, b_j) pair as two (n, 1) columns."""
    aa, bb = np.meshgrid(a, b, indexing="ij")
    return aa.reshape(-1, 1), bb.reshape(-1, 1)


def _prob_rows():
    # Rows of K=3 probabilities with exact zeros, tiny values and exact ones (never an all-zero row,
    # where Keras' p / sum(p) is itself undefined).
    return np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1e-30, 1 - 1e-30, 0.0],
                     [1e-7, 1 - 1e-7, 0.0], [0.5, 0.5, 0.0], [1 / 3, 1 / 3, 1 / 3], [1e-30, 1e-30, 1e-30]])


def _logit_rows():
    rows = [[g, 0.0, -g] for g in G] + [[g, g, g] for g in G] + [[1e4, 1e4, -1e4], [-1e4, -1e4, 1e4]]
    return np.array(rows)


def extreme_data(kind):
    if kind == "reg":
        t, p = _pairs(G, G)
        # Two columns, plus all-zero rows (cosine similarity of zero vectors).
        t2 = np.concatenate([np.hstack([t, p[::-1]]), np.zeros((2, 2)), [[0.0, 0.0], [1.0, -2.0]]])
        p2 = np.concatenate([np.hstack([p, t]), np.zeros((2, 2)), [[1e4, 1e-30], [0.0, 0.0]]])
        return t2, p2
    if kind == "pos":
        return _pairs(POS, POS)
    if kind == "dist":
        return _pairs(PROBS, PROBS)
    if kind == "binary":
        return _pairs(np.array([0.0, 1.0]), PROBS)
    if kind in ("binary_logits", "signs"):
        labels = np.array([0.0, 1.0]) if kind == "binary_logits" else np.array([-1.0, 1.0])
        return _pairs(labels, G)
    k = 3
    rows = _prob_rows() if kind in ("onehot", "sparse") else _logit_rows()
    labels = np.repeat(np.arange(k), len(rows)).astype(float)
    p = np.tile(rows, (k, 1))
    if kind.startswith("sparse"):
        return labels, p
    return np.eye(k)[labels.astype(int)], p


@pytest.mark.parametrize("case", LOSS_CASES, ids=[c[0] for c in LOSS_CASES])
def test_loss_values_and_gradients_on_extremes(case):
    name, make, ref, kind = case
    ref = LOSS_REFS.get(name, ref)
    t, p = extreme_data(kind)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        expected = ref(t, p)
    assert np.all(np.isfinite(expected))  # Keras clips probabilities, so every true value is finite
    loss = make(reduction="none")
    values = loss(t, p)
    assert np.all(np.isfinite(values)), (t[~np.isfinite(values)], p[~np.isfinite(values)])
    np.testing.assert_allclose(values, expected, rtol=1e-6, atol=1e-300)
    value, grad = _core.compute_loss(loss._core_name, loss.from_logits, t, p, False, None, loss._core_config())
    assert np.all(np.isfinite(value))
    assert np.all(np.isfinite(grad)), p[~np.isfinite(grad)]


def _loss_at(name, from_logits, config, t, p):
    return _core.compute_loss(name, from_logits, t, p, False, None, config)[0]


@pytest.mark.parametrize("case", LOSS_CASES, ids=[c[0] for c in LOSS_CASES])
def test_loss_gradients_match_finite_differences_on_extremes(case):
    """Element by element: where the loss is smooth around the point (left and right
    differences agree) the engine's gradient equals the central difference; at a kink
    (clipping at 1e-7 / 1 - 1e-7, hinge corners, |t - p| = 0 for mae, ...) it equals one of
    the one-sided differences."""
    _, make, _, kind = case
    t, p = extreme_data(kind)
    loss = make()
    name, logits, config = loss._core_name, loss.from_logits, loss._core_config()
    base, grad = _core.compute_loss(name, logits, t, p, False, None, config)
    assert np.all(np.isfinite(grad))
    flat, g = p.reshape(-1), grad.reshape(-1)
    scale = np.abs(g).max() + 1e-300
    for i in range(flat.size):
        old = flat[i]
        # A step relative to the distance to 0 and to 1 (where probabilities are clipped and
        # log(1 - p) is singular), so features at the 1e-7 scale are resolved.
        near = [d for d in (abs(old), abs(1 - old)) if d > 0]
        h = 1e-6 * min(near) if old != 0 else 1e-12
        flat[i] = old + h
        up = _loss_at(name, logits, config, t, p)
        flat[i] = old - h
        down = _loss_at(name, logits, config, t, p)
        flat[i] = old
        right, left = (up - base) / h, (base - down) / h
        # Rounding of the loss itself limits what a difference can resolve.
        tol = 1e-4 * max(abs(right), abs(g[i])) + 1e-6 * scale + 10 * np.finfo(float).eps * abs(base) / h
        if not np.isfinite(left):  # outside the loss' domain on that side (poisson's log(p + eps), p < -eps)
            left = right
        if abs(right - left) <= tol:
            assert abs(g[i] - (left + right) / 2) <= tol, (i, old, g[i], left, right)
        else:
            # A kink: the engine's value is a subgradient (Keras/TF: sign(0) = 0 for mae and
            # hinge corners, clip_by_value passing the gradient at the clip bound itself).
            assert min(left, right) - tol <= g[i] <= max(left, right) + tol, (i, old, g[i], left, right)
