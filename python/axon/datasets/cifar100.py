"""CIFAR-100, as `keras.datasets.cifar100.load_data(label_mode)` returns it."""

from axon.datasets import cifar
from axon.datasets._fetch import fetch

FNAME = "cifar-100-python.tar.gz"
ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz"
SHA256 = "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7"
TRAIN, TEST = "cifar-100-python/train", "cifar-100-python/test"


def load_data(label_mode="fine"):
    """`(x_train, y_train), (x_test, y_test)`: uint8 (50000, 32, 32, 3), uint8 (50000, 1)
    in 0..99 ("fine") or 0..19 ("coarse"), and the 10000 test images likewise."""
    if label_mode not in ("fine", "coarse"):
        raise ValueError(f"cifar100.load_data: label_mode must be 'fine' or 'coarse', got {label_mode!r}")
    path = fetch("CIFAR-100", FNAME, ORIGIN, SHA256)
    batches = cifar.read_batches(path, [TRAIN, TEST], label_mode + "_labels")
    return batches[TRAIN], batches[TEST]
