"""axon.initializers: Keras 3 formulas (limits, standard deviations, truncation), seeds,
orthogonality, identity, aliases, configs and errors."""

import numpy as np
import pytest

import axon
from axon import initializers, layers

TRUNC = 0.87962566103423978  # stddev of a standard normal truncated to [-2, 2]
SHAPES = [(400, 500), (1000, 64), (3, 3, 64, 128), (5, 7, 32, 16)]  # dense and conv-like kernels


def fans(shape):
    receptive = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
    return shape[-2] * receptive, shape[-1] * receptive


def expected_scale(scale, mode, shape):
    fan_in, fan_out = fans(shape)
    n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode]
    return scale / max(1.0, n)


NAMED = {  # class -> (scale, mode, distribution), as Keras defines them
    initializers.GlorotUniform: (1.0, "fan_avg", "uniform"),
    initializers.GlorotNormal: (1.0, "fan_avg", "truncated_normal"),
    initializers.HeUniform: (2.0, "fan_in", "uniform"),
    initializers.HeNormal: (2.0, "fan_in", "truncated_normal"),
    initializers.LecunUniform: (1.0, "fan_in", "uniform"),
    initializers.LecunNormal: (1.0, "fan_in", "truncated_normal"),
}


def check_variance_scaling(values, scale, mode, distribution, shape):
    s = expected_scale(scale, mode, shape)
    assert values.shape == shape and values.dtype == np.float32
    assert abs(values.mean()) < 4 * np.sqrt(s) / np.sqrt(values.size)
    if distribution == "uniform":
        limit = np.sqrt(3 * s)
        assert values.min() >= -limit and values.max() <= limit
        assert values.min() < -0.99 * limit and values.max() > 0.99 * limit
        assert values.std() == pytest.approx(limit / np.sqrt(3), rel=0.02)
    elif distribution == "truncated_normal":
        bound = 2 * np.sqrt(s) / TRUNC
        assert np.abs(values).max() <= bound * (1 + 1e-6)
        assert np.abs(values).max() > 0.98 * bound
        assert values.std() == pytest.approx(np.sqrt(s), rel=0.02)
    else:
        assert values.std() == pytest.approx(np.sqrt(s), rel=0.02)
        assert np.abs(values).max() > 3 * np.sqrt(s)  # not truncated


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("cls", list(NAMED), ids=lambda c: c.__name__)
def test_named_variance_scaling_statistics(cls, shape):
    check_variance_scaling(cls(seed=7)(shape), *NAMED[cls], shape)


@pytest.mark.parametrize("shape", SHAPES[::2])
@pytest.mark.parametrize("mode", ["fan_in", "fan_out", "fan_avg"])
@pytest.mark.parametrize("distribution", ["truncated_normal", "untruncated_normal", "uniform"])
def test_variance_scaling_statistics(mode, distribution, shape):
    init = initializers.VarianceScaling(scale=0.3, mode=mode, distribution=distribution, seed=11)
    check_variance_scaling(init(shape), 0.3, mode, distribution, shape)


def test_variance_scaling_small_fans_use_at_least_one():
    # Keras divides by max(1, n): a (1,) bias with fan_avg = 1 ... and an empty shape (n = 1).
    v = initializers.VarianceScaling(scale=4.0, mode="fan_avg", distribution="uniform", seed=1)((1,))
    assert abs(v[0]) <= np.sqrt(12.0)
    assert initializers.VarianceScaling(distribution="normal").distribution == "truncated_normal"


