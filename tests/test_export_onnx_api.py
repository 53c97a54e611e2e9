"""ONNX export: the API around the graph (arguments, errors, opsets, atomic writes, the
dynamic batch dimension). Skipped without onnx/onnxruntime."""

import os
import sys

import numpy as np
import pytest

from onnx_helpers import assert_agrees, export_checked, onnx, randomize

import axon
from axon import layers as L


def small_model():
    return axon.Sequential([axon.Input((4,)), L.Dense(6, activation="relu"), L.Dense(2, activation="softmax")])


def test_batch_dimension_is_dynamic_and_shapes_are_declared(tmp_path):
    model = axon.Sequential([axon.Input((3, 4)), L.Flatten(), L.Dense(5)])
    export_checked(model, tmp_path / "m.onnx")
    graph = onnx.load(str(tmp_path / "m.onnx")).graph
    dims = lambda value: [d.dim_param or d.dim_value for d in value.type.tensor_type.shape.dim]  # noqa: E731
    assert [v.name for v in graph.input] == ["input"] and [v.name for v in graph.output] == ["output"]
    assert dims(graph.input[0]) == ["batch", 3, 4]
    assert dims(graph.output[0]) == ["batch", 5]
    assert graph.input[0].type.tensor_type.elem_type == onnx.TensorProto.FLOAT


def test_float64_model_exports_double(tmp_path):
    axon.config.set_floatx("float64")
    export_checked(small_model(), tmp_path / "m.onnx")
    graph = onnx.load(str(tmp_path / "m.onnx")).graph
    assert graph.input[0].type.tensor_type.elem_type == onnx.TensorProto.DOUBLE
    assert {t.data_type for t in graph.initializer if t.name.endswith(("kernel", "bias"))} == {onnx.TensorProto.DOUBLE}


def test_default_opset_is_17_and_newer_opsets_agree(tmp_path, rng):
    model = axon.Sequential([axon.Input((6,)), L.Dense(8, activation="sparsemax"), L.Dense(4, activation="gelu")])
    randomize(model, rng)
    export_checked(model, tmp_path / "default.onnx")
    assert onnx.load(str(tmp_path / "default.onnx")).opset_import[0].version == 17
    for opset in (18, min(21, onnx.defs.onnx_opset_version())):
        assert_agrees(model, tmp_path / f"opset{opset}.onnx", rng, opset_version=opset)
        assert onnx.load(str(tmp_path / f"opset{opset}.onnx")).opset_import[0].version == opset


@pytest.mark.parametrize("opset", [16, 10_000, "17", True])
def test_bad_opset(opset, tmp_path):
    with pytest.raises(ValueError, match="opset_version must be an integer from 17"):
        small_model().export(str(tmp_path / "m.onnx"), opset_version=opset)


def test_weights_are_named_after_layers(tmp_path):
    model = small_model()
    export_checked(model, tmp_path / "m.onnx")
    names = {t.name for t in onnx.load(str(tmp_path / "m.onnx")).graph.initializer}
    assert {"dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias"} <= names


def test_unsupported_layer_is_named(tmp_path):
    class Twice(L.Dense):  # builds something of its own: the exporter cannot know what
        def _add_to(self, core, input_node):
            return super()._add_to(core, input_node)

    model = axon.Sequential([axon.Input((4,)), L.Dense(3), Twice(2, name="twice")])
    with pytest.raises(ValueError, match=r"layer 'twice' \(Twice\) is not supported; the exporter converts .*Dense"):
        model.export(str(tmp_path / "m.onnx"))
    assert not os.path.exists(tmp_path / "m.onnx")


def test_subclass_that_only_adds_config_is_exported(tmp_path, rng):
    class Tagged(L.Dense):
        def get_config(self):
            return {**super().get_config(), "tag": "x"}

    model = axon.Sequential([axon.Input((4,)), Tagged(3, activation="tanh")])
    randomize(model, rng)
    assert_agrees(model, tmp_path / "m.onnx", rng)


def test_unbuilt_model(tmp_path):
    with pytest.raises(ValueError, match="model 'sequential' is not built"):
        axon.Sequential([L.Dense(3)]).export(str(tmp_path / "m.onnx"))


def test_bad_arguments(tmp_path):
    model = small_model()
    with pytest.raises(ValueError, match="format must be one of 'onnx', got 'tf_saved_model'"):
        model.export(str(tmp_path / "m"), format="tf_saved_model")
    with pytest.raises(ValueError, match="input_signature is not supported"):
        model.export(str(tmp_path / "m.onnx"), input_signature=[(None, 4)])
    with pytest.raises(TypeError, match="unexpected keyword argument.*dynamic_axes"):
        model.export(str(tmp_path / "m.onnx"), dynamic_axes={})


def test_missing_onnx_package(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "onnx", None)  # `import onnx` now raises ImportError
    with pytest.raises(ImportError, match="ONNX export needs the `onnx` package: pip install onnx"):
        small_model().export(str(tmp_path / "m.onnx"))


def test_verbose_prints_the_path(tmp_path, capsys):
    small_model().export(str(tmp_path / "m.onnx"), format="onnx")
    assert f"to '{tmp_path / 'm.onnx'}'" in capsys.readouterr().out
    small_model().export(tmp_path / "n.onnx", verbose=False)  # a Path works too
    assert capsys.readouterr().out == "" and os.path.exists(tmp_path / "n.onnx")


def test_failed_write_keeps_the_previous_file(tmp_path, monkeypatch):
    from axon.export import onnx_export

    path = tmp_path / "m.onnx"
    path.write_bytes(b"previous")

    class Exploding:
        def SerializeToString(self):
            raise RuntimeError("disk on fire")

        opset_import = ()

    monkeypatch.setattr(onnx_export, "to_onnx", lambda model, opset: Exploding())
    with pytest.raises(RuntimeError, match="disk on fire"):
        small_model().export(str(path), verbose=False)
    assert path.read_bytes() == b"previous"
    assert os.listdir(tmp_path) == ["m.onnx"]  # no temporary file left behind


def test_model_loaded_from_axon_file_exports(tmp_path, rng):
    model = small_model()
    randomize(model, rng)
    model.save(str(tmp_path / "m.axon"))
    loaded = axon.models.load_model(str(tmp_path / "m.axon"))
    assert_agrees(loaded, tmp_path / "m.onnx", rng)
    x = rng.standard_normal((3, 4)).astype("float32")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
