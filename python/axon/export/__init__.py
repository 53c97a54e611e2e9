"""Exporting models for other runtimes (`model.export(path, format="onnx")`).

The ONNX exporter builds the graph with the `onnx` package, imported only when exporting:
axon itself does not depend on it.
"""

import os

FORMATS = ("onnx",)


def export_model(model, filepath, format="onnx", verbose=None, input_signature=None, **kwargs):
    """Writes `model` to `filepath` in `format` (Keras 3's Model.export arguments).
    Keyword: opset_version (ONNX opset, 17 by default)."""
    if format not in FORMATS:
        raise ValueError(f"export: format must be one of {', '.join(map(repr, FORMATS))}, got {format!r}")
    if input_signature is not None:
        raise ValueError("export: input_signature is not supported; the exported input is (batch, *input_shape) "
                         "of the built model, with a dynamic batch size")
    unknown = set(kwargs) - {"opset_version"}
    if unknown:
        raise TypeError(f"export: unexpected keyword argument(s) {', '.join(sorted(unknown))} for format {format!r}")
    from axon.export.onnx_export import export_onnx

    export_onnx(model, os.fspath(filepath), verbose=verbose, opset_version=kwargs.get("opset_version"))


__all__ = ["FORMATS", "export_model"]
