"""The dropout mask is Philox-4x32-10 keyed by (seed, stream) at counter (element / 4, step):
the engine computes 16 blocks at a time in vector lanes, which must give exactly the
scalar generator's words. The reference here is a plain NumPy Philox."""

import numpy as np
import pytest

import axon

M64 = (1 << 64) - 1


def philox_key(seed, stream):
    k = (seed ^ ((stream * 0x9E3779B97F4A7C15) & M64)) & M64
    k ^= k >> 31
    k = (k * 0xBF58476D1CE4E5B9) & M64
    k ^= k >> 29
    return k & 0xFFFFFFFF, k >> 32


def philox_words(key, counters, c1):
    """Four 32-bit words per block for counters (c0, c1), as uint64 arrays."""
    c0 = np.asarray(counters, dtype=np.uint64)
    x0, x1 = c0 & np.uint64(0xFFFFFFFF), c0 >> np.uint64(32)
    x2 = np.full_like(c0, c1 & 0xFFFFFFFF)
    x3 = np.full_like(c0, c1 >> 32)
    k0, k1 = key
    for _ in range(10):
        p0 = x0 * np.uint64(0xD2511F53)
        p1 = x2 * np.uint64(0xCD9E8D57)
        x0, x1, x2, x3 = ((p1 >> np.uint64(32)) ^ x1 ^ np.uint64(k0), p1 & np.uint64(0xFFFFFFFF),
                          (p0 >> np.uint64(32)) ^ x3 ^ np.uint64(k1), p0 & np.uint64(0xFFFFFFFF))
        k0, k1 = (k0 + 0x9E3779B9) & 0xFFFFFFFF, (k1 + 0xBB67AE85) & 0xFFFFFFFF
    return np.stack([x0, x1, x2, x3], axis=1).reshape(-1)


@pytest.mark.parametrize("size", [1, 63, 64, 1000])  # partial and whole groups of 64 elements
@pytest.mark.parametrize("rate", [0.25, 0.5])
def test_dropout_mask_equals_the_scalar_philox(size, rate):
    seed = 987654321
    model = axon.Sequential([axon.Input(shape=(size,)), axon.layers.Dropout(rate, seed=seed)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.ones((3, size), dtype=np.float32)
    _, dx = model._core.gradients_from_output(x, np.ones_like(x))  # dx = mask / (1 - rate), step 0
    words = philox_words(philox_key(seed, 0xD80), np.arange((x.size + 3) // 4), 0)[: x.size]
    keep = (words >> np.uint64(8)).astype(np.float32) * np.float32(1 / 16777216) < np.float32(1 - rate)
    expected = np.where(keep, np.float32(1 / (1 - rate)), np.float32(0)).reshape(x.shape)
    np.testing.assert_array_equal(dx, expected)
