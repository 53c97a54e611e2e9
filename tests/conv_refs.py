"""PyTorch references for the convolution and pooling layers (channels_last <-> NC...)."""

import numpy as np

torch = None


def _torch():
    global torch
    if torch is None:
        import pytest

        torch = pytest.importorskip("torch")
    return torch


def to_ncx(x):
    """(N, *spatial, C) -> (N, C, *spatial)"""
    return np.moveaxis(x, -1, 1)


def from_ncx(x):
    return np.moveaxis(x, 1, -1)


def same_pads(in_sizes, k, strides, dilation, padding):
    """(before, after) per spatial axis, as Keras/TF pad."""
    pads = []
    for n, kk, s, d in zip(in_sizes, k, strides, dilation):
        span = (kk - 1) * d + 1
        if padding == "valid":
            pads.append((0, 0))
        elif padding == "causal":
            pads.append((span - 1, 0))
        else:
            out = -(-n // s)
            total = max((out - 1) * s + span - n, 0)
            pads.append((total // 2, total - total // 2))
    return pads


def _pad(t, pads, value=0.0):
    flat = []
    for before, after in reversed(pads):  # F.pad takes the last axis first
        flat += [before, after]
    return _torch().nn.functional.pad(t, flat, value=value)


def conv(x, kernel, bias, strides, padding, dilation, groups, activation=None):
    """Keras-layout x (N, *s, C) and kernel (*k, C/g, F) -> (y, forward-fn) in Keras layout,
    with the torch tensors to read gradients from."""
    T = _torch()
    F = T.nn.functional
    rank = x.ndim - 2
    xt = T.tensor(to_ncx(x), requires_grad=True)
    wt = T.tensor(np.ascontiguousarray(np.transpose(kernel, (rank + 1, rank) + tuple(range(rank)))),
                  requires_grad=True)
    bt = None if bias is None else T.tensor(bias, requires_grad=True)
    pads = same_pads(x.shape[1:-1], kernel.shape[:rank], strides, dilation, padding)
    op = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}[rank]
    y = op(_pad(xt, pads), wt, bt, stride=tuple(strides), dilation=tuple(dilation), groups=groups)
    if activation == "relu":
        y = T.relu(y)
    elif activation == "tanh":
        y = T.tanh(y)
    return y, xt, wt, bt


def pool(x, kind, pool_size, strides, padding):
    T = _torch()
    F = T.nn.functional
    rank = x.ndim - 2
    xt = T.tensor(to_ncx(x), requires_grad=True)
    pads = same_pads(x.shape[1:-1], pool_size, strides, [1] * rank, padding)
    if kind == "max":
        op = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}[rank]
        y = op(_pad(xt, pads, value=-np.inf), tuple(pool_size), tuple(strides))
    else:  # the mean over the taps inside the input: sum(x) / count(valid)
        op = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}[rank]
        ones = T.ones_like(xt)
        y = op(_pad(xt, pads), tuple(pool_size), tuple(strides)) / op(_pad(ones, pads), tuple(pool_size),
                                                                         tuple(strides))
    return y, xt


def grads_of(y, dy_keras, *tensors):
    """Backward from a Keras-layout output gradient; the gradients of `tensors` (None kept)."""
    T = _torch()
    y.backward(T.tensor(to_ncx(dy_keras)))
    return [None if t is None else t.grad.numpy() for t in tensors]


def torch_kernel_grad_to_keras(g, rank):
    """(F, C/g, *k) -> (*k, C/g, F)"""
    return np.transpose(g, tuple(range(2, rank + 2)) + (1, 0))
