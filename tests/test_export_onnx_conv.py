"""ONNX export of the convolution and pooling layers: onnx.checker (full) passes and
onnxruntime agrees with model.predict at batch 1, 7 and 64 over a grid of 1-D/2-D/3-D
layers (strides, same/valid/causal, dilation, groups, channels_first, every pooling kind)
and the MNIST convnet. onnxruntime has no float64 Conv/AveragePool kernels, so float64
graphs run in onnx's reference evaluator instead. Skipped without onnx/onnxruntime."""

import numpy as np
import pytest

from onnx_helpers import assert_agrees, assert_reference_agrees, onnx  # skips without onnx / onnxruntime
from test_conv_api import convnet  # Keras' simple MNIST convnet

import axon
from axon import layers as L
from axon.export import onnx_spatial

CF = dict(data_format="channels_first")

CONV = {
    "1d_valid": ((11, 3), lambda: L.Conv1D(4, 3)),
    "1d_same_strided": ((11, 3), lambda: L.Conv1D(5, 4, strides=2, padding="same", activation="relu")),
    "1d_causal_dilated": ((12, 2), lambda: L.Conv1D(3, 3, padding="causal", dilation_rate=2, activation="tanh")),
    "1d_causal_strided": ((9, 2), lambda: L.Conv1D(3, 4, strides=3, padding="causal")),
    "1d_groups": ((10, 6), lambda: L.Conv1D(9, 2, groups=3, padding="same")),
    "1d_channels_first": ((3, 10), lambda: L.Conv1D(4, 3, strides=2, padding="same", **CF)),
    "1d_softmax": ((8, 3), lambda: L.Conv1D(4, 2, activation="softmax")),
    "2d_valid": ((9, 8, 4), lambda: L.Conv2D(6, (3, 2))),
    "2d_same_strided": ((9, 8, 3), lambda: L.Conv2D(4, (3, 4), strides=(2, 3), padding="same", activation="gelu")),
    "2d_dilated_groups": ((10, 9, 4), lambda: L.Conv2D(6, 3, dilation_rate=(2, 1), groups=2, use_bias=False)),
    "2d_channels_first": ((3, 9, 7), lambda: L.Conv2D(4, 3, strides=2, padding="same", activation="elu", **CF)),
    "2d_cf_dilated_groups": ((4, 9, 9), lambda: L.Conv2D(8, 2, dilation_rate=3, groups=4, **CF)),
    "2d_softmax": ((6, 6, 2), lambda: L.Conv2D(5, 3, padding="same", activation="softmax")),
    "2d_cf_softmax": ((2, 6, 6), lambda: L.Conv2D(5, 3, activation="log_softmax", **CF)),
    "2d_1x1": ((5, 5, 7), lambda: L.Conv2D(3, 1)),
    "3d_valid": ((5, 6, 4, 2), lambda: L.Conv3D(3, (2, 3, 2))),
    "3d_same_strided": ((5, 6, 7, 2), lambda: L.Conv3D(4, 3, strides=(1, 2, 3), padding="same", activation="selu")),
    "3d_groups_dilated": ((6, 6, 5, 4), lambda: L.Conv3D(4, 2, dilation_rate=(1, 2, 2), groups=2)),
    "3d_channels_first": ((2, 5, 6, 4), lambda: L.Conv3D(3, 2, strides=2, padding="same", **CF)),
}

POOL = {
    f"{kind}{rank}d_{name}": ((9, 8, 7, 3)[-rank - 1:] if "cf" not in name else (3, 9, 8, 7)[:rank + 1],
                              lambda kind=kind, rank=rank, args=args: getattr(L, f"{kind}Pooling{rank}D")(**args))
    for kind in ("Max", "Average") for rank in (1, 2, 3)
    for name, args in {
        "default": {},
        "valid_strided": dict(pool_size=3, strides=2),
        # pool 3, stride 2 over 9/8/7: uneven 'same' padding, where averages count the taps inside only
        "same": dict(pool_size=3, strides=2, padding="same"),
        "same_overlapping": dict(pool_size=2, strides=1, padding="same"),
        "cf_same": dict(pool_size=3, strides=2, padding="same", **CF),
    }.items()
}

GLOBAL = {
    f"Global{kind}{rank}d_{keep}_{fmt}": ((6, 5, 4, 3)[-rank - 1:],
                                          lambda kind=kind, rank=rank, keep=keep, fmt=fmt: getattr(
                                              L, f"Global{kind}Pooling{rank}D")(keepdims=keep, data_format=fmt))
    for kind in ("Max", "Average") for rank in (1, 2, 3) for keep in (False, True)
    for fmt in ("channels_last", "channels_first")
}


