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