def test_random_normal_uniform_truncated_and_constants():
    shape = (300, 400)
    v = initializers.RandomNormal(mean=1.5, stddev=0.2, seed=3)(shape)
    assert v.mean() == pytest.approx(1.5, abs=2e-3) and v.std() == pytest.approx(0.2, rel=0.01)
    v = initializers.RandomUniform(minval=-0.3, maxval=0.7, seed=3)(shape)
    assert v.min() >= -0.3 and v.max() <= 0.7 and v.mean() == pytest.approx(0.2, abs=2e-3)
    assert v.std() == pytest.approx(1.0 / np.sqrt(12), rel=0.01)
    v = initializers.TruncatedNormal(mean=-1.0, stddev=0.5, seed=3)(shape)
    assert v.min() >= -2.0 and v.max() <= 0.0 and v.min() < -1.99 and v.max() > -0.01
    assert v.mean() == pytest.approx(-1.0, abs=2e-3) and v.std() == pytest.approx(0.5 * TRUNC, rel=0.01)
    assert np.array_equal(initializers.Constant(2.5)((2, 3)), np.full((2, 3), 2.5, np.float32))
    assert np.array_equal(initializers.Zeros()((4,)), np.zeros(4, np.float32))
    assert np.array_equal(initializers.Ones()((2, 2, 2)), np.ones((2, 2, 2), np.float32))
    assert initializers.Ones()((2,), dtype="float64").dtype == np.float64


@pytest.mark.parametrize("shape", [(6, 4), (4, 6), (5, 5), (2, 3, 4), (3, 3, 2, 5), (2, 2, 3, 20)])
@pytest.mark.parametrize("gain", [1.0, 0.5])
def test_orthogonal(shape, gain):
    w = initializers.Orthogonal(gain=gain, seed=5)(shape, dtype="float64")
    assert w.shape == shape
    q = w.reshape(-1, shape[-1])  # Keras flattens all but the last axis
    gram = q.T @ q if q.shape[0] >= q.shape[1] else q @ q.T
    np.testing.assert_allclose(gram, gain**2 * np.eye(gram.shape[0]), atol=1e-12)


def test_orthogonal_sign_correction():
    # With columns signed by diag(R), Q's first column is a0 / ||a0|| for the normal draw
    # a0, so Q[0, 0] takes either sign; Householder QR alone would always make it negative.
    signs = {np.sign(initializers.OrthogonalInitializer(seed=s)((5, 3), dtype="float64")[0, 0]) for s in range(40)}
    assert signs == {-1.0, 1.0}


def test_identity():
    np.testing.assert_array_equal(initializers.Identity()((3, 3)), np.eye(3, dtype=np.float32))
    np.testing.assert_array_equal(initializers.Identity(gain=2.0)((3, 5), dtype="float64"), 2 * np.eye(3, 5))
    np.testing.assert_array_equal(initializers.get("identity")((4, 2)), np.eye(4, 2, dtype=np.float32))


@pytest.mark.parametrize("make,shape,pattern", [
    (lambda: initializers.Identity(), (2, 3, 4), r"identity.*2-D.*\(2, 3, 4\)"),
    (lambda: initializers.Identity(), (3,), r"identity.*2-D"),
    (lambda: initializers.Orthogonal(), (5,), r"orthogonal.*at least two-dimensional"),
])
def test_shape_errors(make, shape, pattern):
    with pytest.raises(ValueError, match=pattern):
        make()(shape)


def test_shape_error_in_a_layer_names_layer_and_weight():
    with pytest.raises(ValueError, match=r"Dense 'dense'.*identity.*weight 'bias'"):
        axon.Sequential([axon.Input((3,)), layers.Dense(3, bias_initializer="identity")])


RANDOM = [initializers.RandomNormal, initializers.RandomUniform, initializers.TruncatedNormal,
          initializers.VarianceScaling, initializers.OrthogonalInitializer] + list(NAMED)


@pytest.mark.parametrize("cls", RANDOM, ids=lambda c: c.__name__)
def test_seeds_reproduce_and_differ(cls):
    a, b, c = cls(seed=1)((20, 30)), cls(seed=1)((20, 30)), cls(seed=2)((20, 30))
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)
    axon.utils.set_random_seed(4)
    d = cls()((20, 30))
    axon.utils.set_random_seed(4)
    np.testing.assert_array_equal(d, cls()((20, 30)))


def test_layer_weights_equal_the_initializer_values():
    for init in [initializers.HeNormal(seed=5), initializers.Orthogonal(gain=2.0, seed=6),
                 initializers.TruncatedNormal(stddev=0.3, seed=8)]:
        model = axon.Sequential([axon.Input((7,)), layers.Dense(4, kernel_initializer=init)])
        np.testing.assert_array_equal(model.layers[0].kernel.numpy(), init((7, 4)))


