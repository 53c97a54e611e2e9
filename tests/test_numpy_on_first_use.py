"""`import axon` does not import NumPy (most of its import time); the modules it loads bind
`np` to a stand-in that imports NumPy on first attribute access and rebinds itself away."""
import os
import subprocess
import sys

import numpy

from axon._numpy_on_first_use import numpy_on_first_use


def _run(code):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_import_axon_leaves_numpy_unimported_until_first_use():
    _run("import sys, axon\n"
         "assert 'numpy' not in sys.modules, 'import axon imported numpy'\n"
         "m = axon.Sequential([axon.Input((3,)), axon.layers.Dense(2, activation='softmax')])\n"
         "m.compile(optimizer='sgd', loss='categorical_crossentropy', metrics=['accuracy'])\n"
         "h = m.fit([[0., 1., 2.], [1., 0., 1.]], [[1., 0.], [0., 1.]], epochs=2, verbose=0)\n"
         "assert 'numpy' in sys.modules and len(h.history['loss']) == 2\n"
         "import numpy\n"
         "p = m.predict_on_batch(numpy.ones((4, 3), numpy.float32))\n"
         "assert p.shape == (4, 2) and numpy.allclose(p.sum(axis=1), 1.0, atol=1e-6)\n"
         "used = [mod for name, mod in sys.modules.items() if name.startswith('axon') and 'np' in vars(mod)]\n"
         "stand_ins = [m.__name__ for m in used if m.np is not numpy]\n"
         "assert 'axon.models.training' in [m.__name__ for m in used]\n"
         # the training path's modules were all used above, so none still holds a stand-in
         # (axon.layers.base checks shapes with numbers.Integral and needs no NumPy there)
         "left = [n for n in stand_ins if n.startswith('axon.models')]\n"
         "assert not left, left\n")


def test_stand_in_forwards_attributes_and_rebinds_the_module_global():
    module_globals = {"__name__": "some_module"}
    module_globals["np"] = stand_in = numpy_on_first_use(module_globals)
    assert "some_module" in repr(stand_in)
    assert stand_in.float32 is numpy.float32
    assert module_globals["np"] is numpy
    # a second stand-in (another module) still forwards, whatever the first did
    other = {"__name__": "other"}
    other["np"] = numpy_on_first_use(other)
    assert other["np"].asarray([1, 2]).tolist() == [1, 2] and other["np"] is numpy


def test_missing_attribute_is_numpy_attribute_error():
    module_globals = {"__name__": "m"}
    stand_in = numpy_on_first_use(module_globals)
    try:
        stand_in.no_such_function
    except AttributeError as e:
        assert "no_such_function" in str(e)
    else:
        raise AssertionError("no AttributeError")
