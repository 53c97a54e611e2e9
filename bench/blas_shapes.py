"""NumPy's (OpenBLAS's) float32 matmul on the MNIST MLP's two big products against its 2048³
rate, alternating, on the same threads: the ceiling a BLAS-class kernel reaches on the
step's own shapes, with the operands hot in cache and nothing else in the step.

    python bench/blas_shapes.py [--threads 2] [--rounds 7]

Prints each shape's GFLOP/s per round and the median of the per-round ratios to 2048³.
"""
import argparse
import statistics
import time

from bench_env import prepare


def gflops(a, b, calls):
    for _ in range(3):
        a @ b
    times = []
    for _ in range(calls):
        t0 = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - t0)
    return 2 * a.shape[0] * a.shape[1] * b.shape[1] / statistics.median(times) * 1e-9


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    prepare(args.threads, None)  # thread counts before NumPy loads OpenBLAS
    import numpy as np

    rng = np.random.default_rng(0)
    square = [rng.random((2048, 2048), dtype=np.float32) for _ in range(2)]
    x = rng.random((1024, 784), dtype=np.float32)
    shapes = {
        "2048³": (square[0], square[1], 3),
        "x W, 1024x784 @ 784x128": (x, rng.random((784, 128), dtype=np.float32), 50),
        "x^T dz, 784x1024 @ 1024x128": (x.T, rng.random((1024, 128), dtype=np.float32), 50),
    }
    rates = {name: [] for name in shapes}
    for _ in range(args.rounds):
        for name, (a, b, calls) in shapes.items():
            rates[name].append(gflops(a, b, calls))
    for name, values in rates.items():
        ratio = statistics.median(v / s for v, s in zip(values, rates["2048³"]))
        print(f"{name:30s} median {statistics.median(values):6.1f} GFLOP/s  ({ratio:.2f} of 2048³)  per round: "
              + " ".join(f"{v:.0f}" for v in values))


if __name__ == "__main__":
    main()
