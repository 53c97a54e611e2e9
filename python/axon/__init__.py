"""axon: the Keras experience on a C++ engine.

    import axon as keras
    model = keras.Sequential([keras.layers.Dense(10, activation="softmax")])
"""

from axon import _lazy, activations, config, constraints, initializers, layers, models, regularizers, utils
from axon.layers import Input
from axon.models import Sequential

__version__ = "0.1.0"


# Loaded on first use (axon.losses, axon.datasets.mnist, ...): `import axon` stays fast for
# code that never touches them. Each is ~2-5 ms; datasets pulls in gzip and the downloader.
__getattr__, __dir__ = _lazy.lazy_attributes(
    globals(), submodules=("backend", "callbacks", "datasets", "losses", "metrics", "optimizers", "saving"))

__all__ = ["Input", "Sequential", "activations", "backend", "callbacks", "config", "constraints", "datasets",
           "initializers", "layers", "losses", "metrics", "models", "optimizers", "regularizers", "saving", "utils"]
