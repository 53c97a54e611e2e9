"""Global settings, as in `keras.config`: the float type and epsilon."""

_FLOATX = "float32"
_EPSILON = 1e-7


def floatx():
    """The default float type of new models: 'float32' (default) or 'float64'."""
    return _FLOATX


def set_floatx(value):
    global _FLOATX
    if value not in ("float32", "float64"):
        raise ValueError(f"set_floatx: expected 'float32' or 'float64', got {value!r}")
    _FLOATX = value


def epsilon():
    return _EPSILON


def set_epsilon(value):
    global _EPSILON
    _EPSILON = float(value)


_IMAGE_DATA_FORMAT = "channels_last"


def image_data_format():
    """The default data_format of convolution and pooling layers: 'channels_last'."""
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format):
    global _IMAGE_DATA_FORMAT
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"set_image_data_format: expected 'channels_last' or 'channels_first', got {data_format!r}")
    _IMAGE_DATA_FORMAT = data_format
