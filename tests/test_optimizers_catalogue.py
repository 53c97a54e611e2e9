"""The optimizer catalogue against Keras 3's update rules written out in float64 NumPy
(keras/src/optimizers/*.py update_step, base_optimizer.py for clipping and weight decay),
the schedules against learning_rate_schedule.py, and torch.optim where definitions agree."""

import copy
import math

import numpy as np
import pytest

import axon
from axon import _core, optimizers
from axon.optimizers import schedules
from gradcheck import torch_trajectory

STEPS = 50
SIZES = (7, 3)  # two parameter tensors: per-variable and global norms differ


@pytest.fixture
def problem(rng):
    ws = [rng.normal(size=n) for n in SIZES]
    grads = [rng.normal(size=(STEPS, n)) for n in SIZES]
    return ws, grads


def run(opt, ws, grads, decay_mask=()):
    return _core.optimizer_trajectory(opt._core_name, opt._core_config(), ws, grads, opt._schedule_spec(),
                                      list(decay_mask))


# --- Keras 3 rules in NumPy: init(w) -> state; step(w, g, state, lr, it) -> new w ---------
class Rule:
    def begin(self, it):  # once per step, before any variable (Nadam's u_product)
        pass


class SGDRule(Rule):
    def __init__(self, momentum=0.0, nesterov=False):
        self.mu, self.nesterov = momentum, nesterov

    def init(self, w):
        return {"m": np.zeros_like(w)}

    def step(self, w, g, s, lr, it):
        if self.mu == 0:
            return w - g * lr
        s["m"] = s["m"] * self.mu - g * lr
        return w + (s["m"] * self.mu - g * lr if self.nesterov else s["m"])


class AdamRule(Rule):
    def __init__(self, b1=0.9, b2=0.999, eps=1e-7, amsgrad=False):
        self.b1, self.b2, self.eps, self.amsgrad = b1, b2, eps, amsgrad

    def init(self, w):
        return {"m": np.zeros_like(w), "v": np.zeros_like(w), "vhat": np.zeros_like(w)}

    def step(self, w, g, s, lr, it):
        t = it + 1
        alpha = lr * np.sqrt(1 - self.b2**t) / (1 - self.b1**t)
        s["m"] = s["m"] + (g - s["m"]) * (1 - self.b1)
        s["v"] = s["v"] + (g * g - s["v"]) * (1 - self.b2)
        v = s["v"]
        if self.amsgrad:
            s["vhat"] = v = np.maximum(s["vhat"], s["v"])
        return w - s["m"] * alpha / (np.sqrt(v) + self.eps)


class AdamaxRule(Rule):
    def __init__(self, b1=0.9, b2=0.999, eps=1e-7):
        self.b1, self.b2, self.eps = b1, b2, eps

    def init(self, w):
        return {"m": np.zeros_like(w), "u": np.zeros_like(w)}

    def step(self, w, g, s, lr, it):
        s["m"] = s["m"] + (g - s["m"]) * (1 - self.b1)
        s["u"] = np.maximum(self.b2 * s["u"], np.abs(g))
        return w - lr * s["m"] / ((1 - self.b1 ** (it + 1)) * (s["u"] + self.eps))


class NadamRule(Rule):
    def __init__(self, b1=0.9, b2=0.999, eps=1e-7):
        self.b1, self.b2, self.eps, self.u_product = b1, b2, eps, 1.0

    def begin(self, it):
        self.u_product *= self.b1 * (1 - 0.5 * 0.96 ** (it + 1))

    def init(self, w):
        return {"m": np.zeros_like(w), "v": np.zeros_like(w)}

    def step(self, w, g, s, lr, it):
        u_t = self.b1 * (1 - 0.5 * 0.96 ** (it + 1))
        u_t_1 = self.b1 * (1 - 0.5 * 0.96 ** (it + 2))
        u_product_t_1 = self.u_product * u_t_1
        s["m"] = s["m"] + (g - s["m"]) * (1 - self.b1)
        s["v"] = s["v"] + (g * g - s["v"]) * (1 - self.b2)
        m_hat = u_t_1 * s["m"] / (1 - u_product_t_1) + (1 - u_t) * g / (1 - self.u_product)
        v_hat = s["v"] / (1 - self.b2 ** (it + 1))
        return w - m_hat * lr / (np.sqrt(v_hat) + self.eps)


