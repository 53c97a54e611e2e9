"""axon: the Keras experience on a C++ engine.

    import axon as keras
    model = keras.Sequential([keras.layers.Dense(10, activation="softmax")])
"""

from axon import (activations, backend, callbacks, config, datasets, initializers, layers, losses, metrics,
                  models, optimizers, regularizers, utils)
from axon.layers import Input
from axon.models import Sequential

__version__ = "0.1.0"

__all__ = ["Input", "Sequential", "activations", "backend", "callbacks", "config", "datasets", "initializers",
           "layers", "losses", "metrics", "models", "optimizers", "regularizers", "utils"]
