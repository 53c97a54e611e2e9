"""Small standard datasets, loaded like `keras.datasets`."""

from . import mnist
