"""Ctrl-C during fit stops after the current batch: consistent weights, the history so far,
on_train_end called, and the process (and Python's own Ctrl-C handling) intact."""

import os
import signal
import subprocess
import sys
import textwrap

import pytest

CHILD = textwrap.dedent("""
    import sys, time
    import numpy as np
    import axon
    from axon import layers

    x = np.random.default_rng(0).normal(size=(50000, 32)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    m = axon.Sequential([layers.Input((32,)), layers.Dense(64, activation="relu"), layers.Dense(1, activation="sigmoid")])
    m.compile("adam", "binary_crossentropy")

    class Signal(axon.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 0:
                print("EPOCH", flush=True)
        def on_train_end(self, logs=None):
            print("TRAIN_END", flush=True)

    history = m.fit(x, y, epochs=1000, verbose=0, callbacks=[Signal()])
    epochs = len(history.history["loss"])
    finite = all(np.isfinite(w).all() for w in m.get_weights())
    loss = m.evaluate(x[:100], y[:100], verbose=0)
    print("RESULT", epochs, m.optimizer.iterations, finite, np.isfinite(loss), flush=True)
    try:  # Python's handler is back: Ctrl-C now raises KeyboardInterrupt as usual
        print("SLEEPING", flush=True)
        time.sleep(30)
    except KeyboardInterrupt:
        print("KEYBOARD_INTERRUPT", flush=True)
""")


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
def test_ctrl_c_stops_fit_between_batches_and_returns_the_history():
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    child = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=env)
    try:
        assert child.stdout.readline().strip() == "EPOCH"
        child.send_signal(signal.SIGINT)
        lines = [child.stdout.readline().strip() for _ in range(3)]
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=60)
    finally:
        child.kill()
    assert lines[0] == "TRAIN_END", (lines, out, err)
    assert lines[1].startswith("RESULT") and len(lines[1].split()) == 5, (lines, out, err)
    tag, epochs, iterations, finite, finite_loss = lines[1].split()
    assert tag == "RESULT" and int(epochs) >= 1 and int(iterations) > 0
    assert finite == "True" and finite_loss == "True"
    assert lines[2] == "SLEEPING" and out.strip() == "KEYBOARD_INTERRUPT"
    assert "interrupted (Ctrl-C)" in err and child.returncode == 0
