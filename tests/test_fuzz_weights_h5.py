"""Fuzzing the .weights.h5 reader (tests/fuzz_harness.py): byte-level mutations of a valid
Keras 3 weights file, loaded with model.load_weights from disk (the path users take). Every
input must load or raise FormatError naming the file; h5py's own KeyError, RuntimeError or
OSError from a damaged B-tree or heap must not escape."""

import numpy as np
import pytest

import axon
from axon import layers
from axon.saving import FormatError, keras_h5
from fuzz_harness import mutate_bytes, run


def _model():
    axon.utils.set_random_seed(4)
    return axon.Sequential([axon.Input((4,)), layers.Dense(3), layers.PReLU(), layers.Dense(2)])


MODEL = _model()
VALID = keras_h5.weights_bytes(MODEL, with_optimizer=False)


def test_weights_h5_bytes(tmp_path, capsys):
    path = tmp_path / "fuzz.weights.h5"

    def load(data):
        path.write_bytes(data)
        MODEL.load_weights(path)

    run(".weights.h5 bytes", lambda rng: mutate_bytes(rng, VALID), load, repr(str(path)), capsys)


def test_h5py_errors_from_a_damaged_file_become_format_errors(tmp_path, monkeypatch):
    """h5py raising KeyError or RuntimeError where HDF5 finds damage (what byte flips in the
    B-tree produced) is reported as FormatError naming the file and the object."""
    path = tmp_path / "w.weights.h5"
    path.write_bytes(VALID)
    model = _model()
    before = model.get_weights()
    for error in (KeyError("Unable to synchronously open object (bad symbol table node signature)"),
                  RuntimeError("Unable to get link info (bad local heap signature)")):
        def broken_len(self, error=error):
            raise error
        monkeypatch.setattr(keras_h5._h5py().Group, "__len__", broken_len)
        with pytest.raises(FormatError, match=rf"^{repr(str(path))}: /layers/dense/vars cannot be read, the HDF5 file "
                                              rf"is corrupted \({type(error).__name__}: .*signature"):
            model.load_weights(path)
    monkeypatch.undo()
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), before))  # left as it was
    model.load_weights(path)
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), MODEL.get_weights()))
