"""Unique default names, as Keras gives them: 'dense', 'dense_1', 'dense_2', ..."""

import re
from collections import defaultdict

_counts = defaultdict(int)


def to_snake_case(name):
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    # As Keras: a digit before a capital does not split ('Conv2D' -> 'conv2d').
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def auto_name(prefix):
    n = _counts[prefix]
    _counts[prefix] += 1
    return prefix if n == 0 else f"{prefix}_{n}"


def reset_names():
    _counts.clear()
