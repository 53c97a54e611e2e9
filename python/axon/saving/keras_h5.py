"""Keras 3 weights in HDF5 (`model.weights.h5` inside a `.keras`, or a `.weights.h5` file).

Layout Keras 3 writes for a Sequential model::

    /layers/<key>/vars       group, attribute name=<layer name>; datasets "0", "1", ... in the
                             layer's weight order (Dense: kernel, bias; PReLU: alpha)
    /optimizer/vars          the optimizer's variables (not read by axon, see below)
    /vars                    the model's own variables (none for Sequential)

<key> is not the layer's name: it is the snake_case of the layer's class, numbered in
model order among layers of that class ("dense", "dense_1", "p_re_lu", ...), InputLayer
excluded. Pairing file and model therefore goes by class and position, as Keras does.

The file is untrusted: only hard links are followed, external or virtual datasets are
refused (they would read other files), and a dataset's shape and dtype are checked
against the layer before a byte of it is read. Optimizer state is neither read nor
written (a loaded model starts its optimizer fresh); /optimizer/vars holds Keras'
unbuilt-optimizer pair (iterations, learning_rate) so Keras loads the file as its own.
"""

import contextlib
import io
import warnings

import numpy as np

from axon.saving import format as fmt
from axon.utils import naming


def _h5py():
    try:
        import h5py
    except ImportError as e:  # optional dependency: only Keras files need it
        raise ImportError("Keras files (.keras, .weights.h5) need the h5py package: pip install h5py") from e
    return h5py


def layer_keys(model):
    """[(h5 key, layer)] for the model's layers, in Keras' naming."""
    counts, keys = {}, []
    for layer in model.layers:
        base = naming.to_snake_case(type(layer).__name__)
        n = counts.get(base, -1) + 1
        counts[base] = n
        keys.append((base if n == 0 else f"{base}_{n}", layer))
    return keys


# What h5py raises on a corrupted file, by where HDF5 notices: a damaged B-tree or heap
# surfaces as KeyError or RuntimeError, a bad message as OSError, ValueError or TypeError.
_H5_ERRORS = (KeyError, RuntimeError, OSError, ValueError, TypeError, IndexError)


@contextlib.contextmanager
def _corruption_is_a_format_error(source, where):
    try:
        yield
    except fmt.FormatError:
        raise
    except _H5_ERRORS as e:
        raise fmt.FormatError(f"{source}: {where} cannot be read, the HDF5 file is corrupted "
                              f"({type(e).__name__}: {e})") from e


def _hard_child(h5py, group, name, kind, source, where):
    with _corruption_is_a_format_error(source, where):
        link = group.get(name, getlink=True)
        if link is None:
            return None
        if not isinstance(link, h5py.HardLink):
            fmt._fail(source, f"{where} is a {type(link).__name__}; only plain groups and datasets are read")
        child = group[name]
    if not isinstance(child, kind):
        fmt._fail(source, f"{where} is a {type(child).__name__}, expected a {kind.__name__}")
    return child


def _read_dataset(h5py, group, index, expected_shape, dtype, source, where):
    ds = _hard_child(h5py, group, str(index), h5py.Dataset, source, where)
    if ds is None:
        fmt._fail(source, f"{where} is missing")
    with _corruption_is_a_format_error(source, where):
        if ds.is_virtual or ds.external:
            fmt._fail(source, f"{where} refers to data outside the file (virtual or external dataset)")
        if ds.dtype.kind != "f" or ds.dtype.itemsize not in (2, 4, 8):
            fmt._fail(source, f"{where} has dtype {ds.dtype}, expected a floating-point dtype")
        if tuple(ds.shape) != tuple(expected_shape):
            fmt._fail(source, f"{where} has shape {tuple(ds.shape)}, expected {tuple(expected_shape)}")
        out = np.empty(expected_shape, dtype=ds.dtype)
        if out.size:
            ds.read_direct(out)
    return out.astype(dtype, copy=False)


def read_weights(model, file, source, skip_mismatch=False):
    """{layer: [arrays]} for the model's weight-bearing layers, read and checked from the
    HDF5 `file` (a path or a file object); nothing is assigned here."""
    h5py = _h5py()
    with _corruption_is_a_format_error(source, "the file"):
        try:
            h5 = h5py.File(file, "r")
        except (OSError, ValueError) as e:
            fmt._fail(source, f"not a valid HDF5 weights file: {e}")
    with h5:
        return _read_layers(h5py, h5, model, source, skip_mismatch)


def _read_layers(h5py, h5, model, source, skip_mismatch):
    out = {}
    layers = _hard_child(h5py, h5, "layers", h5py.Group, source, "group /layers")
    if layers is None:
        fmt._fail(source, "not a Keras 3 weights file: it has no /layers group (Keras 2 .h5 weights are "
                          "not supported)")
    for key, layer in layer_keys(model):
        shapes = [tuple(w.shape) for w in layer.weights]
        if not shapes:
            continue
        where = f"/layers/{key}/vars"
        try:
            group = _hard_child(h5py, layers, key, h5py.Group, source, f"/layers/{key}")
            if group is not None:
                group = _hard_child(h5py, group, "vars", h5py.Group, source, where)
            if group is None:
                fmt._fail(source, f"has no weights for layer '{layer.name}' ({type(layer).__name__}, "
                                  f"expected group {where})")
            with _corruption_is_a_format_error(source, where):
                count = len(group)
            if count != len(shapes):
                fmt._fail(source, f"{where} holds {count} weights, layer '{layer.name}' has "
                                  f"{len(shapes)} {shapes}")
            out[layer] = [_read_dataset(h5py, group, i, s, model._dtype(), source,
                                        f"{where}/{i} (layer '{layer.name}')") for i, s in enumerate(shapes)]
        except fmt.FormatError as e:
            if not skip_mismatch:
                raise
            warnings.warn(f"{e}; skipped (skip_mismatch=True)", stacklevel=5)
    return out


def weights_bytes(model, with_optimizer):
    """The model's weights as Keras 3 HDF5 bytes."""
    h5py = _h5py()
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as h5:
        layers = h5.create_group("layers")
        for key, layer in layer_keys(model):
            group = layers.create_group(key).create_group("vars")
            group.attrs["name"] = layer.name
            for i, value in enumerate(layer.get_weights()):
                group.create_dataset(str(i), data=value)
        if with_optimizer:  # Keras only visits an optimizer when the model is compiled
            optimizer = h5.create_group("optimizer").create_group("vars")
            optimizer.attrs["name"] = getattr(model.optimizer, "name", None) or "optimizer"
            optimizer.create_dataset("0", data=np.int64(0))
            lr = getattr(model.optimizer, "_learning_rate", None)
            optimizer.create_dataset("1", data=np.float32(lr if isinstance(lr, float) else 0.0))
        h5.create_group("vars").attrs["name"] = model.name
    return buffer.getvalue()
