"""ONNX export of ZeroPadding (Pad), Cropping (Slice), UpSampling (Reshape/Expand for
nearest, Resize for bilinear) and SpatialDropout (Identity): onnx.checker (full) passes and
onnxruntime agrees with axon in float32 and float64."""

import pytest

from onnx_helpers import assert_agrees, export_checked, onnx, randomize  # skips without onnx / onnxruntime

import axon
from axon import layers as L

STACKS = {
    "one_d": ((8, 3), lambda: [L.ZeroPadding1D((2, 1)), L.Cropping1D((1, 2)), L.UpSampling1D(3),
                               L.SpatialDropout1D(0.3), L.ZeroPadding1D(1, data_format="channels_first"),
                               L.Dense(4)]),
    "two_d": ((5, 6, 3), lambda: [L.ZeroPadding2D(((1, 0), (2, 1))), L.Cropping2D(((0, 1), (1, 1))),
                                  L.UpSampling2D((2, 3)), L.SpatialDropout2D(0.4), L.Dense(2)]),
    "bilinear": ((5, 4, 3), lambda: [L.Dense(2), L.UpSampling2D((2, 3), interpolation="bilinear"),
                                     L.UpSampling2D((1, 2), interpolation="bilinear")]),
    "channels_first": ((3, 4, 5), lambda: [
        L.ZeroPadding2D(1, data_format="channels_first"),
        L.UpSampling2D((3, 2), data_format="channels_first", interpolation="bilinear"),
        L.Cropping2D(((2, 1), (0, 3)), data_format="channels_first"),
        L.SpatialDropout2D(0.5, data_format="channels_first"), L.UpSampling2D(2, data_format="channels_first")]),
    "three_d": ((3, 4, 2, 2), lambda: [
        L.Dense(3), L.ZeroPadding3D(((1, 0), (0, 1), (1, 1))), L.UpSampling3D((1, 2, 3)),
        L.Cropping3D(((0, 1), (1, 1), (0, 1))),
        L.SpatialDropout3D(0.2), L.ZeroPadding3D(1, data_format="channels_first"),
        L.Cropping3D(((1, 0), (0, 1), (1, 1)), data_format="channels_first"),
        L.UpSampling3D(2, data_format="channels_first")]),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", sorted(STACKS))
def test_export_agrees_with_onnxruntime(name, dtype, tmp_path, rng):
    axon.config.set_floatx(dtype)
    shape, stack = STACKS[name]
    model = axon.Sequential([axon.Input(shape)] + stack())
    randomize(model, rng)
    # Inputs of order 1 (not the helper's 2): a bilinear blend of values of both signs that
    # lands near 0 keeps only absolute accuracy, and Keras' (PyTorch's) source coordinates
    # scale by in/out rounded to float32 where onnxruntime divides by the factor.
    assert_agrees(model, tmp_path / "m.onnx", rng, scale=0.5)


def test_the_ops_used(tmp_path):
    model = axon.Sequential([axon.Input((4, 4, 2)), L.ZeroPadding2D(1), L.Cropping2D(1), L.UpSampling2D(2),
                             L.UpSampling2D(2, interpolation="bilinear"), L.SpatialDropout2D(0.5)])
    export_checked(model, tmp_path / "m.onnx")
    ops = [node.op_type for node in onnx.load(str(tmp_path / "m.onnx")).graph.node]
    assert ops == ["Pad", "Slice", "Reshape", "Expand", "Reshape", "Resize", "Identity", "Identity"]
