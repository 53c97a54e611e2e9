#!/usr/bin/env python
"""What the progress bar costs: MNIST MLP epochs with verbose=1 on a real terminal vs verbose=0.

    AXON_DATA_DIR=../shared/data PYTHONPATH=python python bench/bench_progress.py [--samples 20000]

Model: Dense(512, relu) -> Dropout(0.2) -> Dense(512, relu) -> Dropout(0.2) -> Dense(10, softmax),
Adam, categorical cross-entropy, batch 32. stdout is a pseudo-terminal (pty.openpty) drained by a
reader thread, as a terminal emulator would, so verbose=1 really redraws the bar in place.
Each repeat times one epoch of each mode back to back, alternating which goes first; the
median of the per-repeat ratios is the result (robust to load from other jobs).
Target: verbose=1 within 5% of verbose=0 (the engine calls Python only every ~50 ms for the bar).
"""

import argparse
import os
import statistics
import sys
import threading
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--samples", type=int, default=20000, help="training samples per epoch (default 20000)")
    p.add_argument("--repeats", type=int, default=5, help="epochs timed per mode (default 5, at least 5 advised)")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--threads", type=int, default=2, help="engine threads (default 2)")
    p.add_argument("--data-dir", default=None, help="sets AXON_DATA_DIR (where mnist/ lives)")
    args = p.parse_args()
    if args.samples <= 0 or args.repeats <= 0 or args.batch_size <= 0 or args.threads <= 0:
        p.error("--samples, --repeats, --batch-size and --threads must be positive")
    return args


ARGS = parse_args()
from bench_env import prepare  # noqa: E402

axon = prepare(ARGS.threads, ARGS.data_dir)  # before NumPy loads its thread pool
import numpy as np  # noqa: E402


class PtyStdout:
    """sys.stdout on the slave end of a pseudo-terminal; a thread drains the master end and
    counts what a terminal would have received."""

    def __init__(self):
        import pty

        self.master, self.slave = pty.openpty()
        self.stream = open(self.slave, "w", encoding="utf-8", closefd=False)
        self.bytes = 0
        self.frames = 0  # '\r' redraws
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self):
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.bytes += len(chunk)
            self.frames += chunk.count(b"\r")


def load_data(samples):
    (x, y), _ = axon.datasets.mnist.load_data()
    x = np.ascontiguousarray(x[:samples].reshape(-1, 784), dtype=np.float32) / np.float32(255.0)
    onehot = np.zeros((x.shape[0], 10), dtype=np.float32)
    onehot[np.arange(x.shape[0]), y[:samples]] = 1.0
    return x, onehot


def new_model():
    layers = axon.layers
    model = axon.Sequential([axon.Input((784,)), layers.Dense(512, activation="relu"), layers.Dropout(0.2),
                             layers.Dense(512, activation="relu"), layers.Dropout(0.2),
                             layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def main():
    axon._core.set_num_threads(ARGS.threads)
    x, y = load_data(ARGS.samples)
    terminal = PtyStdout()
    assert terminal.stream.isatty()
    real_stdout = sys.stdout
    models = {0: new_model(), 1: new_model()}
    times = {0: [], 1: []}
    sys.stdout = terminal.stream
    try:
        for verbose in (0, 1):  # warm-up epoch: first-touch allocations, thread pool start
            models[verbose].fit(x, y, batch_size=ARGS.batch_size, epochs=1, verbose=verbose)
        frames_before = terminal.frames
        for repeat in range(ARGS.repeats):
            for verbose in ((0, 1) if repeat % 2 == 0 else (1, 0)):
                start = time.perf_counter()
                models[verbose].fit(x, y, batch_size=ARGS.batch_size, epochs=1, verbose=verbose)
                times[verbose].append(time.perf_counter() - start)
        terminal.stream.flush()
        time.sleep(0.1)  # let the reader catch up before counting
    finally:
        sys.stdout = real_stdout
    steps = -(-x.shape[0] // ARGS.batch_size)
    quiet, bar = statistics.median(times[0]), statistics.median(times[1])
    print(f"MNIST MLP 784-512-512-10, {x.shape[0]} samples, batch {ARGS.batch_size} ({steps} steps), "
          f"{ARGS.threads} threads, {ARGS.repeats} repeats")
    print(f"  verbose=0            median epoch {quiet:.3f} s   (all: {', '.join(f'{t:.3f}' for t in times[0])})")
    print(f"  verbose=1 (pty)      median epoch {bar:.3f} s   (all: {', '.join(f'{t:.3f}' for t in times[1])})")
    print(f"  bar redraws per epoch: {(terminal.frames - frames_before) / ARGS.repeats:.0f} "
          f"(about one per 50 ms: {bar / 0.05:.0f})")
    # Each repeat ran both modes back to back: the ratio within a pair is robust to a machine
    # whose load changes over the run (other jobs), the ratio of medians less so.
    paired = statistics.median(b / q for q, b in zip(times[0], times[1]))
    print(f"  ratio of medians verbose=1 / verbose=0: {bar / quiet:.3f}")
    print(f"  median of paired ratios:               {paired:.3f}  "
          f"({'within' if paired <= 1.05 else 'NOT within'} the 5% target)")


if __name__ == "__main__":
    main()
