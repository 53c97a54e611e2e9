"""axon.activations as ONNX ops: `emit(g, x, spec, rank)` for an engine spec tuple
(name, a, b, c, axis).

Every formula is the engine's (cpp/kernels/cpu/activations_pointwise.cpp and
activations_axis.cpp), composed from plain ONNX ops where ONNX has no single op or where
its op differs from the engine (onnxruntime's Elu/Softplus/Softsign have no float64
kernel; its Sigmoid loses digits for x << 0).
"""

import math

import numpy as np

from axon.export import onnx_math as m

# The engine's defaults for the numbers a Python spec leaves as None (activation_kind.cpp).
_DEFAULTS = {
    "relu": (0.0, math.inf, 0.0), "leaky_relu": (0.2,), "elu": (1.0,), "celu": (1.0,), "gelu": (0.0,),
    "hard_shrink": (0.5,), "soft_shrink": (0.5,), "squareplus": (4.0,), "threshold": (0.0, 0.0),
}
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _numbers(name, a, b, c):
    defaults = _DEFAULTS.get(name, ()) + (0.0, 0.0, 0.0)
    return tuple(defaults[i] if v is None else float(v) for i, v in enumerate((a, b, c)))


def _relu(g, x, a, b, c):
    if a == 0 and c == 0 and math.isinf(b):
        return g.op("Relu", x)
    # x * (x > threshold), clipped to [0, max_value], minus negative_slope * relu(threshold - x)
    y = g.where(g.op("Greater", x, g.const(c)), x, g.const(0.0))
    if not math.isinf(b):
        y = g.op("Clip", y, g.const(0.0), g.const(b))
    if a != 0:
        y = g.op("Sub", y, g.op("Mul", g.const(a), g.op("Relu", g.op("Sub", g.const(c), x))))
    return y


def _elu(g, x, alpha):
    negative = g.op("Mul", g.const(alpha), m.expm1(g, x))
    return g.where(g.op("Greater", x, g.const(0.0)), x, negative)


def _celu(g, x, alpha):  # max(x, 0) + min(0, alpha * expm1(x / alpha))
    inner = g.op("Mul", g.const(alpha), m.expm1(g, g.op("Div", x, g.const(alpha))))
    return g.op("Add", g.op("Max", x, g.const(0.0)), g.op("Min", g.const(0.0), inner))


def _gelu(g, x, approximate):
    half_x = g.op("Mul", g.const(0.5), x)
    if approximate:  # 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
        cube = g.op("Mul", g.op("Mul", g.op("Mul", g.const(0.044715), x), x), x)
        t = g.op("Tanh", g.op("Mul", g.const(0.7978845608028654), g.op("Add", x, cube)))
    else:  # 0.5 x (1 + erf(x / sqrt(2)))
        t = m.erf(g, g.op("Mul", x, g.const(0.7071067811865476)))
    return g.op("Mul", half_x, g.op("Add", g.const(1.0), t))


# No activation ends in a Mul/Div by a constant: onnxruntime folds such a node into the next
# MatMul as FusedMatMul's float `alpha` attribute, which rounds a float64 model's constant to
# float32 (1e-7 errors).


def _hard_sigmoid(g, x):
    # clip(x + 3, 0, 6) / 6 written as clip((x + 3) / 6, 0, 1): the same numbers (division is
    # monotone and 0/6, 6/6 are exact), ending in Clip.
    scaled = g.op("Div", g.op("Add", x, g.const(3.0)), g.const(6.0))
    return g.op("Clip", scaled, g.const(0.0), g.const(1.0))


def _selu(g, x):  # scale * elu(x, alpha), the scale applied in both branches
    scale = g.const(_SELU_SCALE)
    negative = g.op("Mul", scale, g.op("Mul", g.const(_SELU_ALPHA), m.expm1(g, x)))
    return g.where(g.op("Greater", x, g.const(0.0)), g.op("Mul", scale, x), negative)


def _squareplus(g, x, b):
    # (x + s) / 2 with s = sqrt(x^2 + b), written as b / (2 (s - x)) for x < 0 where it cancels.
    # (The engine takes s = hypot(x, sqrt(b)); x^2 here overflows past |x| ~ 1e19 in float32.)
    s = g.op("Sqrt", g.op("Add", g.op("Mul", x, x), g.const(b)))
    positive = g.op("Div", g.op("Add", x, s), g.const(2.0))
    negative = g.op("Div", g.const(b), g.op("Mul", g.const(2.0), g.op("Sub", s, x)))
    return g.where(g.op("GreaterOrEqual", x, g.const(0.0)), positive, negative)


def _tanh_shrink(g, x):
    # x - tanh(x) loses every digit near 0; there the engine uses x^3/3 - 2x^5/15 + 17x^7/315.
    x2 = g.op("Mul", x, x)
    poly = g.op("Add", g.const(-2.0 / 15.0), g.op("Mul", x2, g.const(17.0 / 315.0)))
    poly = g.op("Add", g.const(1.0 / 3.0), g.op("Mul", x2, poly))
    series = g.op("Mul", g.op("Mul", g.op("Mul", x, x), x), poly)
    small = g.op("Less", g.op("Abs", x), g.const(0.01))
    return g.where(small, series, g.op("Sub", x, g.op("Tanh", x)))


