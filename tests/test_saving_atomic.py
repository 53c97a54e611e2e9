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


# Writes half a save to PATH through atomic_write, says so, then waits to be killed.
HALF_SAVER = """
import sys, time
from axon.saving.atomic import atomic_write
with atomic_write(sys.argv[1]) as f:
    f.write(b"x" * 100_000)
    f.flush()
    print("writing", flush=True)
    time.sleep(120)
"""


def _temporaries(directory, name):
    return sorted(n for n in os.listdir(directory) if n.startswith(f".{name}.") and n.endswith(".tmp"))


def test_the_next_save_removes_what_a_killed_save_left_and_nothing_else(tmp_path):
    path = tmp_path / "m.axon"
    env = dict(os.environ, PYTHONPATH=AXON_PARENT)
    killed = subprocess.Popen([sys.executable, "-c", HALF_SAVER, str(path)], env=env, stdout=subprocess.PIPE)
    alive = subprocess.Popen([sys.executable, "-c", HALF_SAVER, str(path)], env=env, stdout=subprocess.PIPE)
    try:
        assert killed.stdout.readline() == b"writing\n" and alive.stdout.readline() == b"writing\n"
        in_progress = _temporaries(tmp_path, "m.axon")
        assert len(in_progress) == 2 and all(".axon-save-" in n for n in in_progress)
        killed.send_signal(signal.SIGKILL)
        killed.wait()
        # Files that only look alike: the user's own, another path's, a name axon never makes.
        others = [".m.axon.mine.tmp", ".other.axon.axon-save-abcd1234.tmp", ".m.axon.axon-save-abcd1234.tmp.bak",
                  "m.axon.axon-save-abcd1234.tmp"]
        for name in others:
            (tmp_path / name).write_bytes(b"user data")
        model = axon.Sequential([axon.Input((3,)), layers.Dense(2)])
        model.save(path)
        remaining = set(os.listdir(tmp_path))
        left_by_alive = set(_temporaries(tmp_path, "m.axon")) & set(in_progress)
        assert len(left_by_alive) == 1, "the live writer's temporary file must stay"
        assert remaining == {"m.axon", *others, *left_by_alive}
        assert all((tmp_path / name).read_bytes() == b"user data" for name in others)
        loaded = axon.models.load_model(path)
        assert all(np.array_equal(a, b) for a, b in zip(loaded.get_weights(), model.get_weights()))
    finally:
        for child in (killed, alive):
            if child.poll() is None:
                child.send_signal(signal.SIGKILL)
                child.wait()
    model.save(path)  # the second writer is dead now: its file goes too
    assert set(os.listdir(tmp_path)) == {"m.axon", *others}


def test_stale_temporaries_pile_up_no_more(tmp_path):
    """A temporary file as a killed save leaves it (named by atomic_write, unlocked, non-empty)
    is removed by the next save, in every format; an empty one only once it is a minute old
    (its writer may not have locked it yet)."""
    model = axon.Sequential([axon.Input((3,)), layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    for name in ("m.axon", "m.keras", "m.weights.h5", "m.weights.axon"):
        stale = [tmp_path / f".{name}.axon-save-{tag}.tmp" for tag in ("a1b2c3d4", "zz_99xyz")]
        for tmp in stale:
            tmp.write_bytes(b"\0" * 4096)
        fresh_empty, old_empty = tmp_path / f".{name}.axon-save-empty001.tmp", tmp_path / f".{name}.axon-save-empty002.tmp"
        fresh_empty.write_bytes(b"")
        old_empty.write_bytes(b"")
        os.utime(old_empty, (time.time() - 3600, time.time() - 3600))
        (model.save_weights if ".weights." in name else model.save)(tmp_path / name)
        assert _temporaries(tmp_path, name) == [fresh_empty.name], name
        fresh_empty.unlink()
    assert sorted(os.listdir(tmp_path)) == ["m.axon", "m.keras", "m.weights.axon", "m.weights.h5"]
    axon.models.load_model(tmp_path / "m.keras")
