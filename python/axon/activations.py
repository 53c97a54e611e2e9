"""Activation functions (`axon.activations`), computed by the engine's kernels.

Each function takes an array and returns float64 values; anywhere `activation=` is taken,
the name string or the function itself may be given.
"""

import numpy as np

from axon import _core

_NAMES = ("linear", "relu", "sigmoid", "tanh", "softmax")


def _apply(name, x):
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 0:
        return _core.activation(name, x.reshape(1))[0]
    return _core.activation(name, x)


def linear(x):
    return _apply("linear", x)


def relu(x):
    return _apply("relu", x)


def sigmoid(x):
    return _apply("sigmoid", x)


def tanh(x):
    return _apply("tanh", x)


def softmax(x, axis=-1):
    x = np.asarray(x, dtype=np.float64)
    if axis not in (-1, x.ndim - 1):
        return np.moveaxis(_apply("softmax", np.moveaxis(x, axis, -1)), -1, axis)
    return _apply("softmax", x)


def serialize(activation):
    return get(activation)


def deserialize(name):
    return globals()[get(name)]


def get(identifier):
    """The engine's name for `identifier` (None, a name, or one of this module's functions)."""
    if identifier is None:
        return "linear"
    if callable(identifier) and getattr(identifier, "__module__", None) == __name__:
        return identifier.__name__
    if isinstance(identifier, str) and identifier in _NAMES:
        return identifier
    raise ValueError(
        f"activation: unknown activation {identifier!r}; expected None or one of {', '.join(_NAMES)}"
    )
