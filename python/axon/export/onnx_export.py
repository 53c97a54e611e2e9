"""A built Sequential model as an ONNX ModelProto, checked and written atomically.

The graph: input `input` of shape (batch, *input_shape) in the model's float dtype, one
group of nodes per layer (named after it), output `output`. The batch dimension is
symbolic, so any batch size runs.
"""

import numpy as np

from axon.export.onnx_builder import GraphBuilder
from axon.export.onnx_layers import converter_for
from axon.saving import model_io

DEFAULT_OPSET = 17
MIN_OPSET = 17
_PROTOBUF_LIMIT = 2**31 - 1  # one serialized protobuf message; larger needs ONNX external data


def import_onnx():
    try:
        import onnx
    except ImportError as e:
        raise ImportError("ONNX export needs the `onnx` package: pip install onnx "
                          "(and onnxruntime to run the exported model)") from e
    return onnx


def _check_opset(onnx, opset):
    newest = onnx.defs.onnx_opset_version()
    if isinstance(opset, bool) or not isinstance(opset, (int, np.integer)) or not MIN_OPSET <= opset <= newest:
        raise ValueError(f"ONNX export: opset_version must be an integer from {MIN_OPSET} to {newest} "
                         f"(this onnx package's newest), got {opset!r}")
    return int(opset)


def to_onnx(model, opset_version=None):
    """The ModelProto of a built Sequential `model` (checked with onnx.checker, full_check)."""
    onnx = import_onnx()
    opset = _check_opset(onnx, DEFAULT_OPSET if opset_version is None else opset_version)
    if not model.built:
        raise ValueError(f"ONNX export: model '{model.name}' is not built; build it (model.build(input_shape), "
                         "fit, or an Input first layer) before exporting")
    converters = [converter_for(layer) for layer in model.layers]  # refuse before doing any work
    g = GraphBuilder(onnx, model._dtype(), opset)
    x, shape = "input", model.input_shape
    for layer, convert in zip(model.layers, converters):
        g.scope = layer.name
        x, shape = convert(g, layer, x, shape), layer.output_shape
    g.scope = "graph"
    g.nodes.append(onnx.helper.make_node("Identity", [x], ["output"], name="output"))
    g.prune(["output"])  # e.g. the Transposes that cancelled between two channels_last layers
    dims = lambda s: ["batch"] + [int(d) for d in s[1:]]  # noqa: E731
    graph = onnx.helper.make_graph(
        g.nodes, model.name,
        [onnx.helper.make_tensor_value_info("input", g.elem_type, dims(model.input_shape))],
        [onnx.helper.make_tensor_value_info("output", g.elem_type, dims(model.output_shape))],
        g.initializers)
    opsets = [onnx.helper.make_opsetid("", opset)]
    proto = onnx.helper.make_model(graph, opset_imports=opsets, producer_name="axon",
                                   producer_version=model_io.axon_version())
    # The oldest IR version that carries this opset: older runtimes load the file too.
    proto.ir_version = onnx.helper.find_min_ir_version_for(opsets)
    if proto.ByteSize() > _PROTOBUF_LIMIT:
        raise ValueError(f"ONNX export: model '{model.name}' needs {proto.ByteSize()} bytes, over protobuf's "
                         "2 GiB limit for one file (external weight files are not supported yet)")
    onnx.checker.check_model(proto, full_check=True)
    return proto


def export_onnx(model, filepath, verbose=None, opset_version=None):
    from axon.saving.atomic import atomic_write

    proto = to_onnx(model, opset_version)
    with atomic_write(filepath) as f:
        f.write(proto.SerializeToString())
    if verbose is None or verbose:
        print(f"Saved ONNX model (opset {proto.opset_import[0].version}) to '{filepath}'")