def _sparse_plus(g, x):  # 0 for x <= -1, x for x >= 1, (x + 1)^2 / 4 between
    x1 = g.op("Add", x, g.const(1.0))
    middle = g.op("Div", g.op("Mul", x1, x1), g.const(4.0))
    upper = g.where(g.op("GreaterOrEqual", x, g.const(1.0)), x, middle)
    return g.where(g.op("LessOrEqual", x, g.const(-1.0)), g.const(0.0), upper)


def _pointwise(g, x, name, a, b, c):
    def zero():  # created on use: an unused constant is a warning in onnxruntime
        return g.const(0.0)

    table = {
        "linear": lambda: g.op("Identity", x),
        "relu": lambda: _relu(g, x, a, b, c),
        "leaky_relu": lambda: g.where(g.op("GreaterOrEqual", x, zero()), x, g.op("Mul", g.const(a), x)),
        "relu6": lambda: g.op("Clip", x, zero(), g.const(6.0)),
        "elu": lambda: _elu(g, x, a),
        "selu": lambda: _selu(g, x),
        "celu": lambda: _celu(g, x, a),
        "exponential": lambda: g.op("Exp", x),
        "gelu": lambda: _gelu(g, x, a != 0),
        "hard_shrink": lambda: g.where(g.op("Greater", g.op("Abs", x), g.const(a)), x, zero()),
        "soft_shrink": lambda: g.op("Sub", x, g.op("Clip", x, g.const(-a), g.const(a))),
        "hard_sigmoid": lambda: _hard_sigmoid(g, x),
        # x * (clip(x + 3, 0, 6) / 6) rounds differently from the engine's (x * clip) / 6 by an ulp
        "hard_silu": lambda: g.op("Mul", x, _hard_sigmoid(g, x)),
        "hard_tanh": lambda: g.op("Clip", x, g.const(-1.0), g.const(1.0)),
        "sigmoid": lambda: m.sigmoid(g, x),
        "log_sigmoid": lambda: g.op("Neg", m.softplus(g, g.op("Neg", x))),
        "silu": lambda: g.op("Mul", x, m.sigmoid(g, x)),
        "softplus": lambda: m.softplus(g, x),
        "softsign": lambda: g.op("Div", x, g.op("Add", g.const(1.0), g.op("Abs", x))),
        "mish": lambda: g.op("Mul", x, g.op("Tanh", m.softplus(g, x))),
        "sparse_plus": lambda: _sparse_plus(g, x),
        "squareplus": lambda: _squareplus(g, x, a),
        "tanh": lambda: g.op("Tanh", x),
        "tanh_shrink": lambda: _tanh_shrink(g, x),
        "threshold": lambda: g.where(g.op("Greater", x, g.const(a)), x, g.const(b)),
        "step": lambda: g.op("Cast", g.op("GreaterOrEqual", x, zero()), to=g.elem_type),  # H(0) = 1
    }
    return table[name]() if name in table else None


def _sparsemax(g, x, axis, rank, size):
    """max(x - tau, 0), tau = (cumsum_k - 1) / k at the largest k with 1 + k z_(k) > cumsum_k
    over the values z sorted in decreasing order (as the engine computes it)."""
    ks_shape = [1] * rank  # k = 1..size along the axis, broadcast over the others
    ks_shape[axis] = size
    ks = g.const(np.arange(1, size + 1).reshape(ks_shape))
    ordered = g.op("TopK", x, g.const([size], np.int64), axis=axis, largest=1, sorted=1, outputs=2)[0]
    cumsum = g.op("CumSum", ordered, g.const(axis, np.int64))
    support = g.op("Greater", g.op("Add", g.const(1.0), g.op("Mul", ks, ordered)), cumsum)
    count = g.reduce("ReduceSum", g.op("Cast", support, to=g.onnx.TensorProto.INT64), axis)
    at_k = g.op("GatherElements", cumsum, g.op("Sub", count, g.const([1], np.int64)), axis=axis)
    tau = g.op("Div", g.op("Sub", at_k, g.const(1.0)), g.op("Cast", count, to=g.elem_type))
    return g.op("Relu", g.op("Sub", x, tau))


def describe(layer):
    """How errors name a layer: "layer 'conv2d' (Conv2D)"."""
    return f"layer '{layer.name}' ({type(layer).__name__})"


def emit(g, x, spec, shape, where):
    """The output of activation `spec` applied to tensor `x` of shape `shape` (batch first,
    as None). `where` names the layer in errors."""
    name, a, b, c, axis = spec
    a, b, c = _numbers(name, a, b, c)
    y = _pointwise(g, x, name, a, b, c)
    if y is not None:
        return y
    rank = len(shape)
    axis = -1 if axis is None else int(axis)
    if axis == 0 or not -rank <= axis < rank:
        raise ValueError(f"ONNX export: {where}: {name} axis {axis} is not a feature axis of shape {shape}")
    axis %= rank  # ONNX counts the batch axis too, as Keras does
    if name == "softmax":
        return g.op("Softmax", x, axis=axis)
    if name == "log_softmax":
        return g.op("LogSoftmax", x, axis=axis)
    if name == "sparsemax":
        return _sparsemax(g, x, axis, rank, shape[axis])
    if name == "glu":  # a * sigmoid(b), a and b the two halves of the axis
        half = shape[axis] // 2
        first, second = g.op("Split", x, g.const([half, half], np.int64), axis=axis, outputs=2)
        return g.op("Mul", first, m.sigmoid(g, second))
    raise ValueError(f"ONNX export: {where}: activation {name!r} has no ONNX conversion")
