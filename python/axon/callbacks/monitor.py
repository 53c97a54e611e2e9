"""Shared checks for callbacks that watch a logged quantity (EarlyStopping, ReduceLROnPlateau)."""

import numbers
import re

# Keras 3 infers mode='auto' from each metric's `_direction`; axon metrics carry no such
# attribute, so the same table is kept by log name (Keras' names and aliases, optionally
# made unique with a '_<n>' suffix as Keras does for repeated names).
_UP = ("accuracy", "acc", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
       "top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy", "auc", "precision", "recall",
       "f1_score", "fbeta_score", "r2_score", "cosine_similarity")
_DOWN = ("loss", "mean_squared_error", "mse", "root_mean_squared_error", "mean_absolute_error", "mae",
         "mean_absolute_percentage_error", "mape", "mean_squared_logarithmic_error", "msle", "logcosh",
         "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy", "kl_divergence",
         "poisson")
_SUFFIX = re.compile(r"_\d+$")


def metric_direction(monitor):
    """'up', 'down', or None when the name is not a known metric."""
    name = _SUFFIX.sub("", monitor.removeprefix("val_"))
    if name in _UP:
        return "up"
    if name in _DOWN:
        return "down"
    return None


def check_monitor(owner, monitor):
    if not isinstance(monitor, str) or not monitor:
        raise TypeError(f"{owner}: monitor must be the name of a logged quantity such as 'val_loss', got {monitor!r}")
    return monitor


def check_mode(owner, mode):
    if mode not in ("auto", "min", "max"):
        raise ValueError(f"{owner}: mode must be 'auto', 'min' or 'max', got {mode!r}")
    return mode


def check_number(owner, arg, value, minimum=None, integer=False):
    kinds = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kinds):
        expected = "an integer" if integer else "a number"
        raise TypeError(f"{owner}: {arg} must be {expected}, got {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{owner}: {arg} must be >= {minimum}, got {value!r}")
    return value
