"""Integer size arguments of layers (units, filters, kernel_size, shapes, paddings), checked
before they reach the engine: pybind11 answers an int beyond int64 with a TypeError listing
its overloads, and a float or bool would be truncated or taken for 1."""

import numbers

INT64_MAX = 2**63 - 1
INT32_MAX = 2**31 - 1  # the engine's axis arguments are C ints
# The engine's kMaxTensorValues (cpp/core/tensor.hpp): 2**44 float64 values fill the 47-bit
# user address space, so no tensor (one sample's activation, one weight) may be larger.
MAX_TENSOR_VALUES = 2**44


def is_int(value):
    """An int or NumPy integer, not a bool (numbers.Integral: no NumPy import needed)."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_int64(value, what, where):
    """`value` (an int) as an int, or a ValueError when the engine's 64-bit sizes cannot hold it."""
    if not -INT64_MAX - 1 <= value <= INT64_MAX:
        raise ValueError(f"{where}: {what}={value} does not fit the engine's 64-bit integers "
                         f"(at most 2**63 - 1 = {INT64_MAX})")
    return int(value)


def axis_int(value, what, where):
    """An axis index (an int; its range is checked against the input's rank at build). The
    engine reads axes as 32-bit ints: beyond that no input has such an axis anyway."""
    if not is_int(value):
        raise ValueError(f"{where}: {what} must be an integer, got {value!r}")
    if not -INT32_MAX - 1 <= value <= INT32_MAX:
        raise ValueError(f"{where}: {what}={value} is not an axis of any input (the engine's axes are 32-bit, "
                         f"|{what}| < 2**31)")
    return int(value)


def size_int(value, what, where, allow_zero=False):
    """A positive (or, allow_zero, non-negative) int that fits int64."""
    if not is_int(value) or value < 0 or (value == 0 and not allow_zero):
        kind = "non-negative" if allow_zero else "positive"
        raise ValueError(f"{where}: {what} must be a {kind} integer, got {value!r}")
    return check_int64(value, what, where)


def check_sample_shape(dims, what):
    """A per-sample shape whose tensor can exist (at most MAX_TENSOR_VALUES values)."""
    values = 1
    for d in dims:
        values *= d
    if values > MAX_TENSOR_VALUES:
        raise ValueError(f"{what} {tuple(dims)} would hold {values} values per sample, more than the "
                         f"2**44 one tensor can hold (128 TiB of float64, the whole address space)")
