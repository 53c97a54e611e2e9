"""fit() fed by arrays vs by a Python generator vs by a PyDataset, on MNIST.

The engine pulls generator/PyDataset batches from a queue that a Python thread fills while
it trains on earlier batches, so streaming should cost little: the issue's target is
samples/s within 20% of the array-fed run, at equal accuracy.

    AXON_DATA_DIR=../shared/data PYTHONPATH=python python bench/bench_fit_inputs.py [--repeats 5]

Each repeat trains one epoch per input kind, interleaved (array, generator, PyDataset) so
that machine drift hits all three alike; the table shows medians and ratios to arrays.
"""

import argparse
import statistics
import time

import numpy as np

import axon

HIDDEN, CLASSES = 128, 10


def load_mnist():
    (x, y), (x_test, y_test) = axon.datasets.mnist.load_data()
    x = np.ascontiguousarray(x, dtype=np.float32) / np.float32(255.0)
    x_test = np.ascontiguousarray(x_test, dtype=np.float32) / np.float32(255.0)
    return x, axon.utils.to_categorical(y, CLASSES).astype(np.float32), x_test, y_test


def make_model(seed):
    axon.utils.set_random_seed(seed)
    model = axon.Sequential([
        axon.Input((28, 28)),
        axon.layers.Flatten(),
        axon.layers.Dense(HIDDEN, activation="relu"),
        axon.layers.Dense(CLASSES, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def sliced_batches(x, y, batch):
    """The plainest generator (Keras' docs' kind): consecutive slices, epoch after epoch."""
    while True:
        for start in range(0, x.shape[0], batch):
            yield x[start:start + batch], y[start:start + batch]


def shuffled_batches(x, y, batch, seed):
    """A shuffling generator: a fresh random index set per batch. Its gathers (scattered rows, new arrays
    every batch) cost the producer thread about a third of a training step, which on a
    2-core machine competes with the engine's two threads."""
    rng = np.random.default_rng(seed)
    while True:
        order = rng.permutation(x.shape[0])
        for start in range(0, x.shape[0], batch):
            idx = order[start:start + batch]
            yield x[idx], y[idx]


class MnistBatches(axon.utils.PyDataset):
    def __init__(self, x, y, batch):
        super().__init__()
        self.x, self.y, self.batch = x, y, batch

    def __len__(self):
        return -(-self.x.shape[0] // self.batch)

    def __getitem__(self, i):
        s = slice(i * self.batch, (i + 1) * self.batch)
        return self.x[s], self.y[s]


def fit_kwargs(kind, x, y, batch, seed):
    steps = -(-x.shape[0] // batch)
    if kind == "arrays":
        return dict(x=x, y=y, batch_size=batch)
    if kind == "generator":
        return dict(x=sliced_batches(x, y, batch), steps_per_epoch=steps)
    if kind == "shuffling-gen":
        return dict(x=shuffled_batches(x, y, batch, seed), steps_per_epoch=steps)
    return dict(x=MnistBatches(x, y, batch), shuffle=True)


def time_epochs(x, y, batch, repeats, kinds):
    models = {kind: make_model(0) for kind in kinds}
    for kind in kinds:  # warm-up epoch on a slice: sizes buffers, starts threads
        models[kind].fit(**fit_kwargs(kind, x[:2048], y[:2048], batch, 0), epochs=1, verbose=0)
    rates = {kind: [] for kind in kinds}
    for r in range(repeats):
        for kind in kinds:
            t0 = time.perf_counter()
            models[kind].fit(**fit_kwargs(kind, x, y, batch, r), epochs=1, verbose=0)
            rates[kind].append(x.shape[0] / (time.perf_counter() - t0))
    return {kind: statistics.median(v) for kind, v in rates.items()}


def accuracy_after(kind, x, y, x_test, y_test, batch, epochs):
    model = make_model(1)
    model.fit(**fit_kwargs(kind, x, y, batch, 1), epochs=epochs, verbose=0)
    return float(np.mean(np.argmax(model.predict(x_test, verbose=0), axis=1) == y_test))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--batch", type=int, nargs="+", default=[32, 128])
    p.add_argument("--accuracy-epochs", type=int, default=3)
    args = p.parse_args()
    x, y, x_test, y_test = load_mnist()
    kinds = ("arrays", "generator", "shuffling-gen", "pydataset")
    print(f"MNIST MLP 784-{HIDDEN}-10, adam; {x.shape[0]} samples per epoch; medians of {args.repeats} repeats")
    print("generator: consecutive slices; shuffling-gen: x[random indices] per batch; pydataset: slices by index,"
          " batch order shuffled per epoch\n")
    streamed = kinds[1:]
    print(f"{'batch':>5} | " + " | ".join(f"{k:>13} samples/s" for k in kinds) + " | "
          + " | ".join(f"{k + '/arrays':>20}" for k in streamed))
    for batch in args.batch:
        rate = time_epochs(x, y, batch, args.repeats, kinds)
        print(f"{batch:>5} | " + " | ".join(f"{rate[k]:>23,.0f}" for k in kinds) + " | "
              + " | ".join(f"{rate[k] / rate['arrays']:>20.2f}" for k in streamed))
    if not args.accuracy_epochs:
        return
    print(f"\ntest accuracy after {args.accuracy_epochs} epochs at batch 32 (same initial weights):")
    for kind in kinds:
        print(f"  {kind:>9}: {accuracy_after(kind, x, y, x_test, y_test, 32, args.accuracy_epochs):.4f}")


if __name__ == "__main__":
    main()
