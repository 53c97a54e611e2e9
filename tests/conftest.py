import os
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]
# Tests read MNIST from the shared data folder unless the caller points elsewhere.
os.environ.setdefault("AXON_DATA_DIR", str(REPO.parent / "shared" / "data"))


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


@pytest.fixture(autouse=True)
def _fresh_names():
    """Each test starts with Keras' default names ('dense', 'dense_1', ...) and float32."""
    import axon

    axon.backend.clear_session()
    axon.config.set_floatx("float32")
    yield
    axon.config.set_floatx("float32")


def mnist_or_skip():
    from axon.datasets import mnist

    try:
        return mnist.load_data()
    except OSError as e:  # no data dir, no cache, no network
        pytest.skip(f"MNIST not available: {e}")
