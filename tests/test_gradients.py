"""Float64 finite-difference checks of every layer, activation, loss and regularizer:
input and parameter gradients, relative error <= 1e-6, batch size 1 included."""

import numpy as np
import pytest

import axon
from axon import layers
from gradcheck import assert_gradients_match, float64_model

ACTIVATIONS = ["linear", "relu", "sigmoid", "tanh", "softmax"]


def _inputs(rng, batch, shape):
    x = rng.normal(size=(batch,) + shape)
    # Keep relu's inputs away from its kink so central differences are exact.
    return np.where(np.abs(x) < 1e-2, 0.5, x)


@pytest.mark.parametrize("batch", [1, 4])
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_dense(rng, batch, activation):
    model = float64_model([layers.Dense(3, activation=activation, bias_initializer="glorot_uniform")], (5,))
    x = _inputs(rng, batch, (5,))
    y = rng.normal(size=(batch, 3))
    assert_gradients_match(model, x, y)


@pytest.mark.parametrize("batch", [1, 3])
def test_dense_without_bias_on_rank3_input(rng, batch):
    # Dense acts on the last axis of a (N, 2, 4) input, as in Keras.
    model = float64_model([layers.Dense(3, use_bias=False, activation="tanh")], (2, 4))
    assert model.layers[0].output_shape == (None, 2, 3)
    assert_gradients_match(model, _inputs(rng, batch, (2, 4)), rng.normal(size=(batch, 2, 3)))


@pytest.mark.parametrize("batch", [1, 4])
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_activation_layer(rng, batch, activation):
    model = float64_model([layers.Dense(4, activation="linear"), layers.Activation(activation)], (3,))
    assert_gradients_match(model, _inputs(rng, batch, (3,)), rng.normal(size=(batch, 4)))


@pytest.mark.parametrize("batch", [1, 5])
def test_dropout_in_training(rng, batch):
    axon.utils.set_random_seed(3)
    model = float64_model([layers.Dense(8), layers.Dropout(0.5), layers.Dense(2)], (4,))
    assert_gradients_match(model, _inputs(rng, batch, (4,)), rng.normal(size=(batch, 2)))


@pytest.mark.parametrize("batch", [1, 2])
def test_flatten_and_reshape(rng, batch):
    model = float64_model([layers.Flatten(), layers.Dense(6, activation="tanh"), layers.Reshape((3, -1)),
                           layers.Dense(2)], (2, 3))
    assert model.layers[2].output_shape == (None, 3, 2)
    assert_gradients_match(model, _inputs(rng, batch, (2, 3)), rng.normal(size=(batch, 3, 2)))


@pytest.mark.parametrize("batch", [1, 4])
def test_regularizers(rng, batch):
    model = float64_model([
        layers.Dense(5, activation="tanh", kernel_regularizer=axon.regularizers.l1_l2(0.01, 0.02),
                     bias_regularizer=axon.regularizers.l2(0.1), bias_initializer="ones",
                     activity_regularizer=axon.regularizers.L1L2(0.03, 0.04)),
        layers.Dense(2),
    ], (3,))
    assert_gradients_match(model, _inputs(rng, batch, (3,)), rng.normal(size=(batch, 2)))


def _labels(rng, batch, k, kind):
    if kind == "sparse":
        return rng.integers(0, k, size=(batch, 1)).astype(np.float64)
    if kind == "binary":
        return rng.integers(0, 2, size=(batch, k)).astype(np.float64)
    return np.eye(k)[rng.integers(0, k, size=batch)]


LOSS_CASES = [
    # (loss, output activation, from_logits, label kind)
    ("mean_squared_error", "linear", False, "dense"),
    ("mean_squared_error", "sigmoid", False, "dense"),
    ("binary_crossentropy", "sigmoid", False, "binary"),  # fused with the sigmoid
    ("binary_crossentropy", "linear", True, "binary"),
    ("binary_crossentropy", "tanh", False, "binary"),  # probabilities not from a sigmoid: clipped path
    ("categorical_crossentropy", "softmax", False, "onehot"),  # fused with the softmax
    ("categorical_crossentropy", "linear", True, "onehot"),
    ("categorical_crossentropy", "sigmoid", False, "onehot"),  # normalized probabilities path
    ("sparse_categorical_crossentropy", "softmax", False, "sparse"),
    ("sparse_categorical_crossentropy", "linear", True, "sparse"),
    ("sparse_categorical_crossentropy", "sigmoid", False, "sparse"),
]


@pytest.mark.parametrize("batch", [1, 6])
@pytest.mark.parametrize("loss,activation,from_logits,kind", LOSS_CASES)
def test_losses_through_a_model(rng, batch, loss, activation, from_logits, kind):
    loss_obj = axon.losses.get(loss)
    loss_obj.from_logits = from_logits
    k = 4
    model = float64_model([layers.Dense(k, activation=activation)], (3,), loss=loss_obj)
    if activation == "tanh":  # map tanh's (-1, 1) into (0, 1) probabilities
        model = float64_model([layers.Dense(k, activation="sigmoid"), layers.Activation("tanh")], (3,),
                              loss=loss_obj)
    x = _inputs(rng, batch, (3,))
    assert_gradients_match(model, x, _labels(rng, batch, k, kind))


def test_fusion_is_used_for_softmax_and_sigmoid():
    for loss, act, fused in [("categorical_crossentropy", "softmax", True),
                             ("sparse_categorical_crossentropy", "softmax", True),
                             ("binary_crossentropy", "sigmoid", True),
                             ("categorical_crossentropy", "sigmoid", False),
                             ("mean_squared_error", "softmax", False)]:
        model = float64_model([layers.Dense(3, activation=act)], (2,), loss=loss)
        assert model._core.fused_loss is fused, (loss, act)


@pytest.mark.parametrize("name,kind,from_logits", [
    (name, kind, logits)
    for name, kind in [("binary_crossentropy", "binary"), ("categorical_crossentropy", "onehot"),
                       ("sparse_categorical_crossentropy", "sparse")]
    for logits in (False, True)
] + [("mean_squared_error", "dense", False)])
def test_loss_gradient_wrt_prediction(rng, name, kind, from_logits):
    from axon import _core

    k, batch = 3, 5
    pred = rng.uniform(0.1, 0.9, size=(batch, k)) if not from_logits else rng.normal(size=(batch, k))
    y = _labels(rng, batch, k, kind)
    _, grad = _core.compute_loss(name, from_logits, y, pred)
    numeric = np.zeros_like(pred)
    h = 1e-6
    for i in np.ndindex(pred.shape):
        p = pred.copy()
        p[i] += h
        up = _core.compute_loss(name, from_logits, y, p)[0]
        p[i] -= 2 * h
        down = _core.compute_loss(name, from_logits, y, p)[0]
        numeric[i] = (up - down) / (2 * h)
    assert np.linalg.norm(grad - numeric) / np.linalg.norm(numeric) <= 1e-6
