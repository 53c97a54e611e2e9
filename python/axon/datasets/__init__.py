"""Small standard datasets, loaded like `keras.datasets`: each downloads Keras' file once
into the cache, checked against Keras' hash, or reads it from $AXON_DATA_DIR."""

from . import (boston_housing, california_housing, cifar10, cifar100, fashion_mnist, imdb, mnist,
               reuters)

__all__ = ["boston_housing", "california_housing", "cifar10", "cifar100", "fashion_mnist", "imdb", "mnist",
           "reuters"]
