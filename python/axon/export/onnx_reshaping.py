"""ONNX converters for ZeroPadding, Cropping, UpSampling and SpatialDropout (see
onnx_layers.CONVERTERS). `shape` is the layer's input shape, batch first (None)."""

import numpy as np

from axon.export.onnx_spatial import spatial_axes


def zero_padding(g, layer, x, shape):
    before, after = [0] * len(shape), [0] * len(shape)
    for axis, (b, e) in zip(spatial_axes(layer.rank, layer.data_format), layer._pairs):
        before[axis], after[axis] = b, e
    return g.op("Pad", x, g.const(before + after, np.int64), mode="constant")


def cropping(g, layer, x, shape):
    axes = spatial_axes(layer.rank, layer.data_format)
    starts = [b for b, _ in layer._pairs]
    ends = [int(shape[a]) - e for a, (_, e) in zip(axes, layer._pairs)]
    return g.op("Slice", x, g.const(starts, np.int64), g.const(ends, np.int64), g.const(axes, np.int64))


def _nearest(g, layer, x, shape):
    # Each spatial axis gets a new axis of length `factor` right after it, broadcast by
    # Expand, then merged back: a repeat, exact in any dtype.
    axes, factors = spatial_axes(layer.rank, layer.data_format), layer._factors
    split, tile = [-1], [1]
    for axis in range(1, len(shape)):
        split.append(int(shape[axis]))
        tile.append(1)
        if axis in axes:
            split.append(1)
            tile.append(factors[axes.index(axis)])
    y = g.op("Expand", g.op("Reshape", x, g.const(split, np.int64)), g.const(tile, np.int64))
    return g.op("Reshape", y, g.const([-1] + [int(d) for d in layer.output_shape[1:]], np.int64))


def _linear_taps(n_in, factor):
    """(n_in * factor, n_in) interpolation matrix: PyTorch's align_corners=False rule."""
    n_out = n_in * factor
    src = np.maximum((np.arange(n_out) + 0.5) * (n_in / n_out) - 0.5, 0.0)
    lo = np.minimum(np.floor(src).astype(np.int64), n_in - 1)
    hi = np.minimum(lo + 1, n_in - 1)
    m = np.zeros((n_out, n_in))
    np.add.at(m, (np.arange(n_out), lo), 1.0 - (src - lo))
    np.add.at(m, (np.arange(n_out), hi), src - lo)
    return m


def _bilinear(g, layer, x, shape):
    channels_last = layer.data_format == "channels_last"
    if g.dtype == np.float32:
        # Keras' torch backend: F.interpolate(mode='bilinear', align_corners=False), which is
        # ONNX's half_pixel transformation (source coordinates clamped at the edges).
        scales = [1.0] * len(shape)
        for axis, f in zip(spatial_axes(layer.rank, layer.data_format), layer._factors):
            scales[axis] = float(f)
        return g.op("Resize", x, "", g.const(scales, np.float32), mode="linear",
                    coordinate_transformation_mode="half_pixel")
    # onnxruntime has no float64 Resize: the same interpolation as two matrix products,
    # (OH, H) @ x(N, C, H, W) @ (W, OW), in channels_first order.
    h, w = (int(d) for d in (shape[1:3] if channels_last else shape[2:4]))
    fh, fw = layer._factors
    if channels_last:
        x = g.op("Transpose", x, perm=[0, 3, 1, 2])
    y = g.op("MatMul", g.const(_linear_taps(h, fh)), x)
    y = g.op("MatMul", y, g.const(_linear_taps(w, fw).T))
    return g.op("Transpose", y, perm=[0, 2, 3, 1]) if channels_last else y


def upsampling(g, layer, x, shape):
    return (_bilinear if layer.interpolation == "bilinear" else _nearest)(g, layer, x, shape)


def spatial_dropout(g, layer, x, shape):  # inference only
    return g.op("Identity", x)