class RMSpropRule(Rule):
    def __init__(self, rho=0.9, momentum=0.0, eps=1e-7, centered=False):
        self.rho, self.mu, self.eps, self.centered = rho, momentum, eps, centered

    def init(self, w):
        return {"v": np.zeros_like(w), "m": np.zeros_like(w), "a": np.zeros_like(w)}

    def step(self, w, g, s, lr, it):
        s["v"] = self.rho * s["v"] + (1 - self.rho) * g * g
        den = s["v"] + self.eps
        if self.centered:
            s["a"] = self.rho * s["a"] + (1 - self.rho) * g
            den = s["v"] - s["a"] ** 2 + self.eps
        inc = lr * g / np.sqrt(den)
        if self.mu > 0:
            s["m"] = self.mu * s["m"] + inc
            return w - s["m"]
        return w - inc


class AdagradRule(Rule):
    def __init__(self, init=0.1, eps=1e-7):
        self.init_value, self.eps = init, eps

    def init(self, w):
        return {"acc": np.full_like(w, self.init_value)}

    def step(self, w, g, s, lr, it):
        s["acc"] = s["acc"] + g * g
        return w - lr * g / np.sqrt(s["acc"] + self.eps)


class AdadeltaRule(Rule):
    def __init__(self, rho=0.95, eps=1e-7):
        self.rho, self.eps = rho, eps

    def init(self, w):
        return {"ag": np.zeros_like(w), "ad": np.zeros_like(w)}

    def step(self, w, g, s, lr, it):
        s["ag"] = self.rho * s["ag"] + (1 - self.rho) * g * g
        delta = -np.sqrt(s["ad"] + self.eps) * g / np.sqrt(s["ag"] + self.eps)
        s["ad"] = self.rho * s["ad"] + (1 - self.rho) * delta * delta
        return w + lr * delta


class LionRule(Rule):
    def __init__(self, b1=0.9, b2=0.99):
        self.b1, self.b2 = b1, b2

    def init(self, w):
        return {"m": np.zeros_like(w)}

    def step(self, w, g, s, lr, it):
        w = w - lr * np.sign(s["m"] * self.b1 + g * (1 - self.b1))
        s["m"] = s["m"] * self.b2 + g * (1 - self.b2)
        return w


class FtrlRule(Rule):
    def __init__(self, power=-0.5, init=0.1, l1=0.0, l2=0.0, shrink=0.0, beta=0.0):
        self.power, self.init_value, self.l1, self.l2, self.shrink, self.beta = power, init, l1, l2, shrink, beta

    def init(self, w):
        return {"n": np.full_like(w, self.init_value), "z": np.zeros_like(w)}

    def step(self, w, g, s, lr, it):
        l2 = self.l2 + self.beta / (2.0 * lr)
        g_shrunk = g + 2 * self.shrink * w
        new_n = s["n"] + g * g
        s["z"] = s["z"] + g_shrunk - (new_n ** -self.power - s["n"] ** -self.power) / lr * w
        quadratic = new_n ** -self.power / lr + 2 * l2
        w = (np.clip(s["z"], -self.l1, self.l1) - s["z"]) / quadratic
        s["n"] = new_n
        return w


def keras_trajectory(rule, ws, grads, lr, weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                     decay_mask=None):
    """base_optimizer.apply: clip gradients, decay weights, then update_step per variable."""
    lr_at = lr if callable(lr) else (lambda step: lr)
    rule = copy.deepcopy(rule)  # rules are shared between parametrized cases; Nadam keeps state
    states = [rule.init(w) for w in ws]
    ws = [w.copy() for w in ws]
    out = [[] for _ in ws]
    for it in range(STEPS):
        gs = [g[it] for g in grads]
        rate = lr_at(it)
        if clipnorm:
            gs = [g * clipnorm / max(np.sqrt(np.sum(g * g)), clipnorm) for g in gs]
        elif global_clipnorm:
            norm = np.sqrt(sum(np.sum(g * g) for g in gs))
            gs = [g * (global_clipnorm * min(1 / norm, 1 / global_clipnorm)) for g in gs]
        elif clipvalue:
            gs = [np.clip(g, -clipvalue, clipvalue) for g in gs]
        if weight_decay is not None:
            ws = [w - w * weight_decay * rate if decay_mask is None or decay_mask[i] else w for i, w in enumerate(ws)]
        rule.begin(it)
        ws = [rule.step(w, g, s, rate, it) for w, g, s in zip(ws, gs, states)]
        for o, w in zip(out, ws):
            o.append(w)
    return [np.array(o) for o in out]


