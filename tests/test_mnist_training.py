"""The course's MNIST model reaches Keras-level accuracy (real data, tens of seconds)."""

import numpy as np
import pytest

import axon
from conftest import mnist_or_skip


@pytest.mark.slow
def test_demo_model_reaches_97_5_percent():
    (x_train, y_train), (x_test, y_test) = mnist_or_skip()
    x_train = x_train.astype("float32") / 255
    x_test = x_test.astype("float32") / 255
    axon.utils.set_random_seed(0)
    model = axon.Sequential([
        axon.layers.Flatten(input_shape=(28, 28)),
        axon.layers.Dense(128, activation="relu"),
        axon.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x_train, axon.utils.to_categorical(y_train), epochs=5, batch_size=32, verbose=0)
    loss, accuracy = model.evaluate(x_test, axon.utils.to_categorical(y_test), verbose=0)
    print(f"MNIST test accuracy after 5 epochs: {accuracy:.4f}")
    assert accuracy >= 0.975
    assert np.all(np.diff(history.history["loss"]) < 0)
