"""Turning what users pass to fit/evaluate/predict into arrays the engine reads in place.

Arrays that are already C-contiguous in the model's dtype pass through without a copy;
anything else (lists, float64, ints, non-contiguous views) is converted once.
"""

import numbers

from axon._numpy_on_first_use import numpy_on_first_use
from axon.layers._sizes import INT64_MAX

np = numpy_on_first_use(globals())  # imports numpy on first use: `import axon` stays fast


def check_real_dtype(array, name):
    """Refuses what a cast to float would silently corrupt: complex (the imaginary part
    dropped), datetimes, strings and objects. Booleans, integers and floats pass."""
    kind = array.dtype.kind
    if kind == "c":
        raise TypeError(f"{name}: complex data (dtype {array.dtype}) is not supported, and casting it would drop "
                        "the imaginary part; pass its real part (.real) or its magnitude (abs()) explicitly")
    if kind not in "biuf":
        raise TypeError(f"{name}: expected numeric data (bool, integer or float), got an array of dtype {array.dtype}")


def as_array(value, name, dtype):
    """`value` as a C-contiguous `dtype` array with a batch axis; clear errors otherwise."""
    if value is None:
        raise ValueError(f"{name}: expected an array, got None")
    try:
        array = np.asarray(value)
    except (ValueError, TypeError) as e:
        raise ValueError(f"{name}: could not be read as an array ({e})") from None
    check_real_dtype(array, name)
    if array.ndim == 0:
        raise ValueError(f"{name}: expected an array with a batch dimension, got a scalar")
    if array.shape[0] == 0:
        raise ValueError(f"{name}: is empty (shape {array.shape}); expected at least one sample")
    return np.ascontiguousarray(array, dtype=dtype)


def check_inputs(x, input_shape, name="x"):
    """x must be (N,) + input_shape (a trailing size-1 axis may be left out, as in Keras)."""
    if x.shape[1:] == tuple(input_shape):
        return x
    if x.ndim == 1 and tuple(input_shape) == (1,):
        return x.reshape(-1, 1)
    raise ValueError(
        f"{name}: expected shape (N, {', '.join(map(str, input_shape))}) to match the model's input "
        f"(None, {', '.join(map(str, input_shape))}), got {x.shape}"
    )


def check_targets(y, n, output_shape, target_size, loss_name, name="y"):
    """y reshaped to (N, target_size), the layout the loss reads; checks count and NaN."""
    if y.shape[0] != n:
        raise ValueError(f"x and {name} must have the same number of samples, got {n} and {y.shape[0]}")
    if np.issubdtype(y.dtype, np.floating) and np.isnan(y).any():
        raise ValueError(f"{name}: contains NaN; labels and targets must be finite")
    if y.size != n * target_size:
        expected = (n,) + tuple(output_shape) if target_size == int(np.prod(output_shape)) else (n,)
        raise ValueError(
            f"{name}: expected shape {expected} for loss '{loss_name}' with output shape "
            f"(None, {', '.join(map(str, output_shape))}), got {y.shape}"
        )
    return y.reshape(n, target_size)


def check_sample_weight(sample_weight, n, where):
    """Per-sample loss weights as a float64 (n,) array, or None; (n, 1) is flattened."""
    if sample_weight is None:
        return None
    try:
        w = np.asarray(sample_weight)
        if w.dtype.kind in "OSU":  # a list of numbers in objects or strings: let NumPy parse it
            w = w.astype(np.float64)
    except (ValueError, TypeError) as e:
        raise ValueError(f"{where}: sample_weight could not be read as an array of numbers ({e})") from None
    check_real_dtype(w, f"{where}: sample_weight")
    w = w.astype(np.float64, copy=False)
    if w.ndim == 2 and w.shape[1] == 1:
        w = w[:, 0]
    if w.ndim != 1 or w.shape[0] != n:
        raise ValueError(f"{where}: sample_weight must have shape ({n},) or ({n}, 1), one weight per sample, "
                         f"got shape {w.shape}")
    if not np.all(np.isfinite(w)):
        raise ValueError(f"{where}: sample_weight contains NaN or infinite values")
    return w


def split_validation(x, y, fraction, sample_weight=None):
    """Keras' validation_split: the last `fraction` of the samples, before any shuffling.

    Returns ((x, y, w), (x_val, y_val, w_val)); the weights are None when sample_weight is.
    """
    if isinstance(fraction, bool) or not isinstance(fraction, numbers.Real) or not 0 <= fraction < 1:
        raise ValueError(f"fit: validation_split must be a number in [0, 1), got {fraction!r}")
    split_at = int(np.floor(x.shape[0] * (1.0 - fraction)))
    if split_at == 0 or split_at == x.shape[0]:
        raise ValueError(f"fit: validation_split={fraction} leaves no training or no validation samples "
                         f"out of {x.shape[0]}")
    w = sample_weight
    if sample_weight is None:
        return (x[:split_at], y[:split_at], None), (x[split_at:], y[split_at:], None)
    return (x[:split_at], y[:split_at], w[:split_at]), (x[split_at:], y[split_at:], w[split_at:])


def check_batch_size(batch_size, name="batch_size"):
    if batch_size is None:
        return 32
    if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) or batch_size <= 0:
        raise ValueError(f"{name}: expected a positive integer, got {batch_size!r}")
    if batch_size > INT64_MAX:  # the engine's sizes are int64
        raise ValueError(f"{name}: {batch_size} does not fit the engine's 64-bit integers (at most 2**63 - 1)")
    return int(batch_size)


def check_class_weight(class_weight):
    """{class index: weight} with finite weights, or None."""
    if class_weight is None:
        return None
    if not isinstance(class_weight, dict):
        raise ValueError(f"fit: class_weight must be a dict mapping class indices to weights, got "
                         f"{type(class_weight).__name__}")
    checked = {}
    for key, value in class_weight.items():
        if isinstance(key, bool) or not isinstance(key, (numbers.Integral, np.integer)) or key < 0:
            raise ValueError(f"fit: class_weight keys must be non-negative class indices, got {key!r}")
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
            raise ValueError(f"fit: class_weight[{key}] must be a finite number, got {value!r}")
        checked[int(key)] = float(value)
    return checked


def class_weight_to_sample_weight(y, class_weight):
    """Keras 3's rule: the class of a sample is argmax of a one-hot (or probability) row, or
    the rounded label itself; classes missing from class_weight weigh 1."""
    y = np.asarray(y)
    labels = np.argmax(y, axis=-1) if y.ndim > 1 and y.shape[-1] != 1 else np.round(y.reshape(y.shape[0], -1)[:, 0])
    labels = labels.astype(np.int64)
    weights = np.ones(labels.shape[0])
    for cls, weight in class_weight.items():
        weights[labels == cls] = weight
    return weights
