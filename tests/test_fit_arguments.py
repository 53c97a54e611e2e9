"""fit()'s Keras 3 arguments: validation_*, class_weight, initial_epoch, steps_per_epoch."""

import warnings

import numpy as np
import pytest

import axon
from axon import layers


def data(n=64, features=6, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, features)).astype(np.float32)
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).astype(np.float32).reshape(-1, 1)
    return x, y


def model(seed=3, features=6, metrics=("accuracy",)):
    axon.utils.set_random_seed(seed)
    m = axon.Sequential([layers.Input((features,)), layers.Dense(8, activation="tanh"),
                         layers.Dense(1, activation="sigmoid")])
    m.compile(axon.optimizers.SGD(0.1), "binary_crossentropy", metrics=list(metrics))
    return m


class Recorder(axon.callbacks.Callback):
    def __init__(self, on_epoch_begin=None, on_epoch_end=None):
        super().__init__()
        self.begin, self.end = on_epoch_begin, on_epoch_end

    def on_epoch_begin(self, epoch, logs=None):
        if self.begin:
            self.begin(epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        if self.end:
            self.end(epoch, logs)


def same_weights(a, b):
    return all(np.array_equal(u, v) for u, v in zip(a.get_weights(), b.get_weights()))


def test_validation_split_takes_the_last_samples_before_shuffling():
    x, y = data(40)
    m = model()
    history = m.fit(x, y, batch_size=8, epochs=1, validation_split=0.25, verbose=0)
    # After one epoch, validation ran on the final weights: it equals evaluating x[30:].
    expected = m.evaluate(x[30:], y[30:], verbose=0, return_dict=True)
    assert history.history["val_loss"][0] == pytest.approx(expected["loss"], rel=1e-6)
    assert m.optimizer.iterations == 4  # 30 training samples in batches of 8


def test_validation_data_with_sample_weight_and_batch_size_and_steps():
    x, y = data(40)
    w = np.linspace(0.5, 2.0, 40)
    m = model()
    history = m.fit(x, y, batch_size=8, epochs=1, validation_data=(x, y, w), validation_batch_size=5,
                    validation_steps=2, verbose=0)
    expected = m.evaluate(x[:10], y[:10], sample_weight=w[:10], verbose=0, return_dict=True)
    assert history.history["val_loss"][0] == pytest.approx(expected["loss"], rel=1e-6)
    assert history.history["val_accuracy"][0] == pytest.approx(expected["accuracy"], rel=1e-6)


@pytest.mark.parametrize("freq, validated", [(2, [2, 4]), ([1, 3], [1, 3]), (5, [])])
def test_validation_freq(freq, validated):
    x, y = data(32)
    seen = []
    cb = Recorder(on_epoch_end=lambda e, logs: seen.append((e + 1, "val_loss" in logs)))
    m = model()
    history = m.fit(x, y, epochs=4, validation_data=(x, y), validation_freq=freq, callbacks=[cb], verbose=0)
    assert [e for e, has_val in seen if has_val] == validated
    assert len(history.history.get("val_loss", [])) == len(validated)


def test_class_weight_equals_the_equivalent_sample_weight():
    x, y = data(48)
    class_weight = {0: 0.5, 1: 3.0}
    a, b = model(), model()
    ha = a.fit(x, y, batch_size=8, epochs=3, class_weight=class_weight, verbose=0)
    hb = b.fit(x, y, batch_size=8, epochs=3, sample_weight=np.where(y[:, 0] > 0.5, 3.0, 0.5), verbose=0)
    assert same_weights(a, b)
    assert ha.history == hb.history


def test_class_weight_for_one_hot_and_sparse_labels():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(30, 4)).astype(np.float32)
    labels = rng.integers(0, 3, 30)
    weights = np.array([1.0, 2.0, 0.25])[labels]
    for loss, y in (("categorical_crossentropy", axon.utils.to_categorical(labels, 3)),
                    ("sparse_categorical_crossentropy", labels)):
        runs = []
        for kwargs in ({"class_weight": {1: 2.0, 2: 0.25}}, {"sample_weight": weights}):  # class 0 missing: weight 1
            axon.utils.set_random_seed(5)
            m = axon.Sequential([layers.Input((4,)), layers.Dense(3, activation="softmax")])
            m.compile("adam", loss)
            m.fit(x, y, batch_size=7, epochs=2, verbose=0, **kwargs)
            runs.append(m.get_weights())
        assert all(np.array_equal(u, v) for u, v in zip(*runs)), loss


