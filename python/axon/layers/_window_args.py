"""Keras' normalization of window arguments (kernel_size, strides, padding, data_format),
shared by the convolution and pooling layers."""

import numpy as np

from axon import config


def normalize_tuple(value, rank, what, where, allow_zero=False):
    """An int or a sequence of `rank` ints -> a tuple of `rank` positive ints."""
    values = (value,) * rank if isinstance(value, (int, np.integer)) and not isinstance(value, bool) else value
    try:
        values = tuple(values)
    except TypeError:
        values = None
    ok = values is not None and len(values) == rank and all(
        isinstance(v, (int, np.integer)) and not isinstance(v, bool) and (v > 0 or allow_zero and v == 0)
        for v in values)
    if not ok:
        raise ValueError(f"{where}: {what} must be an integer or a tuple of {rank} positive integers, "
                         f"got {value!r}")
    return tuple(int(v) for v in values)


def normalize_padding(padding, where, allowed=("valid", "same")):
    p = padding.lower() if isinstance(padding, str) else padding
    if p not in allowed:
        raise ValueError(f"{where}: padding must be one of {', '.join(repr(a) for a in allowed)}, got {padding!r}")
    return p


def normalize_data_format(data_format, where):
    if data_format is None:
        return config.image_data_format()
    f = data_format.lower() if isinstance(data_format, str) else data_format
    if f not in ("channels_last", "channels_first"):
        raise ValueError(f"{where}: data_format must be 'channels_last' or 'channels_first', got {data_format!r}")
    return f