ALIASES = {
    "zeros": initializers.Zeros, "zero": initializers.Zeros, "ones": initializers.Ones, "one": initializers.Ones,
    "constant": initializers.Constant, "random_normal": initializers.RandomNormal, "normal": initializers.RandomNormal,
    "random_uniform": initializers.RandomUniform, "uniform": initializers.RandomUniform,
    "truncated_normal": initializers.TruncatedNormal, "variance_scaling": initializers.VarianceScaling,
    "glorot_normal": initializers.GlorotNormal, "glorot_uniform": initializers.GlorotUniform,
    "he_normal": initializers.HeNormal, "he_uniform": initializers.HeUniform,
    "lecun_normal": initializers.LecunNormal, "lecun_uniform": initializers.LecunUniform,
    "orthogonal": initializers.OrthogonalInitializer, "Orthogonal": initializers.OrthogonalInitializer,
    "identity": initializers.Identity, "HeNormal": initializers.HeNormal, "VarianceScaling": initializers.VarianceScaling,
}


@pytest.mark.parametrize("name", list(ALIASES))
def test_string_aliases(name):
    assert type(initializers.get(name)) is ALIASES[name]


@pytest.mark.parametrize("init", [
    initializers.Constant(3.0), initializers.Zeros(), initializers.Ones(),
    initializers.RandomNormal(0.1, 0.2, seed=3), initializers.RandomUniform(-1, 2, seed=4),
    initializers.TruncatedNormal(stddev=0.7, seed=5),
    initializers.VarianceScaling(0.5, "fan_out", "uniform", seed=6), initializers.GlorotNormal(seed=7),
    initializers.HeUniform(), initializers.LecunNormal(seed=8), initializers.OrthogonalInitializer(2.0, seed=9),
    initializers.Identity(gain=3.0),
], ids=lambda i: type(i).__name__)
def test_config_round_trip(init):
    config = init.get_config()
    again = type(init).from_config(config)
    assert again.get_config() == config
    rebuilt = initializers.deserialize(initializers.serialize(init))
    assert type(rebuilt) is type(init) and rebuilt.get_config() == config
    if getattr(init, "seed", None) is not None:
        np.testing.assert_array_equal(rebuilt((6, 6)), init((6, 6)))


def test_variance_scaling_config_and_dense_round_trip():
    init = initializers.VarianceScaling(scale=2.0, mode="fan_avg", distribution="untruncated_normal", seed=1)
    assert init.get_config() == {"scale": 2.0, "mode": "fan_avg", "distribution": "untruncated_normal", "seed": 1}
    assert initializers.HeNormal(seed=4).get_config() == {"seed": 4}
    dense = layers.Dense(3, kernel_initializer=init)
    again = layers.Dense.from_config(dense.get_config())
    assert again.kernel_initializer.get_config() == init.get_config()


@pytest.mark.parametrize("make,pattern", [
    (lambda: initializers.get("glorot"), "unknown initializer 'glorot'"),
    (lambda: initializers.deserialize({"class_name": "Glorot", "config": {}}), "unknown class 'Glorot'"),
    (lambda: initializers.VarianceScaling(scale=0), "scale must be a positive number"),
    (lambda: initializers.VarianceScaling(mode="fan"), "mode must be one of fan_in, fan_out, fan_avg"),
    (lambda: initializers.VarianceScaling(distribution="gamma"), "distribution must be one of"),
    (lambda: initializers.RandomNormal(stddev=-1), "stddev must be >= 0"),
    (lambda: initializers.TruncatedNormal(stddev=-1), "TruncatedNormal: stddev must be >= 0"),
    (lambda: initializers.HeNormal(seed=-3), "seed"),
])
def test_errors(make, pattern):
    with pytest.raises(ValueError, match=pattern):
        make()


# --- every initializer on a 1000 x 1000 draw: mean within 3 standard errors, std within 1%,
# bounds exact; Orthogonal W·Wᵀ = I; seeds reproduce and differ. -------------------------

