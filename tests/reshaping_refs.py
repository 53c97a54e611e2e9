"""PyTorch references for ZeroPadding, Cropping and UpSampling, on channels_first
tensors (N, C, *spatial): F.pad, slicing and F.interpolate."""

import pytest

torch = pytest.importorskip("torch")
F = torch.nn.functional


def pad(t, pairs):
    flat = []
    for before, after in reversed(pairs):  # F.pad takes the last axis first
        flat += [before, after]
    return F.pad(t, flat)


def crop(t, pairs):
    index = [slice(None), slice(None)]
    for (before, after), size in zip(pairs, t.shape[2:]):
        index.append(slice(before, size - after))
    return t[tuple(index)]


def upsample(t, factors, interpolation="nearest"):
    size = [s * f for s, f in zip(t.shape[2:], factors)]
    if interpolation == "bilinear":  # what Keras' torch backend calls for UpSampling2D
        return F.interpolate(t, size=size, mode="bilinear", align_corners=False)
    return F.interpolate(t, size=size, mode="nearest")


def to_first(x, data_format):
    """A layer's input/output array in its data format -> channels_first numpy array."""
    import numpy as np

    return x if data_format == "channels_first" else np.moveaxis(x, -1, 1)


def from_first(x, data_format):
    import numpy as np

    return x if data_format == "channels_first" else np.moveaxis(x, 1, -1)
