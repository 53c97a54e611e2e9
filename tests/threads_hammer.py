"""Child process of test_threads_model.py: threads hammering one model.

`python threads_hammer.py SCENARIO` runs the scenario and prints one JSON line. A crash
(segfault, double free) kills only this process, and the test sees its exit status.
Each scenario compares what the threads left with the same calls made one after another
on an identical model (same seed, same data, same order).
"""

import json
import sys
import threading

import numpy as np

import axon
from axon import layers

N, D = 2048, 16
RNG = np.random.default_rng(0)
X = RNG.normal(size=(N, D)).astype("float32")
Y = (X[:, :3].sum(axis=1) > 0).astype("float32")
X_BIG = RNG.normal(size=(8192, D)).astype("float32")  # big enough that predict releases the GIL


def new_model():
    axon.utils.set_random_seed(7)
    m = axon.Sequential([layers.Input((D,)), layers.Dense(64, activation="relu"), layers.Dense(64, activation="relu"),
                         layers.Dense(1, activation="sigmoid")])
    m.compile("adam", "binary_crossentropy", metrics=["accuracy"])
    return m


def fit(m, epochs=2):
    return m.fit(X, Y, batch_size=32, epochs=epochs, verbose=0)


def finite(m):
    return bool(all(np.isfinite(w).all() for w in m.get_weights()))


def same_weights(a, b):
    return bool(all(np.allclose(u, v, rtol=1e-5, atol=1e-6) for u, v in zip(a.get_weights(), b.get_weights())))


def run_threads(*targets):
    errors = []

    def guarded(fn):
        def run():
            try:
                fn()
            except BaseException as e:  # noqa: BLE001 - reported to the parent
                errors.append(f"{type(e).__name__}: {e}")
        return run

    threads = [threading.Thread(target=guarded(fn)) for fn in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def while_alive(thread_fn, fn):
    """Runs thread_fn in a thread and fn repeatedly on this one until it ends; fn's results."""
    t = threading.Thread(target=thread_fn)
    t.start()
    results = []
    while t.is_alive():
        results.append(fn())
    t.join()
    return results


def scenario_fit_evaluate():
    m, serial = new_model(), new_model()
    losses = while_alive(lambda: fit(m), lambda: m.evaluate(X, Y, batch_size=256, verbose=0)[0])
    fit(serial)
    return {"finite": finite(m), "calls": len(losses), "finite_results": bool(np.isfinite(losses).all()),
            "matches_serial": same_weights(m, serial)
            and bool(np.allclose(m.evaluate(X, Y, verbose=0), serial.evaluate(X, Y, verbose=0), rtol=1e-5))}


def scenario_fit_fit():
    m, serial = new_model(), new_model()
    errors = run_threads(lambda: fit(m), lambda: fit(m))
    fit(serial)
    fit(serial)
    return {"finite": finite(m), "errors": errors, "matches_serial": same_weights(m, serial),
            "iterations": int(m.optimizer.iterations), "serial_iterations": int(serial.optimizer.iterations)}


def scenario_fit_predict():
    m, serial = new_model(), new_model()
    outs = while_alive(lambda: fit(m), lambda: m.predict(X_BIG, verbose=0))
    fit(serial)
    return {"finite": finite(m), "calls": len(outs),
            "finite_results": bool(all(np.isfinite(o).all() and o.shape == (len(X_BIG), 1) for o in outs)),
            "matches_serial": bool(np.allclose(m.predict(X_BIG, verbose=0), serial.predict(X_BIG, verbose=0),
                                               rtol=1e-5, atol=1e-6))}


def scenario_predict_x4():
    m = new_model()
    fit(m, epochs=1)
    expected = m.predict(X_BIG, verbose=0)
    small, batch = m(X[:1]), m.predict_on_batch(X[:5])
    outs = []

    def hammer():
        for _ in range(10):
            outs.append((m.predict(X_BIG, verbose=0), m(X[:1]), m.predict_on_batch(X[:5])))

    errors = run_threads(*[hammer] * 4)
    return {"finite": finite(m), "errors": errors, "calls": len(outs),
            "matches_serial": bool(all(np.array_equal(p, expected) and np.array_equal(s, small)
                                       and np.array_equal(b, batch) for p, s, b in outs))}


def scenario_set_weights_during_fit():
    m = new_model()
    start = m.get_weights()
    calls = while_alive(lambda: fit(m), lambda: m.set_weights(start))
    return {"finite": finite(m), "calls": len(calls), "matches_serial": True}


def scenario_save_during_fit():
    import os
    import tempfile

    m = new_model()
    path = os.path.join(tempfile.mkdtemp(), "during_fit.weights.h5")
    while_alive(lambda: fit(m), lambda: m.save_weights(path))
    loaded = new_model()
    loaded.load_weights(path)
    return {"finite": finite(loaded), "matches_serial": same_weights(m, loaded)}


def scenario_compile_during_fit():
    m = new_model()
    calls = while_alive(lambda: fit(m), lambda: m.compile("sgd", "binary_crossentropy", metrics=["accuracy"]))
    history = fit(m, epochs=1)  # the last compile's optimizer trains
    return {"finite": finite(m), "calls": len(calls), "optimizer": type(m.optimizer).__name__,
            "matches_serial": bool(np.isfinite(history.history["loss"]).all())}


def scenario_train_on_batch_and_get_weights():
    m, serial = new_model(), new_model()

    def train():
        for i in range(0, N, 32):
            m.train_on_batch(X[i:i + 32], Y[i:i + 32])

    def look():  # layer-level calls reach the engine without the model's Python lock
        return m.get_weights(), m.layers[0].get_weights(), m.optimizer.learning_rate, m.test_on_batch(X[:64], Y[:64])

    snapshots = while_alive(train, look)
    for i in range(0, N, 32):
        serial.train_on_batch(X[i:i + 32], Y[i:i + 32])
    return {"finite": finite(m), "calls": len(snapshots),
            "finite_results": bool(all(np.isfinite(w).all() for s in snapshots for w in s[0] + s[1])),
            "matches_serial": same_weights(m, serial)}


if __name__ == "__main__":
    print(json.dumps(globals()["scenario_" + sys.argv[1]]()), flush=True)
