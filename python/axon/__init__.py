"""axon: the Keras experience on a C++ engine.

    import axon as keras
    model = keras.Sequential([keras.layers.Dense(10, activation="softmax")])
"""

from axon import (activations, backend, callbacks, config, constraints, initializers, layers, losses, metrics,
                  models, optimizers, regularizers, utils)
from axon.layers import Input
from axon.models import Sequential

__version__ = "0.1.0"


def __getattr__(name):
    # axon.datasets (gzip, pathlib, the download code) loads on first use: `import axon`
    # stays fast for code that never touches a dataset.
    if name == "datasets":
        import importlib

        return importlib.import_module("axon.datasets")
    raise AttributeError(f"module 'axon' has no attribute {name!r}")

__all__ = ["Input", "Sequential", "activations", "backend", "callbacks", "config", "constraints", "datasets",
           "initializers", "layers", "losses", "metrics", "models", "optimizers", "regularizers", "utils"]