BIG = (1000, 1000)


def _definition(init):
    """(mean, std, lower bound, upper bound) that `init`'s definition gives a 1000x1000 draw."""
    if isinstance(init, initializers.VarianceScaling):
        s = expected_scale(init.scale, init.mode, BIG)
        if init.distribution == "uniform":
            return 0.0, np.sqrt(s), -np.sqrt(3 * s), np.sqrt(3 * s)
        if init.distribution == "truncated_normal":
            return 0.0, np.sqrt(s), -2 * np.sqrt(s) / TRUNC, 2 * np.sqrt(s) / TRUNC
        return 0.0, np.sqrt(s), -np.inf, np.inf
    if isinstance(init, initializers.TruncatedNormal):
        return init.mean, init.stddev * TRUNC, init.mean - 2 * init.stddev, init.mean + 2 * init.stddev
    if isinstance(init, initializers.RandomNormal):
        return init.mean, init.stddev, -np.inf, np.inf
    if isinstance(init, initializers.RandomUniform):
        return ((init.minval + init.maxval) / 2, (init.maxval - init.minval) / np.sqrt(12), init.minval,
                init.maxval)
    raise AssertionError(init)


STATISTICAL = [
    initializers.RandomNormal(mean=0.3, stddev=0.7, seed=21),
    initializers.RandomUniform(minval=-0.4, maxval=1.1, seed=22),
    initializers.TruncatedNormal(mean=-0.2, stddev=0.5, seed=23),
    initializers.VarianceScaling(0.6, "fan_in", "truncated_normal", seed=24),
    initializers.VarianceScaling(1.7, "fan_out", "untruncated_normal", seed=25),
    initializers.VarianceScaling(2.5, "fan_avg", "uniform", seed=26),
] + [cls(seed=30 + i) for i, cls in enumerate(NAMED)]


@pytest.mark.parametrize("init", STATISTICAL, ids=lambda i: type(i).__name__ + str(i.seed))
def test_large_draw_matches_definition(init):
    mean, std, low, high = _definition(init)
    v = init(BIG).astype(np.float64)
    assert v.shape == BIG
    assert abs(v.mean() - mean) < 3 * std / np.sqrt(v.size)
    assert v.std() == pytest.approx(std, rel=0.01)
    # Bounds hold exactly (float32 rounding of the limit aside) and are nearly reached.
    tol = 1e-6 * max(abs(low), abs(high)) if np.isfinite(low) else 0.0
    assert v.min() >= low - tol and v.max() <= high + tol
    if np.isfinite(low):
        assert v.min() < low + 0.01 * (high - low) and v.max() > high - 0.01 * (high - low)
    else:
        assert v.min() < mean - 4 * std and v.max() > mean + 4 * std  # not truncated


@pytest.mark.parametrize("init,value", [(initializers.Zeros(), 0.0), (initializers.Ones(), 1.0),
                                        (initializers.Constant(-2.25), -2.25)], ids=lambda x: str(x))
def test_large_constant_draws(init, value):
    v = init(BIG)
    assert v.shape == BIG and np.all(v == value)


def test_large_identity():
    np.testing.assert_array_equal(initializers.Identity(gain=1.5)(BIG, dtype="float64"), 1.5 * np.eye(1000))


@pytest.mark.parametrize("gain", [1.0, 2.0])
def test_large_orthogonal(gain):
    w = initializers.Orthogonal(gain=gain, seed=41)(BIG, dtype="float64")
    assert w.shape == BIG
    assert np.abs(w @ w.T - gain**2 * np.eye(1000)).max() < 1e-4
    assert np.abs(w.T @ w - gain**2 * np.eye(1000)).max() < 1e-4


@pytest.mark.parametrize("cls", RANDOM, ids=lambda c: c.__name__)
def test_large_draw_seeds(cls):
    a, b, c = cls(seed=123)(BIG), cls(seed=123)(BIG), cls(seed=124)(BIG)
    np.testing.assert_array_equal(a, b)
    assert np.mean(a == c) < 0.01  # a different seed gives a different tensor, element by element