CASES = [
    ("SGD", optimizers.SGD(), SGDRule(), 0.01),
    ("SGD-nesterov", optimizers.SGD(0.1, momentum=0.9, nesterov=True), SGDRule(0.9, True), 0.1),
    ("RMSprop-centered", optimizers.RMSprop(momentum=0.5, centered=True), RMSpropRule(0.9, 0.5, 1e-7, True), 1e-3),
    ("Adagrad", optimizers.Adagrad(0.1), AdagradRule(), 0.1),
    ("Adadelta", optimizers.Adadelta(), AdadeltaRule(), 1e-3),
    ("Adadelta-lr1", optimizers.Adadelta(1.0, rho=0.9, epsilon=1e-6), AdadeltaRule(0.9, 1e-6), 1.0),
    ("Adam-amsgrad", optimizers.Adam(0.01, beta_1=0.8, amsgrad=True), AdamRule(0.8, amsgrad=True), 0.01),
    ("Adamax", optimizers.Adamax(), AdamaxRule(), 1e-3),
    ("Adamax-args", optimizers.Adamax(0.02, beta_1=0.8, beta_2=0.99, epsilon=1e-5), AdamaxRule(0.8, 0.99, 1e-5),
     0.02),
    ("Nadam", optimizers.Nadam(), NadamRule(), 1e-3),
    ("Nadam-args", optimizers.Nadam(0.01, beta_1=0.8, beta_2=0.99), NadamRule(0.8, 0.99), 0.01),
    ("Lion", optimizers.Lion(), LionRule(), 1e-3),
    ("Lion-args", optimizers.Lion(0.01, beta_1=0.5, beta_2=0.9), LionRule(0.5, 0.9), 0.01),
    ("Ftrl", optimizers.Ftrl(), FtrlRule(), 1e-3),
    ("Ftrl-all", optimizers.Ftrl(0.1, learning_rate_power=-0.3, initial_accumulator_value=0.2,
                                 l1_regularization_strength=0.01, l2_regularization_strength=0.02,
                                 l2_shrinkage_regularization_strength=0.03, beta=0.1),
     FtrlRule(-0.3, 0.2, 0.01, 0.02, 0.03, 0.1), 0.1),
]


@pytest.mark.parametrize("name,opt,rule,lr", CASES, ids=[c[0] for c in CASES])
def test_rule_matches_keras(problem, name, opt, rule, lr):
    ws, grads = problem
    for got, want in zip(run(opt, ws, grads), keras_trajectory(rule, ws, grads, lr)):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


def test_adamw_is_adam_with_decoupled_decay(problem):
    ws, grads = problem
    opt = optimizers.AdamW(0.01)
    assert opt.weight_decay == 0.004
    for got, want in zip(run(opt, ws, grads), keras_trajectory(AdamRule(), ws, grads, 0.01, weight_decay=0.004)):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


GRADIENT_OPTIONS = [
    dict(weight_decay=0.1),
    dict(clipnorm=0.5),
    dict(global_clipnorm=0.8),
    dict(clipvalue=0.3),
    dict(weight_decay=0.05, clipnorm=1.0),
]


@pytest.mark.parametrize("options", GRADIENT_OPTIONS, ids=lambda o: ",".join(o))
@pytest.mark.parametrize("make,rule,lr", [
    (lambda **kw: optimizers.SGD(0.1, momentum=0.9, **kw), SGDRule(0.9), 0.1),
    (lambda **kw: optimizers.Adam(0.01, **kw), AdamRule(), 0.01),
    (lambda **kw: optimizers.Lion(0.01, **kw), LionRule(), 0.01),
    (lambda **kw: optimizers.Nadam(0.01, **kw), NadamRule(), 0.01),
], ids=["SGD", "Adam", "Lion", "Nadam"])
def test_clipping_and_weight_decay_match_keras(problem, options, make, rule, lr):
    ws, grads = problem
    for got, want in zip(run(make(**options), ws, grads), keras_trajectory(rule, ws, grads, lr, **options)):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


