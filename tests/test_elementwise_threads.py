"""Element-wise work on big batches (bias add, activation forward and backward over more than
32,768 values) is split among the engine's threads in contiguous ranges. Checked against
NumPy in float64, with ranges that do not fall on row boundaries, and for bit-identical
results on 1, 2 and 3 threads."""
import numpy as np
import pytest

from gradcheck import at_thread_counts

# 1001 x 144 = 144,144 values: above the split threshold, and 2 or 3 equal ranges end
# mid-row. elu's derivative reads the pre-activation, sigmoid's the output: both kinds of
# backward range.
BATCH, INPUTS, UNITS = 1001, 24, 144
ACTIVATIONS = {
    "relu": (lambda z: np.maximum(z, 0), lambda z: (z > 0).astype(np.float64)),
    "elu": (lambda z: np.where(z > 0, z, np.expm1(z)), lambda z: np.where(z > 0, 1.0, np.exp(z))),
    "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2),
}


def dense(activation):
    import axon

    model = axon.Sequential([axon.Input(shape=(INPUTS,)),
                             axon.layers.Dense(UNITS, activation=activation, bias_initializer="random_normal")])
    model.compile(optimizer="sgd", loss="mse")
    return model


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_split_activations_match_numpy(rng, activation):
    import axon

    axon.config.set_floatx("float64")  # conftest restores float32
    model = dense(activation)
    x = rng.normal(size=(BATCH, INPUTS))
    dy = rng.normal(size=(BATCH, UNITS))
    w, b = model.get_weights()
    z = x @ w + b
    f, df = ACTIVATIONS[activation]
    grads, dx = model._core.gradients_from_output(x, dy)
    dz = dy * df(z)
    np.testing.assert_allclose(model.predict(x, batch_size=BATCH, verbose=0), f(z), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(grads[1], dz.sum(axis=0), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(dx, dz @ w.T, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_split_activations_do_not_depend_on_the_thread_count(rng, activation):
    model = dense(activation)
    x = rng.normal(size=(BATCH, INPUTS)).astype(np.float32)
    dy = rng.normal(size=(BATCH, UNITS)).astype(np.float32)

    # The output (x W on the packed kernel, then bias and activation) and the bias gradient
    # (every dz value, summed in row order); the kernel and input gradients of this shape go
    # to OpenBLAS, whose sums may follow the thread count.
    def compute():
        grads, _ = model._core.gradients_from_output(x, dy)
        return [model.predict(x, batch_size=BATCH, verbose=0), grads[1]]

    results = at_thread_counts(compute)
    for other in results[1:]:
        for a, b in zip(results[0], other):
            np.testing.assert_array_equal(a, b)