def randomize(model, rng):
    """Kernels with std 1/sqrt(fan-in), biases 0.5: outputs of order 1 at every depth, so the
    1e-5 relative bar is not lost to the cancellation of large terms (float32 sums of terms
    of order 10 that cancel to 0.02 differ in the 6th digit between two correct orders)."""
    model.set_weights([rng.standard_normal(w.shape) * (1 / np.sqrt(np.prod(w.shape[:-1])) if w.ndim > 1 else 0.5)
                       for w in model.get_weights()])


def _single(input_shape, make):
    return axon.Sequential([axon.Input(input_shape), make()])


@pytest.mark.parametrize("case", list(CONV) + list(POOL))
def test_conv_and_pooling_layers(case, tmp_path, rng):
    input_shape, make = {**CONV, **POOL}[case]
    model = _single(input_shape, make)
    randomize(model, rng)
    assert_agrees(model, tmp_path / "m.onnx", rng, scale=1.0)


@pytest.mark.parametrize("opset", [17, 18])
@pytest.mark.parametrize("case", list(GLOBAL))
def test_global_pooling(case, opset, tmp_path, rng):
    # opset 18 moved ReduceMax/ReduceMean's axes from an attribute to an input.
    model = _single(*GLOBAL[case])
    assert_agrees(model, tmp_path / "m.onnx", rng, opset_version=opset)


def test_mnist_convnet(tmp_path, rng):
    model = convnet()
    x = rng.standard_normal((64, 28, 28, 1)).astype("float32")
    y = np.eye(10, dtype="float32")[rng.integers(0, 10, 64)]
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    assert_agrees(model, tmp_path / "mnist.onnx", rng)
    # The channels_last layers transpose once in and once out; between them the pairs cancel.
    ops = [node.op_type for node in onnx.load(str(tmp_path / "mnist.onnx")).graph.node]
    assert ops.count("Transpose") == 2 and ops.index("Transpose") == 0


STACKS = {
    "1d": lambda: [axon.Input((20, 3)), L.Conv1D(4, 3, padding="causal", dilation_rate=2, activation="relu"),
                   L.MaxPooling1D(2), L.Conv1D(6, 3, groups=2, padding="same"), L.AveragePooling1D(3, 2, "same"),
                   L.GlobalMaxPooling1D(keepdims=True), L.Flatten(), L.Dense(2)],
    "2d_mixed_formats": lambda: [axon.Input((10, 9, 2)), L.Conv2D(4, 3, padding="same", activation="relu"),
                                 L.Conv2D(4, 2, **CF), L.MaxPooling2D(2, padding="same"),
                                 L.AveragePooling2D(2, strides=1, **CF), L.GlobalAveragePooling2D()],
    "3d": lambda: [axon.Input((6, 6, 6, 2)), L.Conv3D(3, 2, activation="sigmoid"), L.AveragePooling3D(2),
                   L.Conv3D(2, 1, padding="same"), L.GlobalAveragePooling3D()],
}


@pytest.mark.parametrize("stack", list(STACKS))
def test_stacks(stack, tmp_path, rng):
    model = axon.Sequential(STACKS[stack]())
    randomize(model, rng)
    assert_agrees(model, tmp_path / "m.onnx", rng, scale=1.0)


@pytest.mark.parametrize("stack", ["1d", "3d"])
def test_float64_in_the_reference_evaluator(stack, tmp_path, rng):
    axon.config.set_floatx("float64")
    model = axon.Sequential(STACKS[stack]())
    randomize(model, rng)
    assert_reference_agrees(model, tmp_path / "m.onnx", rng)


@pytest.mark.parametrize("spatial,size,strides,dilation,padding,pads", [
    ((9,), (3,), (2,), (1,), "valid", [0, 0]),
    ((9,), (3,), (2,), (1,), "same", [1, 1]),
    ((8,), (3,), (2,), (1,), "same", [0, 1]),  # the odd pad goes at the end, as in Keras
    ((8, 7), (4, 1), (1, 1), (1, 1), "same", [1, 0, 2, 0]),
    ((10,), (3,), (1,), (2,), "causal", [4, 0]),
    ((6,), (1,), (4,), (1,), "same", [0, 0]),  # the windows already cover the input: no pad
])
def test_window_pads(spatial, size, strides, dilation, padding, pads):
    assert onnx_spatial.window_pads(spatial, size, strides, dilation, padding) == pads


def test_kernel_layout():
    kernel = np.arange(2 * 3 * 4 * 5).reshape(2, 3, 4, 5)  # (kh, kw, in, out)
    onnx_kernel = onnx_spatial.kernel_to_onnx(kernel)
    assert onnx_kernel.shape == (5, 4, 2, 3) and onnx_kernel[4, 1, 0, 2] == kernel[0, 2, 1, 4]
