"""axon.layers loads the layer families other than core (convolution, pooling, ...) on
first use; every public name still resolves, for attribute access, `from ... import` and
`import *`, and a saved conv model still loads in a fresh interpreter."""
import os
import subprocess
import sys

import axon

FAMILIES = ["activations", "convolutional", "convolutional_transpose", "depthwise", "normalization", "pooling",
            "reshaping", "spatial_dropout"]


def _run(code):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_import_axon_loads_only_the_core_layers():
    _run("import sys, axon\n"
         f"loaded = [m for m in {FAMILIES!r} if 'axon.layers.' + m in sys.modules]\n"
         "assert not loaded, loaded\n"
         "assert axon.layers.Dense and axon.layers.Flatten\n")


def test_every_public_layer_name_resolves():
    for name in axon.layers.__all__:
        assert callable(getattr(axon.layers, name)), name
    assert axon.layers.MaxPool2D is axon.layers.MaxPooling2D
    assert axon.layers.Conv3DTranspose.__module__ == "axon.layers.convolutional_transpose"
    assert set(axon.layers.__all__) <= set(dir(axon.layers))


def test_unknown_layer_name_raises_attribute_error():
    try:
        axon.layers.Conv4D
    except AttributeError as e:
        assert "Conv4D" in str(e) and "axon.layers" in str(e)
    else:
        raise AssertionError("axon.layers.Conv4D resolved")


def test_star_import_and_loading_a_conv_model_in_a_fresh_interpreter(tmp_path):
    path = tmp_path / "conv.keras"
    model = axon.Sequential([axon.Input((8, 8, 1)), axon.layers.Conv2D(2, 3), axon.layers.MaxPooling2D(),
                             axon.layers.Flatten(), axon.layers.Dense(3)])
    model.save(str(path))
    _run("from axon.layers import *\n"
         "assert Conv2D.__name__ == 'Conv2D' and BatchNormalization.__name__ == 'BatchNormalization'\n"
         f"import axon\nm = axon.saving.load_model({str(path)!r})\n"
         "assert [type(l).__name__ for l in m.layers] == ['Conv2D', 'MaxPooling2D', 'Flatten', 'Dense']\n")
