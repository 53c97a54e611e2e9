"""Float64 finite-difference checks of the convolution and pooling layers in small models."""

import numpy as np
import pytest

from axon import layers
from gradcheck import assert_gradients_match, at_thread_counts, float64_model


def _distinct(rng, shape):
    # Distinct, well separated values keep max pooling away from ties under +-h.
    return (rng.permutation(np.prod(shape)).reshape(shape) / np.prod(shape) - 0.5) * 4


CASES = {  # name: (a function making the layers, input shape)
    "conv2d_same_stride": (lambda: [layers.Conv2D(3, 3, strides=2, padding="same", activation="tanh",
                                          bias_initializer="random_normal")], (5, 6, 2)),
    "conv2d_groups_dilation": (lambda: [layers.Conv2D(4, 2, dilation_rate=2, groups=2, activation="sigmoid")], (5, 5, 4)),
    "conv1d_causal": (lambda: [layers.Conv1D(2, 3, padding="causal", dilation_rate=2)], (7, 3)),
    "conv3d": (lambda: [layers.Conv3D(2, 2, padding="same", use_bias=False)], (3, 4, 3, 2)),
    "conv2d_channels_first": (lambda: [layers.Conv2D(3, (2, 3), data_format="channels_first", activation="tanh")],
                              (2, 5, 4)),
    "conv_pool_dense": (lambda: [layers.Conv2D(3, 3, activation="tanh"), layers.MaxPooling2D(2), layers.Flatten(),
                         layers.Dense(2)], (6, 6, 1)),
    "avgpool_same": (lambda: [layers.Conv1D(2, 2), layers.AveragePooling1D(3, strides=2, padding="same")], (8, 2)),
    "avgpool3d": (lambda: [layers.Conv3D(2, 1), layers.AveragePooling3D(2, padding="same")], (3, 3, 4, 1)),
    "maxpool_channels_first": (lambda: [layers.Conv2D(2, 1, data_format="channels_first"),
                                layers.MaxPooling2D(2, padding="same", data_format="channels_first")], (2, 5, 4)),
    "global_max": (lambda: [layers.Conv2D(3, 2, activation="tanh"), layers.GlobalMaxPooling2D()], (4, 4, 2)),
    "global_avg_keepdims": (lambda: [layers.Conv1D(3, 2), layers.GlobalAveragePooling1D(keepdims=True)], (5, 2)),
    # 8 float64 filters over 2 channels: the direct (no im2col) forward; 'same' pads the border.
    "conv2d_direct": (lambda: [layers.Conv2D(8, 3, padding="same", activation="tanh",
                                             bias_initializer="random_normal")], (4, 5, 2)),
    # 8 filters over 6 channels (inner size 54): direct forward, GEMM gradients.
    "conv2d_direct_wide": (lambda: [layers.Conv2D(8, 3, strides=(1, 2), activation="relu",
                                                  bias_initializer="random_normal")], (5, 7, 6)),
    # 16 float64 filters, inner size 2x2x4 = 16: both backward GEMMs register-tiled, and 121
    # rows per sample run over more than one panel of the inner loop.
    "conv2d_register_tiled": (lambda: [layers.Conv2D(16, 2, activation="tanh")], (12, 12, 4)),
}


@pytest.mark.parametrize("batch", [1, 3])
@pytest.mark.parametrize("name", sorted(CASES))
def test_gradients(rng, name, batch):
    stack, shape = CASES[name]
    model = float64_model(stack(), shape)
    x = _distinct(rng, (batch,) + shape)
    out = model.layers[-1].output_shape[1:]
    assert_gradients_match(model, x, rng.normal(size=(batch,) + out))


@pytest.mark.parametrize("make,channels", [
    (lambda: layers.Conv2D(32, 3, activation="relu"), 1),  # direct forward and kernel gradient
    (lambda: layers.Conv2D(64, 3, padding="same", activation="relu"), 32),  # direct forward, GEMM gradients
    (lambda: layers.Conv2D(6, 3, strides=2, groups=3), 6),  # im2col + GEMM throughout
])
def test_conv_results_do_not_depend_on_the_thread_count(rng, make, channels):
    """Conv sums its kernel and bias gradients per fixed group of samples, each group one
    thread's work with single-threaded GEMMs, then the groups in order."""
    import axon

    x = rng.normal(size=(12, 13, 13, channels)).astype(np.float32)
    model = axon.Sequential([axon.Input(shape=x.shape[1:]), make()])
    model.compile(optimizer="sgd", loss="mse")
    dy = rng.normal(size=(12,) + model.output_shape[1:]).astype(np.float32)
    def compute():
        grads, dx = model._core.gradients_from_output(x, dy)
        return [model.predict(x, verbose=0), dx] + list(grads)

    results = at_thread_counts(compute)
    for other in results[1:]:
        for a, b in zip(results[0], other):
            np.testing.assert_array_equal(a, b)
