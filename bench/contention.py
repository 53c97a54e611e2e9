#!/usr/bin/env python
"""Training throughput when other processes compete for the cores.

    AXON_DATA_DIR=/path/to/data PYTHONPATH=python python bench/contention.py [--repeats 3]

The MNIST MLP of compare.py (Flatten -> Dense(128, relu) -> Dense(10, softmax), Adam,
categorical cross-entropy) at batch 32 and 1024, trained idle and with 1 and 2 busy
processes (`while True: pass`) running beside it. axon runs at its default (the adaptive
thread count) and at each fixed count 1..cores (_core.set_num_threads(n)); PyTorch at its
default (one thread per core). All runners share one process and take turns, rotating the
order each repeat, so the ratios come from one run under the same load; the table shows
medians. No thread variable is set in the environment: that would fix axon's count.

The target: under any load, axon's default >= 0.8x the best fixed count under that load,
and idle, the default as fast as the best fixed count.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    if _var in os.environ:
        sys.exit(f"contention.py: unset {_var}; it would fix the thread count this benchmark compares")
try:
    import axon
except ImportError:  # run from a checkout without PYTHONPATH=python
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
    import axon

BUSY = "while True: pass"
SAMPLES = {32: 30000, 1024: 60000}  # per timed epoch: ~0.2-0.5 s idle
TORCH_SAMPLES = 5000  # PyTorch is 100x slower than that beside busy processes; rates are per sample


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeats", type=int, default=3, help="timed epochs per runner, batch and load (default 3)")
    p.add_argument("--loads", default="0,1,2", help="numbers of busy processes (default 0,1,2)")
    p.add_argument("--batch-sizes", default="32,1024")
    p.add_argument("--no-torch", action="store_true")
    a = p.parse_args()
    a.loads = [int(v) for v in a.loads.split(",")]
    a.batch_sizes = [int(v) for v in a.batch_sizes.split(",")]
    return a


class AxonRunner:
    def __init__(self, threads):
        self.threads = threads  # 0: the default (adaptive)
        self.name = "axon default" if threads == 0 else f"axon {threads} thr"
        self.model = None

    def reset(self):
        self.model = axon.Sequential([axon.Input((28, 28)), axon.layers.Flatten(),
                                      axon.layers.Dense(128, activation="relu"),
                                      axon.layers.Dense(10, activation="softmax")])
        self.model.compile(optimizer=axon.optimizers.Adam(learning_rate=1e-3, epsilon=1e-7),
                           loss="categorical_crossentropy")

    def epoch(self, x, y, onehot, batch):
        axon._core.set_num_threads(self.threads)
        self.model.fit(x, onehot, batch_size=batch, epochs=1, verbose=0, shuffle=True)


class TorchRunner:
    name = "torch"

    def __init__(self):
        import torch

        self.torch = torch

    def reset(self):
        nn = self.torch.nn
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
        self.opt = self.torch.optim.Adam(self.net.parameters(), lr=1e-3, eps=1e-7)
        self.loss = nn.CrossEntropyLoss()

    def epoch(self, x, y, onehot, batch):
        torch = self.torch
        x, y = torch.from_numpy(x[:TORCH_SAMPLES]), torch.from_numpy(y[:TORCH_SAMPLES])
        perm = torch.randperm(x.shape[0])
        for start in range(0, x.shape[0], batch):
            idx = perm[start:start + batch]
            self.opt.zero_grad(set_to_none=True)
            self.loss(self.net(x[idx]), y[idx]).backward()
            self.opt.step()


def busy_processes(n):
    return [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(n)]


def measure(runners, data, batch, repeats):
    """{runner name: median samples/s}; a fresh model per runner, one untimed epoch first."""
    x, y, onehot = (a[:SAMPLES[batch]] for a in data)
    samples = {r.name: TORCH_SAMPLES if isinstance(r, TorchRunner) else len(x) for r in runners}
    times = {r.name: [] for r in runners}
    for r in runners:
        r.reset()
        r.epoch(x, y, onehot, batch)
    for k in range(repeats):
        for r in runners[k % len(runners):] + runners[:k % len(runners)]:
            t0 = time.perf_counter()
            r.epoch(x, y, onehot, batch)
            times[r.name].append(time.perf_counter() - t0)
    return {name: samples[name] / statistics.median(t) for name, t in times.items()}


def main():
    args = parse_args()
    import numpy as np

    (x, y), _ = axon.datasets.mnist.load_data()
    data = (np.ascontiguousarray(x, dtype=np.float32) / np.float32(255.0), y.astype(np.int64),
            axon.utils.to_categorical(y, 10).astype(np.float32))
    cores = axon._core.get_num_threads()
    runners = [AxonRunner(0)] + [AxonRunner(n) for n in range(1, cores + 1)]
    if not args.no_torch:
        runners.append(TorchRunner())
    fixed = [r.name for r in runners[1:cores + 1]]
    print(f"{cores} cores; medians of {args.repeats} epochs; samples/s", flush=True)
    header = ["busy", "batch"] + [r.name for r in runners] + ["default / best fixed", "default / torch"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---:|" * len(header))
    for load in args.loads:
        busy = busy_processes(load)
        try:
            time.sleep(0.5)
            for batch in args.batch_sizes:
                rates = measure(runners, data, batch, args.repeats)
                best = max(rates[name] for name in fixed)
                row = [str(load), str(batch)] + [f"{rates[r.name]:,.0f}" for r in runners]
                row.append(f"{rates['axon default'] / best:.2f}")
                row.append(f"{rates['axon default'] / rates['torch']:.2f}" if "torch" in rates else "-")
                print("| " + " | ".join(row) + " |", flush=True)
        finally:
            for p in busy:
                p.kill()
                p.wait()
    axon._core.set_num_threads(0)


if __name__ == "__main__":
    main()
