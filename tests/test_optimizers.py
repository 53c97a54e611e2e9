"""Each optimizer: 50 steps on fixed gradients equal the Keras 3 update rules written out
here in float64, and equal torch.optim where the definitions agree."""

import numpy as np
import pytest

from axon import _core, optimizers
from gradcheck import torch_trajectory

STEPS = 50


@pytest.fixture
def problem(rng):
    return rng.normal(size=7), rng.normal(size=(STEPS, 7))


def keras_sgd(w, grads, lr=0.01, momentum=0.0, nesterov=False):
    m = np.zeros_like(w)
    out = []
    for g in grads:
        if momentum == 0:
            w = w - lr * g
        else:
            m = momentum * m - lr * g
            w = w + (momentum * m - lr * g if nesterov else m)
        out.append(w)
    return np.array(out)


def keras_adam(w, grads, lr=0.001, b1=0.9, b2=0.999, eps=1e-7, amsgrad=False):
    m, v, vhat = np.zeros_like(w), np.zeros_like(w), np.zeros_like(w)
    out = []
    for t, g in enumerate(grads, start=1):
        alpha = lr * np.sqrt(1 - b2**t) / (1 - b1**t)
        m = m + (g - m) * (1 - b1)
        v = v + (g * g - v) * (1 - b2)
        if amsgrad:
            vhat = np.maximum(vhat, v)
        w = w - m * alpha / (np.sqrt(vhat if amsgrad else v) + eps)
        out.append(w)
    return np.array(out)


def keras_rmsprop(w, grads, lr=0.001, rho=0.9, momentum=0.0, eps=1e-7, centered=False):
    v, mom, avg = np.zeros_like(w), np.zeros_like(w), np.zeros_like(w)
    out = []
    for g in grads:
        v = rho * v + (1 - rho) * g * g
        if centered:
            avg = rho * avg + (1 - rho) * g
            denominator = v - avg * avg + eps
        else:
            denominator = v + eps
        inc = lr * g / np.sqrt(denominator)
        if momentum > 0:
            mom = momentum * mom + inc
            w = w - mom
        else:
            w = w - inc
        out.append(w)
    return np.array(out)


def keras_adagrad(w, grads, lr=0.001, init=0.1, eps=1e-7):
    acc = np.full_like(w, init)
    out = []
    for g in grads:
        acc = acc + g * g
        w = w - lr * g / np.sqrt(acc + eps)
        out.append(w)
    return np.array(out)


def run(opt, w, grads):
    return _core.optimizer_trajectory(opt._core_name, opt._core_config(), w, grads)


CASES = [
    (optimizers.SGD(), lambda w, g: keras_sgd(w, g)),
    (optimizers.SGD(learning_rate=0.1, momentum=0.9), lambda w, g: keras_sgd(w, g, 0.1, 0.9)),
    (optimizers.SGD(learning_rate=0.1, momentum=0.9, nesterov=True), lambda w, g: keras_sgd(w, g, 0.1, 0.9, True)),
    (optimizers.Adam(), lambda w, g: keras_adam(w, g)),
    (optimizers.Adam(learning_rate=0.01, beta_1=0.8, amsgrad=True), lambda w, g: keras_adam(w, g, 0.01, 0.8, amsgrad=True)),
    (optimizers.RMSprop(), lambda w, g: keras_rmsprop(w, g)),
    (optimizers.RMSprop(momentum=0.5, centered=True), lambda w, g: keras_rmsprop(w, g, momentum=0.5, centered=True)),
    (optimizers.Adagrad(learning_rate=0.1), lambda w, g: keras_adagrad(w, g, 0.1)),
]


@pytest.mark.parametrize("opt,reference", CASES, ids=lambda c: type(c).__name__ if isinstance(c, optimizers.Optimizer) else "")
def test_matches_keras_formulas(problem, opt, reference):
    w, grads = problem
    np.testing.assert_allclose(run(opt, w, grads), reference(w, grads), rtol=1e-12, atol=1e-14)


def test_defaults_are_keras_defaults():
    assert optimizers.SGD().learning_rate == 0.01
    # Keras 3's get_config: the base optimizer's arguments, then the optimizer's own.
    assert optimizers.Adam().get_config() == {
        "name": "adam", "learning_rate": 0.001, "weight_decay": None, "clipnorm": None, "global_clipnorm": None,
        "clipvalue": None, "use_ema": False, "ema_momentum": 0.99, "ema_overwrite_frequency": None,
        "loss_scale_factor": None, "gradient_accumulation_steps": None,
        "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7, "amsgrad": False}
    assert optimizers.RMSprop().rho == 0.9
    assert optimizers.Adagrad().initial_accumulator_value == 0.1


# --- torch.optim, where the definitions agree -------------------------------------------
torch = pytest.importorskip("torch")




TORCH_CASES = [
    # SGD: Keras' m = mu m - lr g equals torch's buf = mu buf + g scaled by -lr (dampening 0).
    (optimizers.SGD(learning_rate=0.05), lambda ps: torch.optim.SGD(ps, lr=0.05), 1e-12),
    (optimizers.SGD(learning_rate=0.05, momentum=0.9), lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9), 1e-12),
    (optimizers.SGD(learning_rate=0.05, momentum=0.9, nesterov=True),
     lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, nesterov=True), 1e-12),
    # Adam: Keras adds epsilon to sqrt(v), torch to sqrt(v_hat); with epsilon -> 0 they agree.
    (optimizers.Adam(learning_rate=0.01, epsilon=1e-16), lambda ps: torch.optim.Adam(ps, lr=0.01, eps=1e-16), 1e-10),
    (optimizers.Adam(learning_rate=0.01, epsilon=1e-16, amsgrad=True),
     lambda ps: torch.optim.Adam(ps, lr=0.01, eps=1e-16, amsgrad=True), 1e-10),
    # RMSprop: Keras puts epsilon inside the square root, torch outside; rho is torch's alpha.
    (optimizers.RMSprop(learning_rate=0.01, epsilon=1e-16),
     lambda ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.9, eps=1e-16), 1e-7),
    (optimizers.RMSprop(learning_rate=0.01, momentum=0.5, centered=True, epsilon=1e-16),
     lambda ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.9, eps=1e-16, momentum=0.5, centered=True), 1e-7),
    # Adagrad: same accumulator start; epsilon placement differs as for RMSprop.
    (optimizers.Adagrad(learning_rate=0.1, epsilon=1e-16),
     lambda ps: torch.optim.Adagrad(ps, lr=0.1, initial_accumulator_value=0.1, eps=1e-16), 1e-7),
]


@pytest.mark.parametrize("opt,make,tol", TORCH_CASES)
def test_matches_torch(problem, opt, make, tol):
    w, grads = problem
    np.testing.assert_allclose(run(opt, w, grads), torch_trajectory(torch, make, w, grads), rtol=tol, atol=tol)


def test_learning_rate_is_shared_with_the_engine(rng):
    import axon

    model = axon.Sequential([axon.Input((2,)), axon.layers.Dense(1)])
    opt = optimizers.SGD(learning_rate=0.1)
    model.compile(optimizer=opt, loss="mse")
    model.fit(rng.normal(size=(8, 2)), rng.normal(size=(8, 1)), verbose=0)
    assert opt.iterations == 1
    opt.learning_rate = 0.0
    before = model.get_weights()
    model.fit(rng.normal(size=(8, 2)), rng.normal(size=(8, 1)), verbose=0)
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)
