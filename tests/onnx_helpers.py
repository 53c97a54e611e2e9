"""Shared by the ONNX export tests: export a model, check it, run it in onnxruntime and
compare with axon's predict."""

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")

BATCH_SIZES = (1, 7, 64)
# Relative 1e-5 (the bar) in float32, with a 1e-6 absolute floor for values near 0:
# there float32 keeps only absolute accuracy in axon's own formulas (1 + erf(x) for x << 0,
# x - tanh(x) just above 0.01, a Dense output that sums to about zero), and two correct
# implementations differ by an ulp of the terms, not of the result.
TOLERANCE = {"float32": dict(rtol=1e-5, atol=1e-6), "float64": dict(rtol=1e-12, atol=1e-13)}


def export_checked(model, path, **kwargs):
    """Exports `model` to `path`, runs onnx.checker (full) on the file, returns a session."""
    model.export(str(path), format="onnx", verbose=False, **kwargs)
    onnx.checker.check_model(onnx.load(str(path)), full_check=True)
    options = ort.SessionOptions()
    options.log_severity_level = 3  # errors only: warnings would hide nothing we assert
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def assert_agrees(model, path, rng, scale=2.0, **kwargs):
    """onnxruntime's outputs match model.predict for every batch size in BATCH_SIZES."""
    session = export_checked(model, path, **kwargs)
    dtype = model._dtype()
    for n in BATCH_SIZES:
        x = (rng.standard_normal((n,) + tuple(model.input_shape[1:])) * scale).astype(dtype)
        want = model.predict(x, verbose=0)
        (got,) = session.run(None, {"input": x})
        assert got.dtype == dtype and got.shape == want.shape
        np.testing.assert_allclose(got, want, **TOLERANCE[dtype.name], err_msg=f"batch {n}")


def randomize(model, rng):
    """Non-trivial weights everywhere (biases and PReLU slopes are zeros by default)."""
    model.set_weights([rng.standard_normal(w.shape) * 0.5 for w in model.get_weights()])


def assert_reference_agrees(model, path, rng, batch=3):
    """For float64 graphs with ops onnxruntime has no float64 kernel for (Conv,
    ConvTranspose, AveragePool): onnx.checker (full) passes and onnx's reference evaluator
    matches model.predict to float64's tolerance."""
    from onnx.reference import ReferenceEvaluator

    model.export(str(path), format="onnx", verbose=False)
    onnx.checker.check_model(onnx.load(str(path)), full_check=True)
    x = rng.standard_normal((batch,) + tuple(model.input_shape[1:]))
    (got,) = ReferenceEvaluator(str(path)).run(None, {"input": x})
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, model.predict(x, verbose=0), **TOLERANCE["float64"])
