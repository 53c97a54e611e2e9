"""Dense products with 256+ rows of C run on the packed tile kernel (kernels::gemm_packed):
x W at batch >= 256 and x^T dz for 256+ inputs. Checked against NumPy in float64 and for
independence from the thread count."""
import numpy as np
import pytest

from gradcheck import at_thread_counts

# (batch, inputs, units): 262 rows end in a 4-row tile (300 in whole 6-row ones); 80 float32
# units are a 4-vector and a 1-vector column block, 48 units three vectors; 700 inputs span
# eleven k panels of 64 rows; 40 x 300 sends only x^T dz to the kernel, 1030 x 64 only x W.
SHAPES = [(300, 262, 80), (262, 700, 48), (1030, 64, 16), (40, 300, 32)]


@pytest.mark.parametrize("batch,inputs,units", SHAPES)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_packed_products_match_numpy(rng, batch, inputs, units, dtype):
    import axon

    axon.config.set_floatx(dtype)  # conftest restores float32
    model = axon.Sequential([axon.Input(shape=(inputs,)), axon.layers.Dense(units, activation="tanh")])
    model.compile(optimizer="sgd", loss="mse")
    x = rng.normal(size=(batch, inputs)).astype(dtype)
    dy = rng.normal(size=(batch, units)).astype(dtype)
    w, b = [np.asarray(v, dtype=np.float64) for v in model.get_weights()]
    grads, dx = model._core.gradients_from_output(x, dy)

    x64 = x.astype(np.float64)
    z = x64 @ w + b
    dz = dy.astype(np.float64) * (1 - np.tanh(z) ** 2)
    tol = 1e-4 if dtype == "float32" else 1e-11
    np.testing.assert_allclose(model.predict(x, verbose=0), np.tanh(z), rtol=tol, atol=tol)
    np.testing.assert_allclose(grads[0], x64.T @ dz, rtol=tol, atol=tol * np.abs(x64.T @ dz).max())
    np.testing.assert_allclose(grads[1], dz.sum(axis=0), rtol=tol, atol=tol * batch)
    np.testing.assert_allclose(dx, dz @ w.T, rtol=tol, atol=tol * np.abs(dz @ w.T).max())


def test_dense_results_do_not_depend_on_the_thread_count(rng):
    """Each thread owns whole rows of C and sums over k in order, so the kernel gradient and
    the output are bit-identical on 1, 2 and 3 threads."""
    import axon

    x = rng.normal(size=(300, 262)).astype(np.float32)
    model = axon.Sequential([axon.Input(shape=(262,)), axon.layers.Dense(80, activation="relu")])
    model.compile(optimizer="sgd", loss="mse")
    dy = rng.normal(size=(300, 80)).astype(np.float32)

    def compute():
        grads, _ = model._core.gradients_from_output(x, dy)
        return [model.predict(x, verbose=0)] + list(grads)

    results = at_thread_counts(compute)
    for other in results[1:]:
        for a, b in zip(results[0], other):
            np.testing.assert_array_equal(a, b)
