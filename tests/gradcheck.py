"""Finite-difference gradient checks through the bindings (float64 models)."""

import numpy as np

import axon


def float64_model(layers, input_shape, loss="mean_squared_error", optimizer="sgd"):
    axon.config.set_floatx("float64")
    model = axon.Sequential([axon.Input(shape=input_shape)] + list(layers))
    model.compile(optimizer=optimizer, loss=loss)  # built (Input first), so the engine compiles now
    return model


def relative_error(a, b):
    a, b = np.ravel(a), np.ravel(b)
    scale = max(np.linalg.norm(a), np.linalg.norm(b), 1e-12)
    return np.linalg.norm(a - b) / scale


def numeric_gradients(model, x, y, h=1e-6):
    """Central differences of the training loss w.r.t. every parameter and the input."""
    core = model._core

    def loss():
        return core.loss_and_gradients(x, y)[0]

    param_grads = []
    for pid in range(sum(len(layer._param_ids) for layer in model.layers)):
        w = core.get_param(pid)
        g = np.zeros_like(w)
        flat, gflat = w.reshape(-1), g.reshape(-1)
        for i in range(flat.size):
            old = flat[i]
            flat[i] = old + h
            core.set_param(pid, w)
            up = loss()
            flat[i] = old - h
            core.set_param(pid, w)
            down = loss()
            flat[i] = old
            core.set_param(pid, w)
            gflat[i] = (up - down) / (2 * h)
        param_grads.append(g)
    dx = np.zeros_like(x)
    xf, dxf = x.reshape(-1), dx.reshape(-1)
    for i in range(xf.size):
        old = xf[i]
        xf[i] = old + h
        up = loss()
        xf[i] = old - h
        down = loss()
        xf[i] = old
        dxf[i] = (up - down) / (2 * h)
    return param_grads, dx


def assert_gradients_match(model, x, y, tol=1e-6):
    x = np.ascontiguousarray(x, dtype=np.float64)
    y = np.ascontiguousarray(y, dtype=np.float64)
    _, analytic, dx = model._core.loss_and_gradients(x, y)
    numeric, ndx = numeric_gradients(model, x, y)
    for i, (a, n) in enumerate(zip(analytic, numeric)):
        err = relative_error(a, n)
        assert err <= tol, f"parameter {i}: relative error {err:.2e} > {tol}"
    err = relative_error(dx, ndx)
    assert err <= tol, f"input gradient: relative error {err:.2e} > {tol}"


def torch_trajectory(torch, make, w, grads):
    """Parameter after each torch.optim step on the given fixed gradients (float64)."""
    p = torch.nn.Parameter(torch.tensor(w, dtype=torch.float64))
    opt = make([p])
    out = []
    for g in grads:
        p.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
        out.append(p.detach().numpy().copy())
    return np.array(out)


def assert_stack_gradients_match(rng, stack, shape, batch):
    """Finite differences for a float64 model of the layers stack() on normal (batch, *shape)
    inputs and output gradients."""
    model = float64_model(stack(), shape)
    x = rng.normal(size=(batch,) + shape)
    out = model.layers[-1].output_shape[1:]
    assert_gradients_match(model, x, rng.normal(size=(batch,) + out))


def at_thread_counts(compute, counts=(1, 2, 3)):
    """[compute() with the engine on n threads for n in counts], the thread count restored."""
    from axon import _core

    previous = 0 if _core.adaptive_threads() else _core.get_num_threads()  # 0: adaptive
    try:
        results = []
        for n in counts:
            _core.set_num_threads(n)
            results.append(compute())
        return results
    finally:
        _core.set_num_threads(previous)
