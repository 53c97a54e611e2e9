"""Shared helpers for the normalization tests: one layer in a model, its training/inference
outputs and gradients, and PyTorch references in Keras layouts."""

import numpy as np

import axon


def model_of(layer, sample_shape, loss="mse"):
    model = axon.Sequential([axon.Input(shape=sample_shape), layer])
    model.compile(optimizer="sgd", loss=loss)
    return model


def randomize(layer, rng):
    """Non-trivial gamma/beta (and moving statistics) so every term of the formulas shows."""
    weights = []
    for w in layer.weights:
        shape = w.shape
        if w.name == "moving_variance":
            weights.append(rng.uniform(0.5, 2.0, size=shape))
        elif w.name == "gamma":
            weights.append(rng.uniform(0.5, 1.5, size=shape))
        else:
            weights.append(rng.normal(size=shape))
    layer.set_weights([w.astype(layer.get_weights()[0].dtype) for w in weights])


def assert_close(actual, expected, what, rtol=1e-4):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    scale = max(np.abs(expected).max(), 1e-6)
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=rtol * scale, err_msg=what)


def torch_grads(torch, y, dy, *tensors):
    """d(sum(y * dy)) / d tensors, None where a tensor is None."""
    present = [t for t in tensors if t is not None]
    grads = iter(torch.autograd.grad(y, present, torch.tensor(dy)))
    return [None if t is None else next(grads).numpy() for t in tensors]