def test_one_step_hand_formulas():
    w = [np.array([1.0, -2.0]), np.array([3.0])]
    g = [np.array([[3.0, 4.0]]), np.array([[-0.5]])]  # norms 5 and 0.5; global norm sqrt(25.25)
    lr = 0.1

    def step(**kw):
        return [a[0] for a in run(optimizers.SGD(lr, **kw), w, g)]

    got = step(clipnorm=1.0)  # each tensor on its own: only the first is clipped
    np.testing.assert_allclose(got[0], w[0] - lr * np.array([0.6, 0.8]), rtol=1e-14)
    np.testing.assert_allclose(got[1], w[1] - lr * np.array([-0.5]), rtol=1e-14)
    got = step(global_clipnorm=1.0)
    scale = 1.0 / math.sqrt(25.25)
    np.testing.assert_allclose(got[0], w[0] - lr * scale * g[0][0], rtol=1e-14)
    np.testing.assert_allclose(got[1], w[1] - lr * scale * g[1][0], rtol=1e-14)
    got = step(clipvalue=1.0)
    np.testing.assert_allclose(got[0], w[0] - lr * np.array([1.0, 1.0]), rtol=1e-14)
    np.testing.assert_allclose(got[1], w[1] - lr * np.array([-0.5]), rtol=1e-14)
    got = step(weight_decay=0.5)  # w - w * wd * lr, then the update
    np.testing.assert_allclose(got[0], w[0] * (1 - 0.05) - lr * g[0][0], rtol=1e-14)
    got = _core.optimizer_trajectory("sgd", {"learning_rate": lr, "weight_decay": 0.5}, w, g, None, [True, False])
    np.testing.assert_allclose(got[1][0], w[1] - lr * g[1][0], rtol=1e-14)  # excluded: no decay


# --- torch.optim, where the definitions agree -------------------------------------------


def test_matches_torch(problem):
    torch = pytest.importorskip("torch")
    w, grads = problem[0][0], problem[1][0]
    cases = [
        # Adadelta: same recurrences, epsilon inside both square roots in both.
        (optimizers.Adadelta(1.0, rho=0.9, epsilon=1e-6),
         lambda ps: torch.optim.Adadelta(ps, lr=1.0, rho=0.9, eps=1e-6), 1e-12),
        # Adamax: torch adds epsilon to |g| inside the max, Keras to u after it; equal as eps -> 0.
        (optimizers.Adamax(0.01, epsilon=1e-16), lambda ps: torch.optim.Adamax(ps, lr=0.01, eps=1e-16), 1e-10),
        # AdamW: both decay w -= lr * wd * w before the Adam step; epsilon placement as for Adam.
        (optimizers.AdamW(0.01, weight_decay=0.1, epsilon=1e-16),
         lambda ps: torch.optim.AdamW(ps, lr=0.01, weight_decay=0.1, eps=1e-16), 1e-10),
    ]
    # Not compared: torch's NAdam uses a different momentum cache (0.96^(0.004 t)), torch's
    # SGD/Adam weight_decay is an L2 gradient term, and torch has no Lion or Ftrl.
    for opt, make, tol in cases:
        got = _core.optimizer_trajectory(opt._core_name, opt._core_config(), w, grads)
        np.testing.assert_allclose(got, torch_trajectory(torch, make, w, grads), rtol=tol, atol=tol)


# --- schedules ---------------------------------------------------------------------------
def keras_cosine_restarts(step, lr0, first, t_mul, m_mul, alpha):
    frac = step / first
    if t_mul == 1.0:
        i = math.floor(frac)
        frac -= i
    else:
        i = math.floor(math.log(1 - frac * (1 - t_mul)) / math.log(t_mul))
        sum_r = (1 - t_mul**i) / (1 - t_mul)
        frac = (frac - sum_r) / t_mul**i
    return lr0 * ((1 - alpha) * 0.5 * m_mul**i * (1 + math.cos(math.pi * frac)) + alpha)


def keras_cosine(step, lr0, decay_steps, alpha=0.0, warmup_target=None, warmup_steps=0):
    def decay(t, peak):
        return peak * ((1 - alpha) * 0.5 * (1 + math.cos(math.pi * t / decay_steps)) + alpha)
    if warmup_target is None:
        return decay(min(step, decay_steps), lr0)
    step = min(step, decay_steps + warmup_steps)
    if step < warmup_steps:
        return (warmup_target - lr0) * (step / warmup_steps) + lr0
    return decay(step - warmup_steps, warmup_target)


