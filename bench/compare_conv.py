#!/usr/bin/env python
"""axon against PyTorch CPU on Keras' simple MNIST convnet, in one process.

    PYTHONPATH=python python bench/compare_conv.py [--threads 2] [--samples 3840] [--repeats 3]

Model: Conv2D(32, 3, relu) -> MaxPooling2D(2) -> Conv2D(64, 3, relu) -> MaxPooling2D(2) ->
Flatten -> Dropout(0.5) -> Dense(10, softmax); Adam; categorical cross-entropy. Synthetic
28x28x1 inputs (speed does not depend on the values). Each repeat trains one pass over
`samples` samples in each framework, alternating which goes first; the table shows the
median training samples/s per batch size, then inference samples/s at batch 1 and 256.
Threads: OMP/MKL/OpenBLAS thread counts are set before NumPy or torch is imported, then
torch.set_num_threads gets the same number. Model-FLOP utilisation: 3x the forward
multiply-adds of the conv and dense layers per sample, against NumPy's 2048^3 float32
matmul GFLOP/s measured in the same run.
"""

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_env  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--samples", type=int, default=3840)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--batch-sizes", default="32,128")
    a = p.parse_args()
    axon = bench_env.prepare(a.threads)  # before NumPy and torch load their thread pools
    import numpy as np
    import torch

    from axon import layers

    torch.set_num_threads(a.threads)
    rng = np.random.default_rng(0)
    x = rng.random((a.samples, 28, 28, 1), dtype=np.float32)
    labels = rng.integers(0, 10, a.samples)
    y = np.eye(10, dtype=np.float32)[labels]

    def axon_model():
        m = axon.Sequential([
            axon.Input(shape=(28, 28, 1)), layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(2),
            layers.Conv2D(64, 3, activation="relu"), layers.MaxPooling2D(2), layers.Flatten(), layers.Dropout(0.5),
            layers.Dense(10, activation="softmax")])
        m.compile(optimizer="adam", loss="categorical_crossentropy")
        return m

    def torch_model():
        nn = torch.nn
        return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(),
                             nn.MaxPool2d(2), nn.Flatten(), nn.Dropout(0.5), nn.Linear(1600, 10))

    xt = torch.tensor(np.ascontiguousarray(np.moveaxis(x, -1, 1)))
    yt = torch.tensor(labels)

    def axon_train(batch):
        m = axon_model()
        m.fit(x[: 2 * batch], y[: 2 * batch], batch_size=batch, epochs=1, verbose=0)  # warm-up
        t = time.perf_counter()
        m.fit(x, y, batch_size=batch, epochs=1, verbose=0)
        return a.samples / (time.perf_counter() - t)

    def torch_train(batch):
        m = torch_model()
        opt = torch.optim.Adam(m.parameters(), eps=1e-7)
        loss_fn = torch.nn.CrossEntropyLoss()  # log-softmax + NLL: the softmax output fused as in axon

        def one_pass(n):
            perm = torch.randperm(n)
            for i in range(0, n - batch + 1, batch):
                idx = perm[i:i + batch]
                opt.zero_grad()
                loss_fn(m(xt[idx]), yt[idx]).backward()
                opt.step()

        one_pass(2 * batch)
        t = time.perf_counter()
        one_pass(a.samples)
        return a.samples / (time.perf_counter() - t)

    def axon_infer(batch, m):
        xb = x[:batch]
        m.predict(xb, batch_size=batch, verbose=0)
        reps = max(3, 512 // batch)
        t = time.perf_counter()
        for _ in range(reps):
            m.predict(xb, batch_size=batch, verbose=0)
        return reps * batch / (time.perf_counter() - t)

    def torch_infer(batch, m):
        m.eval()
        xb = xt[:batch]
        with torch.no_grad():
            m(xb)
            reps = max(3, 512 // batch)
            t = time.perf_counter()
            for _ in range(reps):
                m(xb)
        return reps * batch / (time.perf_counter() - t)

    matmul_gflops, _ = bench_env.numpy_matmul_gflops()
    flops = bench_env.training_flops_per_sample(axon_model())
    print(f"threads {a.threads}, torch {torch.__version__}, {a.samples} samples, median of {a.repeats}; "
          f"NumPy float32 matmul 2048^3: {matmul_gflops:.1f} GFLOP/s; {flops / 1e6:.2f} MFLOP per training sample")
    print(f"{'':24s} {'axon':>10s} {'torch':>10s} {'ratio':>7s}")
    for batch in [int(b) for b in a.batch_sizes.split(",")]:
        ax, tt = [], []
        for r in range(a.repeats):
            order = [(axon_train, ax), (torch_train, tt)]
            for f, out in (order if r % 2 == 0 else order[::-1]):
                out.append(f(batch))
        ma, mt = statistics.median(ax), statistics.median(tt)
        gflops = ma * flops / 1e9
        print(f"train batch {batch:<12d} {ma:10.0f} {mt:10.0f} {ma / mt:6.2f}x   samples/s; axon "
              f"{gflops:.1f} model GFLOP/s = {100 * gflops / matmul_gflops:.0f}% of NumPy matmul")
        sys.stdout.flush()
    am, tm = axon_model(), torch_model()
    for batch in (1, 256):
        ax = [axon_infer(batch, am) for _ in range(a.repeats)]
        tt = [torch_infer(batch, tm) for _ in range(a.repeats)]
        ma, mt = statistics.median(ax), statistics.median(tt)
        print(f"predict batch {batch:<10d} {ma:10.0f} {mt:10.0f} {ma / mt:6.2f}x   samples/s")


if __name__ == "__main__":
    main()
