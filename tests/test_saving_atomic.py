"""Saves are atomic: SIGKILL in the middle of a save, or an error during one, leaves the
previous file loadable and intact."""

import os
import random
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

import axon
from axon import layers
from axon.saving.atomic import atomic_write

# Where this process imported axon from (the source tree in a dev build, site-packages after
# `pip install .` in CI): children must import the same one.
AXON_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(axon.__file__)))

# Saves version v (every weight equal to v) to PATH over and over, v = 0, 1, 2, ...
SAVER = """
import sys, numpy as np, axon
model = axon.Sequential([axon.Input((1000,)), axon.layers.Dense(1000), axon.layers.Dense(500)])
model.compile(optimizer="adam", loss="mse")
v = 0
while True:
    model.set_weights([np.full(w.shape, v, dtype=w.dtype) for w in model.get_weights()])
    model.save(sys.argv[1])
    v += 1
    print(v, flush=True)
"""


@pytest.mark.parametrize("round_", range(3))
def test_sigkill_during_save_leaves_a_complete_file(tmp_path, round_):
    path = tmp_path / "model.axon"
    env = dict(os.environ, PYTHONPATH=AXON_PARENT)
    child = subprocess.Popen([sys.executable, "-c", SAVER, str(path)], env=env, stdout=subprocess.PIPE)
    try:
        assert child.stdout.readline()  # the first save completed
        time.sleep(random.Random(round_).uniform(0.0, 0.3))  # then kill it at a random moment
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    model = axon.models.load_model(path)
    values = np.concatenate([w.ravel() for w in model.get_weights()])
    assert values.size == 1000 * 1000 + 1000 + 1000 * 500 + 500
    assert values.min() == values.max() and values[0] >= 0 and values[0] == int(values[0])


def test_an_error_during_a_save_keeps_the_previous_file(tmp_path):
    path = tmp_path / "m.axon"
    model = axon.Sequential([axon.Input((3,)), layers.Dense(2)])
    model.save(path)
    before = path.read_bytes()
    with pytest.raises(RuntimeError, match="disk full"):
        with atomic_write(path) as f:
            f.write(b"partial")
            raise RuntimeError("disk full")
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["m.axon"]
    with pytest.raises(ValueError, match="not JSON-serializable"):
        axon.saving.save_model(model, path, training_state={"callback": object()})
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["m.axon"]


def test_overwrite_false_and_file_mode(tmp_path):
    path = tmp_path / "m.axon"
    model = axon.Sequential([axon.Input((3,)), layers.Dense(2)])
    model.save(path)
    assert os.stat(path).st_mode & 0o777 == 0o666 & ~_umask()
    with pytest.raises(FileExistsError):
        axon.saving.save_model(model, path, overwrite=False)


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask
