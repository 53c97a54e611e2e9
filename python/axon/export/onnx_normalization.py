"""ONNX converters for BatchNormalization, LayerNormalization and GroupNormalization
(inference: BatchNormalization uses its moving statistics)."""

import numpy as np

from axon import layers


def _full_axis(axis, rank):
    """Keras axis (negative from the end) -> index in the batch-first tensor."""
    return axis + rank if axis < 0 else axis


def _per_sample(values, shape, axes):
    """values laid out over `axes` of the batch-first `shape`, as an array that broadcasts
    against a (N, ...) tensor: the per-sample shape with 1 everywhere else."""
    target = [shape[a] if a in axes else 1 for a in range(1, len(shape))]
    return np.asarray(values, dtype=np.float64).reshape(target)


def _reduce_mean(g, x, axes):
    if g.opset >= 18:  # axes became an input in opset 18
        return g.op("ReduceMean", x, g.const(list(axes), np.int64), keepdims=1)
    return g.op("ReduceMean", x, axes=list(axes), keepdims=1)


def _normalize(g, x, axes, epsilon, centered=True):
    """(x - mean) / sqrt(var + eps) over `axes` (biased variance); x / sqrt(var + eps) when
    not centered (LayerNormalization's rms_scaling: the variance is still about the mean)."""
    d = g.op("Sub", x, _reduce_mean(g, x, axes))
    var = _reduce_mean(g, g.op("Mul", d, d), axes)
    std = g.op("Sqrt", g.op("Add", var, g.const(epsilon)))
    return g.op("Div", d if centered else x, std)


def _affine(g, layer, z, shape, axes):
    names = layer._weight_names()
    weights = dict(zip(names, layer.get_weights()))
    if "gamma" in weights:
        z = g.op("Mul", z, g.weight("gamma", _per_sample(weights["gamma"], shape, axes)))
    if "beta" in weights:
        z = g.op("Add", z, g.weight("beta", _per_sample(weights["beta"], shape, axes)))
    return z


def _batch_norm(g, layer, x, shape):
    # Inference: y = x * a + b per channel, a = gamma / sqrt(moving_var + eps),
    # b = beta - moving_mean * a, broadcast along `axis` (no layout change needed).
    weights = dict(zip(layer._weight_names(), (w.astype(np.float64) for w in layer.get_weights())))
    a = 1.0 / np.sqrt(weights["moving_variance"] + layer.epsilon)
    a = a * weights.get("gamma", 1.0)
    b = weights.get("beta", 0.0) - weights["moving_mean"] * a
    axes = {_full_axis(layer.axis, len(shape))}
    y = g.op("Mul", x, g.weight("scale", _per_sample(a, shape, axes)))
    return g.op("Add", y, g.weight("offset", _per_sample(b, shape, axes)))


def _layer_norm(g, layer, x, shape):
    rank = len(shape)
    axes = sorted(_full_axis(a, rank) for a in (layer.axis if isinstance(layer.axis, list) else [layer.axis]))
    # Composed rather than ONNX's LayerNormalization (opset 17): onnxruntime's kernel takes
    # the variance in one pass (E[x^2] - E[x]^2), about 1e-11 off in float64, and cannot
    # normalize axes that are not trailing.
    z = _normalize(g, x, axes, layer.epsilon, centered=not layer.rms_scaling)
    return _affine(g, layer, z, shape, set(axes))


def _group_norm(g, layer, x, shape):
    # (N, ..., C, ...) -> (N, ..., G, C/G, ...); statistics over all but the batch and G axes.
    rank = len(shape)
    axis = _full_axis(layer.axis, rank)
    channels = shape[axis]
    groups = channels if layer.groups == -1 else layer.groups
    grouped = [int(d) for d in shape[1:axis]] + [groups, channels // groups] + [int(d) for d in shape[axis + 1:]]
    xg = g.op("Reshape", x, g.const([-1] + grouped, np.int64))
    reduce = [a for a in range(1, rank + 1) if a != axis]
    z = _normalize(g, xg, reduce, layer.epsilon)
    z = g.op("Reshape", z, g.const([-1] + [int(d) for d in shape[1:]], np.int64))
    return _affine(g, layer, z, shape, {axis})


CONVERTERS = {
    layers.BatchNormalization: _batch_norm,
    layers.LayerNormalization: _layer_norm,
    layers.GroupNormalization: _group_norm,
}
