"""The start every Python benchmark here shares: thread counts and the data folder are set in
the environment before NumPy or axon load their thread pools, then axon is imported (from this
checkout when it is not installed)."""

import os
import statistics
import sys
import time


def prepare(threads, data_dir=None):
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[var] = str(threads)
    if data_dir:
        os.environ["AXON_DATA_DIR"] = data_dir
    try:
        import axon
    except ImportError:  # run from a checkout without PYTHONPATH=python
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
        import axon
    return axon


def numpy_matmul_gflops(size=2048, runs=5):
    """The machine's float32 matmul speed as NumPy's BLAS gets it (size³, median of runs):
    the yardstick for model-FLOP utilisation. Returns (GFLOP/s, the times)."""
    import numpy as np

    a = np.random.default_rng(0).random((size, size), dtype=np.float32)
    b = np.random.default_rng(1).random((size, size), dtype=np.float32)
    a @ b  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - t0)
    return 2.0 * size ** 3 / statistics.median(times) * 1e-9, times


def training_flops_per_sample(model):
    """Model FLOPs of one training sample: 3x the forward multiply-adds (x2) of every layer
    with a kernel (forward, input gradient, kernel gradient), the usual MFU convention."""
    import numpy as np

    total = 0
    for layer in model.layers:
        kernels = [w for w in layer.weights if "kernel" in w.name]
        for kernel in kernels:
            out = layer.output_shape[1:]
            positions = int(np.prod(out)) // int(out[-1])  # output positions (1 for Dense)
            total += 2 * positions * int(np.prod(kernel.shape))
    return 3 * total
