"""PyTorch references for the transposed, depthwise and separable convolutions, in Keras
layouts (channels_last x, Keras kernels), built from torch's functional ops."""

import numpy as np

from conv_refs import _pad, _torch, same_pads, to_ncx


def transpose_output_size(n, k, s, d, padding, output_padding):
    """Keras' output size of a transposed convolution on one axis (TensorFlow's rule)."""
    span = (k - 1) * d + 1
    if padding == "valid":
        return (n - 1) * s + span + (max(span, s) - span if output_padding is None else output_padding)
    return n * s if output_padding is None else (n - 1) * s + span % 2 + output_padding


def _keras_to_torch_kernel(T, kernel, rank):
    """(*k, a, b) -> (b, a, *k)"""
    return T.tensor(np.ascontiguousarray(np.transpose(kernel, (rank + 1, rank) + tuple(range(rank)))),
                    requires_grad=True)


def conv_transpose(x, kernel, bias, strides, padding, dilation, output_padding):
    """x (N, *s, C), kernel (*k, F, C) -> (y NC..., xt, wt, bt): torch's full transposed
    convolution (no padding), cropped to Keras' output window: 'same' drops TF's padding
    before, and the end is cropped or zero-extended to Keras' size; then the bias."""
    T = _torch()
    F = T.nn.functional
    rank = x.ndim - 2
    xt = T.tensor(to_ncx(x), requires_grad=True)
    wt = _keras_to_torch_kernel(T, kernel, rank)  # (C, F, *k): torch's (in, out, *k)
    bt = None if bias is None else T.tensor(bias, requires_grad=True)
    op = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}[rank]
    full = op(xt, wt, None, stride=tuple(strides), dilation=tuple(dilation))
    y = full
    for axis in range(rank):
        n, k, s, d = x.shape[1 + axis], kernel.shape[axis], strides[axis], dilation[axis]
        opad = None if output_padding is None else output_padding[axis]
        out = transpose_output_size(n, k, s, d, padding, opad)
        span = (k - 1) * d + 1
        before = max((n - 1) * s + span - out, 0) // 2 if padding == "same" else 0
        dim = 2 + axis
        have = y.shape[dim] - before
        y = y.narrow(dim, before, min(out, have))
        if have < out:
            pads = [(0, 0)] * rank
            pads[axis] = (0, out - have)
            y = _pad(y, pads)
    if bt is not None:
        y = y + bt.reshape((1, -1) + (1,) * rank)
    return y, xt, wt, bt


def depthwise(x, kernel, bias, strides, padding, dilation, pointwise=None):
    """x (N, *s, C), kernel (*k, C, M) [, pointwise (*1, C*M, F)] -> (y NC..., xt, wt, [pt,] bt)
    as conv with groups=C (and a 1x1 conv after it for separable)."""
    T = _torch()
    F = T.nn.functional
    rank = x.ndim - 2
    c, m = kernel.shape[-2:]
    op = {1: F.conv1d, 2: F.conv2d}[rank]
    xt = T.tensor(to_ncx(x), requires_grad=True)
    wt = T.tensor(kernel, requires_grad=True)
    bt = None if bias is None else T.tensor(bias, requires_grad=True)
    # (*k, C, M) -> (C*M, 1, *k): output channel c*M + j reads input channel c.
    w = wt.reshape(tuple(kernel.shape[:rank]) + (1, c * m)).permute((rank + 1, rank) + tuple(range(rank)))
    pads = same_pads(x.shape[1:-1], kernel.shape[:rank], strides, dilation, padding)
    y = op(_pad(xt, pads), w, None if pointwise is not None else bt, stride=tuple(strides),
           dilation=tuple(dilation), groups=c)
    if pointwise is None:
        return y, xt, wt, bt
    pt = _keras_to_torch_kernel(T, pointwise, rank)
    return op(y, pt, bt), xt, wt, pt, bt
