"""The course's MNIST model reaches Keras-level accuracy (real data, ~15 s)."""

import numpy as np
import pytest

import axon
from conftest import mnist_or_skip


def train_demo_model(seed, x_train, y_train, x_test, y_test):
    axon.utils.set_random_seed(seed)
    model = axon.Sequential([
        axon.layers.Flatten(input_shape=(28, 28)),
        axon.layers.Dense(128, activation="relu"),
        axon.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x_train, y_train, epochs=5, batch_size=32, verbose=0)
    assert np.all(np.diff(history.history["loss"]) < 0)
    return model.evaluate(x_test, y_test, verbose=0)[1]


@pytest.mark.slow
def test_demo_model_reaches_97_5_percent():
    """Mean over three seeds: one run of this model lands anywhere in about 97.0-97.7%
    (PyTorch's identical model, seeds 0-2: 97.61, 97.02, 97.72%), so a single seed would
    make the test a coin toss on rounding differences (OpenBLAS vs Eigen products)."""
    (x_train, y_train), (x_test, y_test) = mnist_or_skip()
    data = (x_train.astype("float32") / 255, axon.utils.to_categorical(y_train),
            x_test.astype("float32") / 255, axon.utils.to_categorical(y_test))
    accuracies = [train_demo_model(seed, *data) for seed in (0, 1, 2)]
    print(f"MNIST test accuracy after 5 epochs, seeds 0-2: {accuracies}")
    assert np.mean(accuracies) >= 0.975
    assert min(accuracies) >= 0.97


def shuffling_generator(x, y, batch, seed):
    """A user's generator: a fresh random order every pass, batches by fancy indexing."""
    rng = np.random.default_rng(seed)
    while True:
        order = rng.permutation(len(x))
        for start in range(0, len(x), batch):
            idx = order[start:start + batch]
            yield x[idx], y[idx]


@pytest.mark.slow
def test_generator_fed_fit_reaches_the_array_fed_accuracy():
    """Streaming batches through the engine's queue trains as well as arrays: same model,
    same initial weights, 3 epochs each (one run: ~97.4-97.6% either way, so 0.6 points of
    slack cover the different shuffles)."""
    (x_train, y_train), (x_test, y_test) = mnist_or_skip()
    x, y = x_train.astype("float32") / 255, axon.utils.to_categorical(y_train).astype("float32")
    accuracies = {}
    for kind in ("arrays", "generator"):
        axon.utils.set_random_seed(0)
        model = axon.Sequential([axon.layers.Flatten(input_shape=(28, 28)),
                                 axon.layers.Dense(128, activation="relu"),
                                 axon.layers.Dense(10, activation="softmax")])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        data = (dict(x=x, y=y, batch_size=32) if kind == "arrays"
                else dict(x=shuffling_generator(x, y, 32, 0), steps_per_epoch=len(x) // 32))
        model.fit(**data, epochs=3, verbose=0)
        accuracies[kind] = float(np.mean(np.argmax(model.predict(x_test / 255, verbose=0), 1) == y_test))
    print(f"MNIST test accuracy after 3 epochs: {accuracies}")
    assert accuracies["generator"] >= 0.97 and abs(accuracies["generator"] - accuracies["arrays"]) <= 0.006