def test_class_weight_errors():
    x, y = data(16)
    m = model()
    with pytest.raises(ValueError, match="cannot use class_weight and sample_weight at the same time"):
        m.fit(x, y, class_weight={0: 1.0}, sample_weight=np.ones(16), verbose=0)
    with pytest.raises(ValueError, match="class_weight must be a dict"):
        m.fit(x, y, class_weight=[1.0, 2.0], verbose=0)
    with pytest.raises(ValueError, match=r"class_weight\[1\] must be a finite number"):
        m.fit(x, y, class_weight={1: float("nan")}, verbose=0)


def test_initial_epoch():
    x, y = data(16)
    epochs = []
    cb = Recorder(on_epoch_begin=lambda e, logs: epochs.append(e))
    history = model().fit(x, y, epochs=4, initial_epoch=2, callbacks=[cb], verbose=0)
    assert epochs == [2, 3]
    assert len(history.history["loss"]) == 2
    assert history.epoch == [2, 3]


def test_steps_per_epoch_continues_the_pass_across_epochs():
    x, y = data(10)  # 5 batches of 2 per pass
    m = model()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m.fit(x, y, batch_size=2, epochs=3, steps_per_epoch=3, verbose=0)
    # epoch 1: batches 0-2; epoch 2: batches 3-4 (the pass runs out: warned); epoch 3: a new pass
    assert m.optimizer.iterations == 3 + 2 + 3
    assert any("ran out of data" in str(w.message) for w in caught)


def test_steps_per_epoch_equal_to_whole_passes_matches_plain_epochs():
    x, y = data(12)
    a, b = model(), model()
    a.fit(x, y, batch_size=4, epochs=3, verbose=0, shuffle=False)
    b.fit(x, y, batch_size=4, epochs=3, steps_per_epoch=3, verbose=0, shuffle=False)
    assert same_weights(a, b)


@pytest.mark.parametrize("arg, value, message", [
    ("steps_per_epoch", 0, "steps_per_epoch must be None or a positive integer, got 0"),
    ("validation_steps", -1, "validation_steps must be None or a positive integer"),
    ("validation_freq", 0, "validation_freq must be a positive integer or a list of epochs"),
    ("epochs", -1, "epochs must be a non-negative integer"),
    ("initial_epoch", 1.5, "initial_epoch must be a non-negative integer"),
    ("validation_batch_size", 0, "validation_batch_size: expected a positive integer"),
    ("validation_data", (np.zeros((2, 6)),), "validation_data must be a tuple"),
])
def test_argument_errors(arg, value, message):
    x, y = data(8)
    with pytest.raises(ValueError, match=message):
        model().fit(x, y, verbose=0, **{arg: value})


def test_evaluate_and_predict_steps():
    x, y = data(20)
    m = model()
    first = m.evaluate(x[:8], y[:8], batch_size=4, verbose=0)
    assert m.evaluate(x, y, batch_size=4, steps=2, verbose=0) == pytest.approx(first, rel=1e-6)
    assert m.predict(x, batch_size=4, steps=2, verbose=0).shape == (8, 1)


def test_terminate_on_nan_stops_on_the_batch_that_produced_it(capsys):
    x, y = data(80)
    x[37, 0] = np.nan  # sample 37 is in batch 4 (batches of 8, no shuffling)
    m = model()
    history = m.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0,
                    callbacks=[axon.callbacks.TerminateOnNaN()])
    assert "Batch 4: Invalid loss, terminating training" in capsys.readouterr().out
    assert m.optimizer.iterations == 5  # batches 0-4, none after
    assert len(history.history["loss"]) == 1 and not np.isfinite(history.history["loss"][0])
