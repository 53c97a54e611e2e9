"""Numerically careful compositions of ONNX ops for what ONNX lacks (expm1, log1p) or what
onnxruntime computes less carefully than the engine (sigmoid, softplus) or not at all in
float64 (Erf).

The engine's formulas are in cpp/kernels/cpu/activations_pointwise.cpp and
activations_impl.hpp; these follow them so the exported graph agrees with axon to float
rounding, also where a naive formula cancels (small |x| in exp(x) - 1, large negative x in
sigmoid).
"""

import math

import numpy as np


def expm1(g, x):
    """exp(x) - 1 as tanh(x / 2) * (exp(x) + 1): exact identity, no cancellation near 0."""
    half = g.op("Mul", x, g.const(0.5))
    return g.op("Mul", g.op("Tanh", half), g.op("Add", g.op("Exp", x), g.const(1.0)))


def log1p(g, u):
    """log(1 + u) for u >= 0 (Goldberg's trick): log(w) * u / (w - 1) with w = 1 + u rounded,
    which cancels the rounding of w; u itself where w rounds to 1."""
    one = g.const(1.0)
    w = g.op("Add", u, one)
    ratio = g.op("Div", g.op("Mul", g.op("Log", w), u), g.op("Sub", w, one))
    return g.where(g.op("Equal", w, one), u, ratio)


def softplus(g, x):
    """max(x, 0) + log1p(exp(-|x|)), the engine's stable_softplus (onnxruntime's Softplus
    has no float64 kernel and loses digits for very negative x)."""
    tail = log1p(g, g.op("Exp", g.op("Neg", g.op("Abs", x))))
    return g.op("Add", g.op("Max", x, g.const(0.0)), tail)


def sigmoid(g, x):
    """The engine's stable_sigmoid: exp of -|x| only, so 1 - p is never lost for x << 0."""
    e = g.op("Exp", g.op("Neg", g.op("Abs", x)))
    denom = g.op("Add", g.const(1.0), e)
    positive = g.op("Div", g.const(1.0), denom)
    negative = g.op("Div", e, denom)
    return g.where(g.op("GreaterOrEqual", x, g.const(0.0)), positive, negative)


# erf in float64, after CPython's former math.erf (Modules/mathmodule.c before 3.11): a
# power series below 1.5, a continued fraction for erfc above (zero from 30 on). Both
# unroll into a fixed number of ops; accurate to a few ulps.
_SERIES_CUTOFF, _SERIES_TERMS = 1.5, 25
_CONTFRAC_CUTOFF, _CONTFRAC_TERMS = 30.0, 50


def erf(g, x):
    """Erf for float32 models; the composition above for float64, where onnxruntime has no
    Erf kernel."""
    if g.dtype == np.float32:
        return g.op("Erf", x)
    ax = g.op("Abs", x)
    x2 = g.op("Mul", x, x)
    gauss = g.op("Div", g.op("Exp", g.op("Neg", x2)), g.const(math.sqrt(math.pi)))  # exp(-x^2) / sqrt(pi)
    # Series: acc = 2 + x2 * acc / fk, fk from terms + 0.5 down; erf = acc * x * gauss.
    acc = g.const(0.0)
    fk = _SERIES_TERMS + 0.5
    for _ in range(_SERIES_TERMS):
        acc = g.op("Add", g.const(2.0), g.op("Div", g.op("Mul", x2, acc), g.const(fk)))
        fk -= 1.0
    series = g.op("Mul", g.op("Mul", acc, x), gauss)
    # Continued fraction for erfc(|x|) = p / q * |x| * gauss (the recurrence's numbers a, da
    # are plain constants; only p and q depend on x).
    a, da = 0.0, 0.5
    p, p_last, q, q_last = g.const(1.0), g.const(0.0), g.op("Add", x2, g.const(da)), g.const(1.0)
    for _ in range(_CONTFRAC_TERMS):
        a += da
        da += 2.0
        b = g.op("Add", x2, g.const(da))
        p, p_last = g.op("Sub", g.op("Mul", b, p), g.op("Mul", g.const(a), p_last)), p
        q, q_last = g.op("Sub", g.op("Mul", b, q), g.op("Mul", g.const(a), q_last)), q
    erfc = g.op("Mul", g.op("Mul", g.op("Div", p, q), ax), gauss)
    erfc = g.where(g.op("GreaterOrEqual", ax, g.const(_CONTFRAC_CUTOFF)), g.const(0.0), erfc)
    one = g.const(1.0)
    tail = g.where(g.op("Greater", x, g.const(0.0)), g.op("Sub", one, erfc), g.op("Sub", erfc, one))
    return g.where(g.op("Less", ax, g.const(_SERIES_CUTOFF)), series, tail)
