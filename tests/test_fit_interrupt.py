"""Ctrl-C during fit stops after the current batch: consistent weights, the history so far,
on_train_end called, and the process (and Python's own Ctrl-C handling) intact."""

import os
import signal
import subprocess
import sys
import textwrap
import time

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


# Slow batches: Dense(2048) -> Dense(2048) on 64 inputs, ~9 MFLOP a row forward.
SLOW = textwrap.dedent("""
    import sys, time
    import numpy as np
    import axon
    from axon import layers

    axon.utils.set_random_seed(0)
    rows = 1024
    x = np.random.default_rng(0).normal(size=(rows * 4, 64)).astype("float32")
    y = x[:, :8].copy()
    m = axon.Sequential([layers.Input((64,)), layers.Dense(2048, activation="relu"), layers.Dense(2048),
                         layers.Dense(8)])
    m.compile("sgd", "mse")
    m.predict(x[:256], batch_size=256, verbose=0)  # warm up
    t0 = time.perf_counter()
    m.predict(x[:256], batch_size=256, verbose=0)
    one_batch = time.perf_counter() - t0  # a forward pass of one 256-row batch
""")

FIT_TWICE = SLOW + textwrap.dedent("""
    class Stuck(axon.callbacks.Callback):
        # hangs (Python code) inside the engine loop's batch hook
        def on_train_batch_end(self, batch, logs=None):
            if batch == 1:
                print("IN_CALLBACK", flush=True)
                time.sleep(60)
        def on_train_end(self, logs=None):
            print("TRAIN_END", flush=True)

    try:
        m.fit(x, y, batch_size=256, epochs=10000, verbose=0, callbacks=[Stuck()])
        print("RETURNED", flush=True)
    except KeyboardInterrupt:
        print("KEYBOARD_INTERRUPT", flush=True)
    print("WEIGHTS_FINITE", all(np.isfinite(w).all() for w in m.get_weights()), flush=True)
""")


def _start(script):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    return subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
def test_a_second_ctrl_c_during_fit_raises_keyboard_interrupt():
    child = _start(FIT_TWICE)
    try:
        # Both signals arrive while fit runs: its callback hangs until the second one. The first
        # only sets fit's flag (the callback keeps sleeping); the second must raise.
        assert child.stdout.readline().strip() == "IN_CALLBACK"
        child.send_signal(signal.SIGINT)
        time.sleep(0.25)
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=120)
    finally:
        child.kill()
    lines = out.split()
    # Raised out of fit: neither the history returned nor on_train_end run; the weights are those
    # after a whole batch.
    assert out.splitlines() == ["KEYBOARD_INTERRUPT", "WEIGHTS_FINITE True"], (out, err)
    assert "TRAIN_END" not in lines and child.returncode == 0, (out, err)


LONG_CALL = SLOW + textwrap.dedent("""
    batches = 400  # far longer than the test waits
    big = np.concatenate([x[:256]] * batches)
    print("READY", flush=True)
    sys.stdin.readline()  # the parent sends the signal after this line
    t0 = time.perf_counter()
    try:
        if sys.argv[1] == "predict":
            m.predict(big, batch_size=256, verbose=0)
        else:
            m.evaluate(big, np.concatenate([y[:256]] * batches), batch_size=256, verbose=0)
        print("RETURNED", flush=True)
    except KeyboardInterrupt:
        print("KEYBOARD_INTERRUPT", time.perf_counter() - t0, one_batch, flush=True)
    try:  # Python's own handler is back
        print("SLEEPING", flush=True)
        time.sleep(60)
    except KeyboardInterrupt:
        print("HANDLER_BACK", flush=True)
""")


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
@pytest.mark.parametrize("call", ["predict", "evaluate"])
def test_ctrl_c_stops_a_long_predict_or_evaluate_after_the_current_batch(call):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    child = subprocess.Popen([sys.executable, "-c", LONG_CALL, call], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert child.stdout.readline().strip() == "READY"
        child.stdin.write("go\n")
        child.stdin.flush()
        time.sleep(0.5)
        child.send_signal(signal.SIGINT)
        first = child.stdout.readline().split()
        sleeping = child.stdout.readline().strip()
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=120)
    finally:
        child.kill()
    assert first and first[0] == "KEYBOARD_INTERRUPT", (first, out, err)
    elapsed, one_batch = float(first[1]), float(first[2])
    # 400 batches would take 400 * one_batch; it stopped within a few batches of the signal.
    assert elapsed < 0.5 + 100 * one_batch, (elapsed, one_batch)
    assert sleeping == "SLEEPING" and out.strip() == "HANDLER_BACK" and child.returncode == 0, (out, err)
