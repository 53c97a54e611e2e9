"""CIFAR-10, as `keras.datasets.cifar10.load_data()` returns it."""

from axon.datasets import cifar
from axon.datasets._fetch import fetch

FNAME = "cifar-10-python.tar.gz"
ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
SHA256 = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"
TRAIN = [f"cifar-10-batches-py/data_batch_{i}" for i in range(1, 6)]
TEST = "cifar-10-batches-py/test_batch"


def load_data():
    """`(x_train, y_train), (x_test, y_test)`: uint8 (50000, 32, 32, 3), uint8 (50000, 1)
    in 0..9, uint8 (10000, 32, 32, 3), uint8 (10000, 1)."""
    path = fetch("CIFAR-10", FNAME, ORIGIN, SHA256)
    batches = cifar.read_batches(path, TRAIN + [TEST], "labels")
    return cifar.join([batches[m] for m in TRAIN]), batches[TEST]
