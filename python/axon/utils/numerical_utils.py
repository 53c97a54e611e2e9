"""NumPy helpers for labels and vectors: `to_categorical` and `normalize`.

Both follow the NumPy code path of Keras 3 (`keras.utils.to_categorical`,
`keras.utils.normalize`): `to_categorical` returns float64, like Keras' `np.zeros`.
Unlike Keras, labels are validated instead of being silently cast to int64
(which would turn 2.7 into 2 and let -1 write into the last column).
"""

import numbers

from axon._numpy_on_first_use import numpy_on_first_use

np = numpy_on_first_use(globals())  # imports numpy on first use: `import axon` stays fast


def _check_labels(x):
    """Returns `x` as a flat int64 array, or raises ValueError naming the bad label."""
    if x.dtype.kind == "b":
        return x.astype(np.int64).reshape(-1)
    if x.dtype.kind not in "iuf":
        raise ValueError(
            "Invalid `x` passed to to_categorical: expected non-negative integer "
            f"class labels, received an array of dtype {x.dtype}."
        )
    flat = x.reshape(-1)
    if x.dtype.kind == "f":
        bad = ~np.isfinite(flat) | (flat != np.floor(flat))
        if bad.any():
            i = int(np.argmax(bad))
            raise ValueError(
                "Invalid `x` passed to to_categorical: expected non-negative integer "
                f"class labels, received {flat[i].item()!r} at flat index {i}."
            )
    if flat.size and flat.min() < 0:
        i = int(np.argmin(flat))
        raise ValueError(
            "Invalid `x` passed to to_categorical: expected non-negative integer "
            f"class labels, received {flat[i].item()!r} at flat index {i}."
        )
    return flat.astype(np.int64)


def _check_num_classes(num_classes):
    if isinstance(num_classes, bool) or not isinstance(num_classes, numbers.Real):
        raise ValueError(
            "Invalid `num_classes` passed to to_categorical: expected a positive "
            f"integer, received {num_classes!r}."
        )
    if num_classes < 0 or num_classes != int(num_classes):
        raise ValueError(
            "Invalid `num_classes` passed to to_categorical: expected a positive "
            f"integer, received {num_classes!r}."
        )
    return int(num_classes)


def to_categorical(x, num_classes=None):
    """Converts integer class labels to a one-hot float64 matrix (class axis last).

    A trailing axis of size 1 is dropped first, so labels of shape (N, 1) give
    (N, num_classes) rather than (N, 1, num_classes), as in Keras.

    Args:
        x: array-like of integer labels in [0, num_classes).
        num_classes: total number of classes; `None` (or 0, as in Keras) means
            `max(x) + 1`.
    """
    x = np.asarray(x)
    input_shape = x.shape
    if len(input_shape) > 1 and input_shape[-1] == 1:
        input_shape = input_shape[:-1]
    flat = _check_labels(x)

    if num_classes is not None:
        num_classes = _check_num_classes(num_classes)
    if not num_classes:
        if flat.size == 0:
            raise ValueError(
                "Invalid `x` passed to to_categorical: cannot infer `num_classes` "
                "from an empty array; pass num_classes explicitly."
            )
        num_classes = int(flat.max()) + 1
    elif flat.size and flat.max() >= num_classes:
        i = int(np.argmax(flat))
        raise ValueError(
            "Invalid `x` passed to to_categorical: expected class labels < "
            f"num_classes={num_classes}, received {flat[i].item()} at flat index {i}."
        )

    categorical = np.zeros((flat.shape[0], num_classes))
    categorical[np.arange(flat.shape[0]), flat] = 1
    return categorical.reshape(tuple(input_shape) + (num_classes,))


def normalize(x, axis=-1, order=2):
    """Returns a copy of `x` scaled to unit `order`-norm along `axis`.

    Zero vectors are left as zeros (their norm is replaced by 1), as in Keras.
    `axis=None` divides by the norm of the whole (flattened) array.
    Like Keras, a 1-D input comes back with a leading axis: [3, 4] -> [[0.6, 0.8]].
    """
    x = np.asarray(x)
    if axis is None:
        norm = np.linalg.norm(x.reshape(-1), order)
        return x / (norm if norm != 0 else 1)
    norm = np.atleast_1d(np.linalg.norm(x, order, axis))
    norm[norm == 0] = 1
    # Keras writes `axis = axis or -1`, which mis-broadcasts axis=0; we keep the
    # axis the caller asked for.
    return x / np.expand_dims(norm, axis)