def keras_polynomial(step, lr0, decay_steps, end=1e-4, power=1.0, cycle=False):
    if cycle:
        decay_steps = decay_steps * (1.0 if step == 0 else math.ceil(step / decay_steps))
    else:
        step = min(step, decay_steps)
    return (lr0 - end) * (1 - step / decay_steps) ** power + end


SCHEDULES = [
    (schedules.ExponentialDecay(0.1, 10, 0.5), lambda s: 0.1 * 0.5 ** (s / 10)),
    (schedules.ExponentialDecay(0.1, 10, 0.5, staircase=True), lambda s: 0.1 * 0.5 ** math.floor(s / 10)),
    (schedules.InverseTimeDecay(0.1, 5, 0.5), lambda s: 0.1 / (1 + 0.5 * s / 5)),
    (schedules.InverseTimeDecay(0.1, 5, 0.5, staircase=True), lambda s: 0.1 / (1 + 0.5 * math.floor(s / 5))),
    (schedules.PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1]),
     lambda s: 1.0 if s <= 10 else 0.5 if s <= 20 else 0.1),
    (schedules.PolynomialDecay(0.1, 30), lambda s: keras_polynomial(s, 0.1, 30)),
    (schedules.PolynomialDecay(0.1, 30, 0.01, power=0.5, cycle=True),
     lambda s: keras_polynomial(s, 0.1, 30, 0.01, 0.5, True)),
    (schedules.CosineDecay(0.1, 40), lambda s: keras_cosine(s, 0.1, 40)),
    (schedules.CosineDecay(0.0, 40, alpha=0.1, warmup_target=0.2, warmup_steps=10),
     lambda s: keras_cosine(s, 0.0, 40, 0.1, 0.2, 10)),
    (schedules.CosineDecayRestarts(0.1, 10), lambda s: keras_cosine_restarts(s, 0.1, 10, 2.0, 1.0, 0.0)),
    (schedules.CosineDecayRestarts(0.1, 10, t_mul=1.0, m_mul=0.5, alpha=0.1),
     lambda s: keras_cosine_restarts(s, 0.1, 10, 1.0, 0.5, 0.1)),
]


@pytest.mark.parametrize("schedule,formula", SCHEDULES, ids=[f"{type(s).__name__}{i}" for i, (s, _) in
                                                            enumerate(SCHEDULES)])
def test_schedule_values_match_keras(schedule, formula):
    for step in [0, 1, 3, 5, 9, 10, 11, 19, 20, 21, 29, 30, 31, 45, 49, 50, 75, 200]:
        assert schedule(step) == pytest.approx(formula(step), rel=1e-12, abs=1e-15), step
    restored = type(schedule).from_config(schedule.get_config())
    assert restored.get_config() == schedule.get_config()
    assert schedules.deserialize(schedules.serialize(schedule)).get_config() == schedule.get_config()


def test_schedule_drives_the_update_rule(problem):
    ws, grads = problem
    sched = schedules.CosineDecay(0.1, 20, warmup_target=0.3, warmup_steps=5)
    opt = optimizers.SGD(sched, momentum=0.5)
    want = keras_trajectory(SGDRule(0.5), ws, grads, lambda s: keras_cosine(s, 0.1, 20, 0.0, 0.3, 5))
    for got, expected in zip(run(opt, ws, grads), want):
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14)


def _model(rng, optimizer):
    model = axon.Sequential([axon.Input((3,)), axon.layers.Dense(2)])
    model.compile(optimizer=optimizer, loss="mse")
    return model, rng.normal(size=(40, 3)), rng.normal(size=(40, 2))


