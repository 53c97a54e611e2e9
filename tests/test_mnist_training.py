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
