"""Shared by the tests against real Keras (torch backend): the `keras` fixture, random
weights everywhere and inputs for a model. Importing this module skips the test module
where h5py or torch cannot be had."""

import os

import numpy as np
import pytest

pytest.importorskip("h5py")
pytest.importorskip("torch")


from keras_torch import keras  # noqa: E402,F401 (the fixture, re-exported)


def randomize(model, seed, scaled=False):
    """Random weights everywhere (biases and PReLU slopes too) so every tensor is tested.
    scaled: kernels drawn with std 1/sqrt(fan-in), so deep convnets keep their outputs of
    order 1 (at std 0.5 an MNIST convnet's logits reach the hundreds and its softmax
    differs between two correct float32 implementations)."""
    rng = np.random.default_rng(seed)

    def std(shape):
        return 1 / np.sqrt(np.prod(shape[:-1])) if scaled and len(shape) > 1 else 0.5

    model.set_weights([rng.normal(0, std(w.shape), w.shape).astype(w.dtype) for w in model.get_weights()])


def inputs(model, seed=0, n=16):
    shape = tuple(model.input_shape[1:])
    return np.random.default_rng(seed).normal(size=(n,) + shape).astype("float32")
