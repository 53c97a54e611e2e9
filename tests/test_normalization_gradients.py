"""Float64 finite-difference checks of the normalization layers (BatchNormalization in
training mode: the gradient goes through the batch statistics)."""

import numpy as np
import pytest

from axon import layers
from gradcheck import assert_gradients_match, assert_stack_gradients_match, float64_model

CASES = {  # name: (a function making the layers, input shape)
    "bn_dense": (lambda: [layers.Dense(4, activation="tanh"), layers.BatchNormalization(momentum=0.5)], (3,)),
    # A bias right before BatchNormalization has an exactly zero gradient: leave it out.
    "bn_conv": (lambda: [layers.Conv2D(3, 2, use_bias=False), layers.BatchNormalization(gamma_initializer="random_normal",
                                                                       beta_initializer="random_normal")], (4, 4, 2)),
    "bn_channels_first": (lambda: [layers.BatchNormalization(axis=1, epsilon=0.1), layers.Dense(2)], (3, 2, 4)),
    "bn_no_affine": (lambda: [layers.BatchNormalization(center=False, scale=False), layers.Dense(2)], (5,)),
    "ln_last": (lambda: [layers.Dense(5), layers.LayerNormalization(gamma_initializer="random_normal",
                                                                    beta_initializer="random_normal")], (3,)),
    "ln_two_axes": (lambda: [layers.LayerNormalization(axis=[-2, -1]), layers.Flatten(), layers.Dense(2)], (3, 4)),
    "ln_middle_axis": (lambda: [layers.LayerNormalization(axis=1, epsilon=0.01), layers.Flatten(),
                                layers.Dense(2)], (4, 3)),
    "ln_non_adjacent": (lambda: [layers.LayerNormalization(axis=[1, 3], gamma_initializer="random_normal",
                                                           beta_initializer="random_normal"),
                                 layers.Flatten(), layers.Dense(2)], (3, 2, 4)),
    "ln_rms_scaling": (lambda: [layers.LayerNormalization(rms_scaling=True, gamma_initializer="random_normal"),
                                layers.Dense(2)], (5,)),
    "gn_conv": (lambda: [layers.Conv2D(4, 2), layers.GroupNormalization(groups=2, gamma_initializer="random_normal",
                                                                         beta_initializer="random_normal")],
                (4, 3, 2)),
    "gn_channels_first": (lambda: [layers.GroupNormalization(groups=3, axis=1), layers.Flatten(),
                                   layers.Dense(2)], (6, 2)),
    "gn_instance": (lambda: [layers.GroupNormalization(groups=-1, epsilon=0.1), layers.Dense(2)], (3, 3)),
}


@pytest.mark.parametrize("batch", [2, 4])
@pytest.mark.parametrize("name", sorted(CASES))
def test_gradients(rng, name, batch):
    assert_stack_gradients_match(rng, *CASES[name], batch)


def test_gradient_through_regularized_gamma(rng):
    model = float64_model([layers.Dense(3, use_bias=False),
                           layers.BatchNormalization(gamma_regularizer="l2", beta_regularizer="l1",
                                                     beta_initializer="random_normal")], (4,))
    x = rng.normal(size=(5, 4))
    assert_gradients_match(model, x, rng.normal(size=(5, 3)))
