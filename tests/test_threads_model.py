"""Threads sharing one model: no crash, no corrupted weights, the results of a serial run.

Each scenario runs in a child process (tests/threads_hammer.py), so a crash fails the test
instead of killing pytest. Calls on one model take turns (axon.models.training's
one_call_at_a_time and the engine's per-model lock), so the outcome equals the same calls
made one after another.
"""

import json
import os
import subprocess
import sys
import threading

import numpy as np
import pytest

import axon
from axon import layers

HAMMER = os.path.join(os.path.dirname(__file__), "threads_hammer.py")
SCENARIOS = ["fit_evaluate", "fit_fit", "fit_predict", "predict_x4", "set_weights_during_fit",
             "save_during_fit", "compile_during_fit", "train_on_batch_and_get_weights"]


def run_scenario(name):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    child = subprocess.run([sys.executable, HAMMER, name], capture_output=True, text=True, env=env, timeout=240)
    assert child.returncode == 0, f"{name}: exit status {child.returncode}\n{child.stdout}\n{child.stderr[-3000:]}"
    return json.loads(child.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_threads_hammering_one_model(scenario):
    result = run_scenario(scenario)
    assert result["finite"] is True, result
    assert result.get("errors", []) == [], result
    assert result.get("finite_results", True) is True, result
    assert result["matches_serial"] is True, result
    if scenario == "fit_fit":
        assert result["iterations"] == result["serial_iterations"] == 2 * 2 * 64
    if scenario == "compile_during_fit":
        assert result["optimizer"] == "SGD"


def small_model():
    m = axon.Sequential([layers.Input((4,)), layers.Dense(8, activation="relu"), layers.Dense(1)])
    m.compile("sgd", "mse")
    return m


class _Gate(axon.callbacks.Callback):
    """Holds fit at the end of its first epoch until released."""

    def __init__(self):
        super().__init__()
        self.reached, self.release = threading.Event(), threading.Event()

    def on_epoch_end(self, epoch, logs=None):
        if epoch == 0:
            self.reached.set()
            assert self.release.wait(60)


def test_a_call_from_another_thread_waits_for_the_running_fit():
    m = small_model()
    x, y = np.ones((64, 4), "float32"), np.ones((64, 1), "float32")
    gate, order = _Gate(), []
    fitting = threading.Thread(target=lambda: (m.fit(x, y, epochs=2, verbose=0, callbacks=[gate]),
                                               order.append("fit")))
    fitting.start()
    assert gate.reached.wait(60)
    other = threading.Thread(target=lambda: (m.evaluate(x, y, verbose=0), order.append("evaluate")))
    other.start()
    other.join(0.5)
    waited = other.is_alive()  # still waiting: fit holds the model (it cannot finish before release)
    gate.release.set()
    fitting.join(60)
    other.join(60)
    assert waited and order == ["fit", "evaluate"]


def test_callbacks_inside_fit_may_call_the_model_on_its_thread():
    m = small_model()
    x, y = np.ones((64, 4), "float32"), np.ones((64, 1), "float32")
    seen = []

    class Reenter(axon.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):  # runs while the engine's loop holds its lock
            if batch == 0:
                seen.append(self.model.predict(x[:2], verbose=0).shape)
                seen.append(len(self.model.get_weights()))

        def on_epoch_end(self, epoch, logs=None):
            seen.append(np.isfinite(self.model.evaluate(x, y, verbose=0)))

    result = {}
    t = threading.Thread(target=lambda: result.update(h=m.fit(x, y, epochs=1, batch_size=16, verbose=0,
                                                             callbacks=[Reenter()])))
    t.start()
    t.join(60)
    assert not t.is_alive(), "fit deadlocked on a callback's call into its own model"
    assert seen == [(2, 1), 4, True] and len(result["h"].history["loss"]) == 1
