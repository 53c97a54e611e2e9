"""The engine's thread count: adaptive by default (train/thread_tuner.hpp), exact when the user
sets it (set_num_threads or OMP_NUM_THREADS), the same numbers either way, and joblib's
workers not oversubscribing the cores."""

import os
import subprocess
import sys

import numpy as np
import pytest

import axon
from axon import _core, layers


def child(code, **env_vars):
    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    env.update(env_vars, PYTHONPATH=os.pathsep.join(sys.path))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def test_the_default_adapts_and_omp_num_threads_fixes_the_count():
    code = "from axon import _core; print(_core.adaptive_threads(), _core.get_num_threads())"
    adaptive, count = child(code)
    assert adaptive == "True" and int(count) == len(os.sched_getaffinity(0))
    assert child(code, OMP_NUM_THREADS="1") == ["False", "1"]
    assert child(code, OMP_NUM_THREADS="3") == ["False", "3"]


def test_set_num_threads_fixes_the_count_and_zero_restores_the_adaptive_default():
    before = (_core.adaptive_threads(), _core.get_num_threads())
    try:
        _core.set_num_threads(1)
        assert (_core.adaptive_threads(), _core.get_num_threads()) == (False, 1)
        _core.set_num_threads(0)
        assert _core.adaptive_threads() is True
        with pytest.raises(ValueError, match=r"set_num_threads: expected a positive thread count .*got -2"):
            _core.set_num_threads(-2)
    finally:
        _core.set_num_threads(0 if before[0] else before[1])


def _mlp(seed=3):
    axon.utils.set_random_seed(seed)
    m = axon.Sequential([layers.Input((20,)), layers.Dense(64, activation="relu"), layers.Dense(3, activation="softmax")])
    m.compile("adam", "sparse_categorical_crossentropy")
    return m


def test_the_thread_count_never_changes_the_numbers():
    x = np.random.default_rng(0).normal(size=(3000, 20)).astype("float32")
    y = (x[:, 0] > 0).astype("int64") + (x[:, 1] > 0)
    weights = {}
    try:
        for n in (1, 2, 0):  # fixed 1, fixed 2, adaptive (switches counts between batches)
            _core.set_num_threads(n)
            m = _mlp()
            m.fit(x, y, batch_size=64, epochs=2, verbose=0)
            weights[n] = m.get_weights()
    finally:
        _core.set_num_threads(0)
    for n in (2, 0):
        assert all(np.array_equal(a, b) for a, b in zip(weights[1], weights[n])), n


# The adaptive choice, fed simulated batch times (no clock): a phase is (batches, {threads:
# seconds per row}); idle, 2 threads are twice as fast; loaded, a preempted team of 2 waits
# out other processes' time slices and runs 10x slower than 1 thread.
IDLE = {1: 2e-6, 2: 1e-6}
LOADED = {1: 2e-6, 2: 2e-5}


def _seconds(counts, phase_times, rows):
    return sum(phase_times[n] * rows for n in counts)


@pytest.mark.parametrize("rows", [32, 1024])
def test_the_tuner_keeps_the_fastest_count_idle_and_loaded(rows):
    batches = int(20 / (1e-6 * rows))  # ~20 s of training at the idle speed
    for times, best in ((IDLE, 2), (LOADED, 1)):
        counts = _core.simulate_thread_tuner(2, rows, [(batches, times)])
        assert len(counts) == batches and set(counts) == {1, 2}  # it probes both
        spent = _seconds(counts, times, rows)
        at_best = times[best] * rows * batches
        assert at_best / spent >= 0.97, (times, at_best / spent)  # probing costs < 3%


def test_the_tuner_follows_load_that_comes_and_goes():
    rows = 1024
    phase = int(20 / (1e-6 * rows))  # ~20 s idle, ~40 s loaded, ~20 s idle
    counts = _core.simulate_thread_tuner(2, rows, [(phase, IDLE), (phase, LOADED), (phase, IDLE)])
    for k, times in enumerate((IDLE, LOADED, IDLE)):
        part = counts[k * phase:(k + 1) * phase]
        best = min(times, key=times.get)
        assert times[best] * rows * phase / _seconds(part, times, rows) >= 0.8, k  # the 0.8x target, per phase


def test_probing_a_count_that_loses_badly_stays_cheap_from_the_start():
    """Beside a busy process on 2 cores, batch 32 measured 67k samples/s at 1 thread and 1.1k at
    2 (bench/contention.py): each probe of 2 threads costs ~30 ms, so the stretches between
    probes lengthen at once (50x what a probe lost) instead of ramping up from 0.25 s."""
    rows, times = 32, {1: 1.5e-5, 2: 9e-4}
    batches = int(1.5 / (times[1] * rows))  # 1.5 s of training: a short fit
    counts = _core.simulate_thread_tuner(2, rows, [(batches, times)])
    assert times[1] * rows * batches / _seconds(counts, times, rows) >= 0.9


def test_the_tuner_with_one_core_never_probes():
    assert set(_core.simulate_thread_tuner(1, 32, [(100, {1: 1e-6})])) == {1}


sklearn = pytest.importorskip("sklearn")


def test_joblib_workers_split_the_cores_instead_of_oversubscribing():
    """cross_val_score(n_jobs=2) runs each fold in a loky worker, which joblib starts with
    OMP_NUM_THREADS = cpu_count // n_jobs: the engine there uses exactly that many threads."""
    joblib = pytest.importorskip("joblib")
    from sklearn.model_selection import cross_val_score

    from axon.wrappers import SKLearnClassifier

    def threads_in_worker(estimator, x, y):  # a scorer: runs in the worker, after fit
        from axon import _core as worker_core

        return float(worker_core.get_num_threads() * (1 if not worker_core.adaptive_threads() else -1))

    x = np.random.default_rng(0).normal(size=(120, 4)).astype("float32")
    y = (x[:, 0] > 0).astype("int64")

    def build(X, y):
        m = axon.Sequential([layers.Input((4,)), layers.Dense(8, activation="relu"), layers.Dense(2, activation="softmax")])
        m.compile("adam", "sparse_categorical_crossentropy")
        return m

    clf = SKLearnClassifier(model=build, fit_kwargs={"epochs": 1, "verbose": 0})
    scores = cross_val_score(clf, x, y, cv=2, n_jobs=2, scoring=threads_in_worker)
    assert list(scores) == [float(max(joblib.cpu_count() // 2, 1))] * 2