def test_schedule_in_fit_reads_current_learning_rate(rng):
    sched = schedules.ExponentialDecay(0.05, decay_steps=3, decay_rate=0.7)
    opt = optimizers.SGD(sched)
    assert opt.learning_rate == pytest.approx(0.05)
    model, x, y = _model(rng, opt)
    model.fit(x, y, batch_size=8, epochs=3, verbose=0)
    assert opt.iterations == 15
    assert opt.learning_rate == pytest.approx(0.05 * 0.7 ** (15 / 3), rel=1e-6)
    assert opt.learning_rate == pytest.approx(sched(15), rel=1e-12)
    with pytest.raises(TypeError, match="not settable"):
        opt.learning_rate = 0.1
    config = opt.get_config()
    assert config["learning_rate"]["class_name"] == "ExponentialDecay"
    restored = optimizers.SGD.from_config(config)
    assert restored.get_config() == config


def test_setting_learning_rate_between_epochs(rng):
    opt = optimizers.Adam(0.01)
    model, x, y = _model(rng, opt)
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    opt.learning_rate = 0.002
    assert opt.learning_rate == pytest.approx(0.002)
    assert opt.get_config()["learning_rate"] == pytest.approx(0.002)
    # A schedule may replace a float (Keras allows it), counted from the current iteration.
    opt.learning_rate = schedules.PiecewiseConstantDecay([7], [1.0, 0.0])
    assert opt.iterations == 5 and opt.learning_rate == 1.0  # step 5 <= boundary 7
    before = model.get_weights()
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)  # steps 5..9 at lr 1, 1, 1, 0, 0
    assert opt.iterations == 10 and opt.learning_rate == 0.0
    assert not np.allclose(before[0], model.get_weights()[0])
    before = model.get_weights()
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)  # lr 0 from here on: nothing moves
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_exclude_from_weight_decay_in_fit(rng):
    weights = None
    results = {}
    for exclude in (False, True):
        axon.backend.clear_session()
        opt = optimizers.SGD(0.1, weight_decay=0.5)
        if exclude:
            opt.exclude_from_weight_decay(var_names=["bias"])
        model, x, y = _model(np.random.default_rng(0), opt)
        if weights is None:
            weights = [w + 1.0 for w in model.get_weights()]  # non-zero bias
        model.set_weights(weights)
        model.train_on_batch(x, y)
        results[exclude] = model.get_weights()
    # Gradients are computed before the decay, so the runs differ by the bias decay only.
    np.testing.assert_allclose(results[False][0], results[True][0], rtol=1e-6)
    np.testing.assert_allclose(results[True][1] - results[False][1], weights[1] * 0.5 * 0.1, rtol=1e-5)


ALL = [
    optimizers.SGD(0.02, momentum=0.3, nesterov=True, clipnorm=1.0),
    optimizers.RMSprop(0.01, rho=0.8, momentum=0.1, epsilon=1e-6, centered=True, weight_decay=0.01),
    optimizers.Adagrad(0.01, initial_accumulator_value=0.2, epsilon=1e-6, global_clipnorm=2.0),
    optimizers.Adadelta(1.0, rho=0.9, epsilon=1e-6, clipvalue=0.5),
    optimizers.Adam(0.01, beta_1=0.8, beta_2=0.99, epsilon=1e-6, amsgrad=True),
    optimizers.AdamW(0.01, weight_decay=0.1, amsgrad=True),
    optimizers.Adamax(0.01, beta_1=0.8),
    optimizers.Nadam(0.01, beta_2=0.99),
    optimizers.Lion(1e-4, beta_1=0.8, beta_2=0.9, weight_decay=0.01),
    optimizers.Ftrl(0.01, learning_rate_power=-0.4, l1_regularization_strength=0.1, beta=0.2),
    optimizers.Adam(schedules.CosineDecay(0.1, 100, warmup_target=0.2, warmup_steps=10)),
]


@pytest.mark.parametrize("opt", ALL, ids=lambda o: o.name)
def test_config_round_trip(opt):
    config = opt.get_config()
    restored = type(opt).from_config(config)
    assert type(restored) is type(opt) and restored.get_config() == config
    again = optimizers.deserialize(optimizers.serialize(opt))
    assert again.get_config() == config
    assert type(optimizers.get(type(opt).__name__.lower())) is type(opt)


def test_keras_defaults():
    assert optimizers.AdamW().weight_decay == 0.004
    lion = optimizers.Lion().get_config()
    assert (lion["learning_rate"], lion["beta_1"], lion["beta_2"]) == (0.001, 0.9, 0.99)
    ftrl = optimizers.Ftrl().get_config()
    assert (ftrl["learning_rate_power"], ftrl["initial_accumulator_value"], ftrl["beta"]) == (-0.5, 0.1, 0.0)
    assert optimizers.Adadelta().get_config()["rho"] == 0.95
    assert [optimizers.get(n).name for n in ("SGD", "adamw", "Nadam", "ftrl")] == ["SGD", "adamw", "nadam", "ftrl"]


