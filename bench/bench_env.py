"""The start every Python benchmark here shares: thread counts and the data folder are set in
the environment before NumPy or axon load their thread pools, then axon is imported (from this
checkout when it is not installed)."""

import os
import sys


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
