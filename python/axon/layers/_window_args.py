"""Keras' normalization of window arguments (kernel_size, strides, padding, data_format),
shared by the convolution and pooling layers."""

from axon import config
from axon.layers._sizes import check_int64, is_int, size_int


def normalize_tuple(value, rank, what, where, allow_zero=False):
    """An int or a sequence of `rank` ints -> a tuple of `rank` positive ints."""
    values = (value,) * rank if is_int(value) else value
    try:
        values = tuple(values)
    except TypeError:
        values = None
    ok = values is not None and len(values) == rank and all(
        is_int(v) and (v > 0 or allow_zero and v == 0) for v in values)
    if not ok:
        raise ValueError(f"{where}: {what} must be an integer or a tuple of {rank} positive integers, "
                         f"got {value!r}")
    return tuple(check_int64(v, what, where) for v in values)


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


def positive_int(value, what, where):
    """A positive int (not a bool), as Keras' filters / depth_multiplier."""
    return size_int(value, what, where)


def set_window_args(layer, rank, kernel_size, strides, padding, data_format, dilation_rate, where,
                    strided_dilation=True):
    """Sets layer.kernel_size/strides/padding/data_format/dilation_rate, Keras-normalized
    ('valid' or 'same' padding). strided_dilation=False refuses strides > 1 together with
    dilation_rate > 1, as Keras' transposed convolutions do."""
    layer.kernel_size = normalize_tuple(kernel_size, rank, "kernel_size", where)
    layer.strides = normalize_tuple(strides, rank, "strides", where)
    layer.dilation_rate = normalize_tuple(dilation_rate, rank, "dilation_rate", where)
    if not strided_dilation and max(layer.strides) > 1 and max(layer.dilation_rate) > 1:
        raise ValueError(f"{where}: strides > 1 is not supported together with dilation_rate > 1, got "
                         f"strides={layer.strides}, dilation_rate={layer.dilation_rate}")
    layer.padding = normalize_padding(padding, where)
    layer.data_format = normalize_data_format(data_format, where)
