"""A convolutional autoencoder (Conv2D encoder, Conv2DTranspose decoder) learns to
reconstruct MNIST digits: its reconstruction loss falls clearly within a few epochs."""

import numpy as np

import axon
from axon import layers
from conftest import mnist_or_skip


def test_mnist_autoencoder_reconstruction_improves():
    (x_train, _), (x_test, _) = mnist_or_skip()
    x_train = np.expand_dims(x_train[:1024].astype("float32") / 255, -1)
    x_test = np.expand_dims(x_test[:256].astype("float32") / 255, -1)
    axon.utils.set_random_seed(0)
    model = axon.Sequential([
        axon.Input(shape=(28, 28, 1)),
        layers.Conv2D(8, 3, strides=2, padding="same", activation="relu"),    # 14x14
        layers.Conv2D(4, 3, strides=2, padding="same", activation="relu"),     # 7x7
        layers.Conv2DTranspose(4, 3, strides=2, padding="same", activation="relu"),
        layers.Conv2DTranspose(8, 3, strides=2, padding="same", activation="relu"),
        layers.Conv2DTranspose(1, 3, padding="same", activation="sigmoid"),
    ])
    assert model.output_shape == (None, 28, 28, 1)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    before = model.evaluate(x_test, x_test, verbose=0)
    history = model.fit(x_train, x_train, batch_size=32, epochs=3, verbose=0)
    after = model.evaluate(x_test, x_test, verbose=0)
    losses = history.history["loss"]
    assert all(b < a for a, b in zip(losses, losses[1:])), losses
    assert after < 0.6 * before, (before, after)
    # Better than predicting every pixel's mean intensity.
    mean = np.full_like(x_test, x_train.mean())
    baseline = -np.mean(x_test * np.log(mean) + (1 - x_test) * np.log(1 - mean))
    assert after < 0.8 * baseline, (after, baseline)
