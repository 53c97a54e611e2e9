"""Same seed, same bits at every thread count: training (forward, backward, every optimizer)
and inference of Dense, convolutional and normalization layers give bit-identical weights
and predictions on 1, 2, 3 and 4 threads, at batch sizes that take every product path
(a few rows, row tiles split among threads, column blocks split among threads, partial
vectors) — and whatever OPENBLAS_CORETYPE says, since no product goes to a BLAS library."""
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gradcheck import at_thread_counts

THREADS = (1, 2, 3, 4)
BATCHES = (1, 16, 64, 300, 1024)
REPO = Path(__file__).resolve().parents[1]


def digest(arrays):
    h = hashlib.sha256()
    for a in arrays:
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


def dense_model(axon, features):
    layers = axon.layers
    return axon.Sequential([
        axon.Input((features,)),
        layers.Dense(129, activation="relu"),  # 129: a partial vector after whole ones
        layers.BatchNormalization(),
        layers.Dense(130, activation="tanh"),
        layers.Dropout(0.2),
        layers.Dense(10, activation="softmax"),
    ])


def conv_model(axon, features=None):
    layers = axon.layers
    return axon.Sequential([
        axon.Input((9, 9, 2)),
        layers.Conv2D(16, 3, padding="same", activation="relu"),  # the direct kernels
        layers.BatchNormalization(),
        layers.MaxPooling2D(),
        layers.Conv2D(20, 3, activation="elu"),  # im2col and the GEMM, partial vectors
        layers.LayerNormalization(),
        layers.Flatten(),
        layers.Dense(5, activation="softmax"),
    ])


def train_digest(make, batch, optimizer="adam", features=200, epochs=2):
    """Digest of the weights after `epochs` shuffled epochs and of the predictions."""
    import axon

    n = 2 * batch + 13  # two whole batches and a partial one
    rng = np.random.default_rng(batch)
    shape = (n, features) if make is dense_model else (n, 9, 9, 2)
    x = rng.normal(size=shape).astype(np.float32)
    classes = 10 if make is dense_model else 5
    y = np.eye(classes, dtype=np.float32)[rng.integers(0, classes, n)]
    axon.backend.clear_session()
    axon.utils.set_random_seed(7)
    model = make(axon, features)
    model.compile(optimizer=optimizer, loss="categorical_crossentropy")
    model.fit(x, y, batch_size=batch, epochs=epochs, verbose=0)
    return digest(model.get_weights() + [model.predict(x, batch_size=batch, verbose=0)])


def assert_same_at_every_thread_count(compute):
    digests = at_thread_counts(compute, THREADS)
    assert len(set(digests)) == 1, dict(zip(THREADS, digests))


@pytest.mark.parametrize("batch", BATCHES)
@pytest.mark.parametrize("make", [dense_model, conv_model], ids=["dense", "conv"])
def test_training_is_bit_identical_at_every_thread_count(make, batch):
    assert_same_at_every_thread_count(lambda: train_digest(make, batch))


OPTIMIZERS = ["sgd", "adam", "adamw", "rmsprop", "adagrad", "adadelta", "adamax", "nadam", "ftrl", "lion"]


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_every_optimizer_is_bit_identical_at_every_thread_count(optimizer):
    assert_same_at_every_thread_count(lambda: train_digest(dense_model, 300, optimizer, epochs=1))


def test_momentum_and_large_layers_are_bit_identical_at_every_thread_count():
    """784 inputs and 128 units (the MNIST MLP's shapes, products split among threads)."""
    import axon

    def compute():
        rng = np.random.default_rng(3)
        x = rng.normal(size=(1100, 784)).astype(np.float32)
        y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, 1100)]
        axon.backend.clear_session()
        axon.utils.set_random_seed(5)
        model = axon.Sequential([axon.Input((784,)), axon.layers.Dense(128, activation="relu"),
                                 axon.layers.Dense(10, activation="softmax")])
        model.compile(optimizer=axon.optimizers.SGD(0.05, momentum=0.9, nesterov=True),
                      loss="categorical_crossentropy")
        model.fit(x, y, batch_size=1024, epochs=2, verbose=0)
        model.fit(x, y, batch_size=32, epochs=1, verbose=0)
        return digest(model.get_weights())

    assert_same_at_every_thread_count(compute)


def test_input_gradients_are_bit_identical_at_every_thread_count(rng):
    """dz W^T, which no first layer computes in training, for a few rows and many."""
    import axon

    model = axon.Sequential([axon.Input((262,)), axon.layers.Dense(80, activation="relu")])
    model.compile(optimizer="sgd", loss="mse")
    results = []
    for batch in (1, 3, 5, 300):
        x = rng.normal(size=(batch, 262)).astype(np.float32)
        dy = rng.normal(size=(batch, 80)).astype(np.float32)

        def compute():
            grads, dx = model._core.gradients_from_output(x, dy)
            return digest(list(grads) + [dx, model.predict(x, verbose=0)])

        results.append(at_thread_counts(compute, THREADS))
    for digests in results:
        assert len(set(digests)) == 1


_CHILD = """
import json, sys
sys.path[:0] = {paths!r}
import numpy as np
from test_thread_determinism import conv_model, dense_model, train_digest
print(json.dumps([train_digest(dense_model, 300), train_digest(conv_model, 64)]))
"""


@pytest.mark.parametrize("coretype", [None, "Haswell", "SkylakeX", "Zen", "Prescott"])
def test_results_do_not_depend_on_openblas_coretype(coretype):
    """The tester's AMD machine set OPENBLAS_CORETYPE=Haswell, which changed the bits while
    products went to OpenBLAS. Compared with this process' own results."""
    import axon

    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    if coretype:
        env["OPENBLAS_CORETYPE"] = coretype
    paths = [str(Path(axon.__file__).resolve().parents[1]), str(REPO / "tests")]
    out = subprocess.run([sys.executable, "-c", _CHILD.format(paths=paths)], env=env, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [train_digest(dense_model, 300),
                                                                train_digest(conv_model, 64)]
