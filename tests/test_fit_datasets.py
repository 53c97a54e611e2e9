"""fit/evaluate/predict fed by a PyDataset, a generator or an iterable of batches: the
engine pulls them from a queue a Python thread fills; results equal the array-fed run."""

import threading

import numpy as np
import pytest

import axon
from axon import layers


def data(n=60, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 5)).astype(np.float32)
    y = axon.utils.to_categorical((x[:, 0] > 0).astype(int) + (x[:, 1] > 1).astype(int), 3).astype(np.float32)
    return x, y


def model(seed=7, dropout=True):
    axon.utils.set_random_seed(seed)
    stack = [layers.Input((5,)), layers.Dense(16, activation="relu")]
    if dropout:
        stack.append(layers.Dropout(0.3))
    m = axon.Sequential(stack + [layers.Dense(3, activation="softmax")])
    m.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
    return m


class Batches(axon.utils.PyDataset):
    def __init__(self, x, y, batch, w=None, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.w, self.batch = x, y, w, batch
        self.epochs_ended = 0

    def __len__(self):
        return -(-len(self.x) // self.batch)

    def __getitem__(self, i):
        s = slice(i * self.batch, (i + 1) * self.batch)
        return (self.x[s], self.y[s]) if self.w is None else (self.x[s], self.y[s], self.w[s])

    def on_epoch_end(self):
        self.epochs_ended += 1


def in_order(x, y, batch, epochs, w=None):
    for _ in range(epochs):
        for i in range(0, len(x), batch):
            yield (x[i:i + batch], y[i:i + batch]) if w is None else (x[i:i + batch], y[i:i + batch], w[i:i + batch])


def same(a, b):
    return all(np.array_equal(u, v) for u, v in zip(a.get_weights(), b.get_weights()))


@pytest.mark.parametrize("workers", [1, 3])
def test_pydataset_fit_equals_array_fit(workers):
    x, y = data()
    a, b = model(), model()
    ha = a.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
    ds = Batches(x, y, 8, workers=workers, max_queue_size=4)
    hb = b.fit(ds, epochs=3, shuffle=False, verbose=0)
    assert same(a, b)
    assert ha.history == hb.history
    assert ds.epochs_ended == 3


def test_generator_fit_with_sample_weights_equals_array_fit():
    x, y = data()
    w = np.linspace(0.1, 2, len(x)).astype(np.float32)
    a, b = model(), model()
    a.fit(x, y, sample_weight=w, batch_size=16, epochs=2, shuffle=False, verbose=0)
    b.fit(in_order(x, y, 16, 2, w), steps_per_epoch=4, epochs=2, verbose=0)
    assert same(a, b)


def test_a_list_of_batches_is_iterated_again_every_epoch():
    x, y = data(32)
    batches = [(x[i:i + 8], y[i:i + 8]) for i in range(0, 32, 8)]
    a, b = model(), model()
    a.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)

    class Iterable:  # not a list: lists are array data in Keras
        def __iter__(self):
            return iter(batches)

    b.fit(Iterable(), epochs=3, verbose=0)
    assert same(a, b)


def test_shuffled_pydataset_changes_batch_order_per_epoch_and_is_reproducible():
    x, y = data()
    runs = []
    for _ in range(2):
        seen = []

        class Recording(Batches):
            def __getitem__(self, i):
                seen.append(i)
                return super().__getitem__(i)

        m = model()
        m.fit(Recording(x, y, 8), epochs=2, shuffle=True, verbose=0)
        runs.append((seen, m.get_weights()))
    (seen, w1), (seen2, w2) = runs
    assert seen == seen2 and all(np.array_equal(u, v) for u, v in zip(w1, w2))
    first, second = seen[:8], seen[8:]
    assert sorted(first) == list(range(8)) and sorted(second) == list(range(8)) and first != second


def test_exhausted_generator_stops_training_with_a_warning():
    x, y = data(32)
    m = model()
    with pytest.warns(UserWarning, match="ran out of data"):
        history = m.fit(in_order(x, y, 8, 1), epochs=3, verbose=0)
    assert len(history.history["loss"]) == 1
    assert m.optimizer.iterations == 4


def test_generator_error_reaches_the_caller_and_the_thread_ends():
    x, y = data(32)

    def broken():
        yield x[:8], y[:8]
        raise RuntimeError("disk on fire")

    before = threading.active_count()
    with pytest.raises(RuntimeError, match="disk on fire"):
        model().fit(broken(), epochs=1, verbose=0)
    assert threading.active_count() == before


def test_bad_batches_raise_clear_errors():
    x, y = data(16)
    m = model()
    with pytest.raises(ValueError, match="batch without targets"):
        m.fit(iter([x[:8]]), epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"expected shape \(N, 5\)"):
        m.fit(iter([(x[:8, :4], y[:8])]), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="y must not be given when x is a PyDataset"):
        m.fit(Batches(x, y, 8), y, verbose=0)
    with pytest.raises(ValueError, match="validation_split is only supported for array inputs"):
        m.fit(Batches(x, y, 8), validation_split=0.2, verbose=0)


def test_evaluate_and_predict_on_datasets():
    x, y = data(40)
    m = model(dropout=False)
    m.fit(x, y, epochs=1, verbose=0)
    expected = m.evaluate(x, y, batch_size=8, verbose=0)
    assert m.evaluate(Batches(x, y, 8), verbose=0) == pytest.approx(expected, rel=1e-6)
    assert m.evaluate(in_order(x, y, 8, 1), verbose=0) == pytest.approx(expected, rel=1e-6)
    np.testing.assert_array_equal(m.predict(Batches(x, y, 8), verbose=0), m.predict(x, batch_size=8, verbose=0))
    np.testing.assert_array_equal(m.predict((b[0] for b in in_order(x, y, 8, 1)), verbose=0),
                                  m.predict(x, batch_size=8, verbose=0))
    assert m.predict(in_order(x, y, 8, 5), steps=2, verbose=0).shape == (16, 3)


def test_validation_data_as_a_dataset():
    x, y = data(40)
    m = model(dropout=False)
    history = m.fit(x, y, epochs=2, validation_data=Batches(x, y, 8), verbose=0)
    assert history.history["val_loss"][-1] == pytest.approx(m.evaluate(x, y, verbose=0)[0], rel=1e-6)


def test_unbuilt_model_is_built_from_the_first_batch():
    x, y = data(16)
    axon.utils.set_random_seed(1)
    m = axon.Sequential([layers.Dense(3, activation="softmax")])
    m.compile("sgd", "categorical_crossentropy")
    m.fit(Batches(x, y, 4), epochs=1, verbose=0)
    assert m.input_shape == (None, 5) and m.optimizer.iterations == 4
