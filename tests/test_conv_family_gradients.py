"""Float64 finite-difference checks of the transposed, depthwise and separable convolutions
in small models (input and every weight, through activations and both data formats)."""

import numpy as np
import pytest

from axon import layers
from gradcheck import assert_stack_gradients_match, at_thread_counts

CASES = {  # name: (a function making the layers, input shape)
    "conv1d_transpose": (lambda: [layers.Conv1DTranspose(2, 3, strides=2, activation="tanh",
                                                         bias_initializer="random_normal")], (4, 3)),
    "conv2d_transpose_same_op": (lambda: [layers.Conv2DTranspose(3, 3, strides=2, padding="same", output_padding=1,
                                                                 activation="sigmoid")], (3, 3, 2)),
    "conv2d_transpose_dilated_cf": (lambda: [layers.Conv2DTranspose(2, 2, dilation_rate=2, padding="same",
                                                                    data_format="channels_first")], (2, 3, 4)),
    "conv3d_transpose": (lambda: [layers.Conv3DTranspose(2, 2, strides=(1, 2, 1), use_bias=False)], (2, 2, 3, 2)),
    "depthwise1d": (lambda: [layers.DepthwiseConv1D(3, depth_multiplier=2, padding="same", activation="tanh",
                                                    bias_initializer="random_normal")], (6, 3)),
    "depthwise2d_strided_cf": (lambda: [layers.DepthwiseConv2D((2, 3), strides=2, data_format="channels_first")],
                               (2, 5, 6)),
    "separable1d": (lambda: [layers.SeparableConv1D(3, 2, dilation_rate=2, depth_multiplier=2,
                                                    activation="sigmoid")], (7, 2)),
    "separable2d": (lambda: [layers.SeparableConv2D(4, 3, strides=2, padding="same", activation="tanh",
                                                    bias_initializer="random_normal")], (5, 5, 3)),
    "autoencoder": (lambda: [layers.Conv2D(3, 3, strides=2, padding="same", activation="tanh"),
                             layers.DepthwiseConv2D(2, padding="same"),
                             layers.Conv2DTranspose(2, 3, strides=2, padding="same")], (4, 4, 2)),
}


@pytest.mark.parametrize("batch", [1, 3])
@pytest.mark.parametrize("name", sorted(CASES))
def test_gradients(rng, name, batch):
    assert_stack_gradients_match(rng, *CASES[name], batch)


@pytest.mark.parametrize("make", [lambda: layers.DepthwiseConv2D(3, depth_multiplier=2, padding="same"),
                                  lambda: layers.DepthwiseConv2D((2, 3), strides=2),
                                  lambda: layers.SeparableConv2D(8, 3, strides=2)])
def test_depthwise_gradients_do_not_depend_on_the_thread_count(rng, make):
    """The direct depthwise kernels sum in a fixed order. (Weights that go through
    kernels::matmul, like the pointwise kernel, follow BLAS, which may split large sums
    across threads; Dense and Conv2D share that.)"""
    import axon

    x = rng.normal(size=(16, 12, 12, 40)).astype(np.float32)  # 40 channels: more than one share
    model = axon.Sequential([axon.Input(shape=x.shape[1:]), make()])
    model.compile(optimizer="sgd", loss="mse")
    dy = rng.normal(size=(16,) + model.output_shape[1:]).astype(np.float32)

    def compute():
        grads, dx = model._core.gradients_from_output(x, dy)
        return grads[0], dx  # the depthwise kernel's gradient, the input's

    results = at_thread_counts(compute)
    for dk, dx in results[1:]:
        np.testing.assert_array_equal(dk, results[0][0])
        np.testing.assert_array_equal(dx, results[0][1])