BAD = [
    (lambda: optimizers.SGD(clipnorm=1.0, clipvalue=1.0), "Only one of `clipnorm`, `clipvalue`"),
    (lambda: optimizers.Adam(clipnorm=1.0, global_clipnorm=1.0), "Only one of"),
    (lambda: optimizers.Adam(clipnorm=-1.0), "clipnorm must be >= 0"),
    (lambda: optimizers.Adam(clipvalue="a"), "clipvalue must be a number"),
    (lambda: optimizers.Adam(weight_decay=-0.1), "weight_decay must be >= 0"),
    (lambda: optimizers.AdamW(weight_decay=None), "weight_decay"),
    (lambda: optimizers.Adam(learning_rate="fast"), "learning_rate must be a number"),
    (lambda: optimizers.Adam(beta_1=None), "beta_1 must be a number"),
    (lambda: optimizers.Lion(beta_1=0.0), "beta_1"),
    (lambda: optimizers.Ftrl(learning_rate_power=0.5), "learning_rate_power"),
    (lambda: optimizers.Ftrl(l1_regularization_strength=-1), "l1_regularization_strength"),
    (lambda: optimizers.Ftrl(initial_accumulator_value=-1), "initial_accumulator_value"),
    (lambda: optimizers.Adadelta(rho=-0.1), "rho must be >= 0"),
    (lambda: optimizers.Nadam(use_ema=True), "use_ema"),
    (lambda: optimizers.Adam(foo=1), "not recognized"),
    (lambda: schedules.ExponentialDecay(0.1, 0, 0.5), "decay_steps"),
    (lambda: schedules.CosineDecay(0.1, -1), "decay_steps"),
    (lambda: schedules.CosineDecayRestarts(0.1, 0), "first_decay_steps"),
    (lambda: schedules.PolynomialDecay(0.1, 0), "decay_steps"),
    (lambda: schedules.PiecewiseConstantDecay([1, 2], [0.1]), "boundaries"),
    (lambda: optimizers.get("adamm"), "unknown optimizer 'adamm'"),
    (lambda: _core.optimizer_trajectory("sgd", {"clipnorm": 1.0, "clipvalue": 1.0}, np.ones(2), np.ones((1, 2))),
     "Only one of"),
    (lambda: _core.optimizer_trajectory("ftrl", {"beta_x": 1.0}, np.ones(2), np.ones((1, 2))), "beta_x"),
]


@pytest.mark.parametrize("make,pattern", BAD)
def test_bad_arguments_raise_value_error(make, pattern):
    with pytest.raises(ValueError, match=pattern):
        make()


@pytest.mark.parametrize("options", [dict(clipnorm=0.01), dict(global_clipnorm=0.01), dict(clipvalue=0.001)],
                         ids=lambda o: next(iter(o)))
def test_clipping_in_a_model_is_per_weight(rng, options):
    """Kernel and bias are separate variables in the arena (padded, merged into one range):
    clipnorm sees each on its own, global_clipnorm both together."""
    axon.config.set_floatx("float64")
    model, x, y = _model(rng, optimizers.SGD(0.1, **options))
    before = model.get_weights()
    _, grads, _ = model._core.loss_and_gradients(x.astype(np.float64), y.astype(np.float64))
    model.fit(x, y, batch_size=40, epochs=1, shuffle=False, verbose=0)
    if "clipnorm" in options:
        c = options["clipnorm"]
        grads = [g * c / max(np.linalg.norm(g), c) for g in grads]
    elif "global_clipnorm" in options:
        c = options["global_clipnorm"]
        norm = math.sqrt(sum(np.sum(g * g) for g in grads))
        grads = [g * c * min(1 / norm, 1 / c) for g in grads]
    else:
        grads = [np.clip(g, -options["clipvalue"], options["clipvalue"]) for g in grads]
    for w0, g, w1 in zip(before, grads, model.get_weights()):
        np.testing.assert_allclose(w1, w0 - 0.1 * g, rtol=1e-12, atol=1e-15)
