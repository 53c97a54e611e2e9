"""Reading Keras' pickled dataset files without running arbitrary pickles.

imdb.npz and reuters.npz hold ragged (object) arrays and CIFAR batches are pickled
dicts; a plain `pickle.load` would execute whatever a tampered cache file says. This
unpickler only rebuilds NumPy arrays, dtypes and plain Python containers.
"""

import pickle
import zipfile

import numpy as np

_ALLOWED = {
    ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
    ("numpy", "ndarray"), ("numpy", "dtype"),
    ("numpy.core.multiarray", "scalar"), ("numpy._core.multiarray", "scalar"),
    ("_codecs", "encode"),  # how protocol-2 pickles written by Python 3 spell bytes
}


class RestrictedUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refusing to load {module}.{name} from a dataset file: only NumPy arrays "
                                     "and plain Python values are expected")


def load_pickle(f, source):
    try:
        return RestrictedUnpickler(f, encoding="bytes").load()
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError) as e:
        raise ValueError(f"{source}: not a valid dataset pickle ({e})") from e


def load_npz(path, keys):
    """{key: array} for `keys` of the .npz at `path`, object arrays through the restricted unpickler."""
    out = {}
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as e:
        raise ValueError(f"{path}: not a valid .npz file ({e})") from e
    with archive:
        names = set(archive.namelist())
        missing = [k for k in keys if k + ".npy" not in names]
        if missing:
            raise ValueError(f"{path}: expected arrays {', '.join(keys)}, missing {', '.join(missing)}")
        for key in keys:
            with archive.open(key + ".npy") as f:
                out[key] = _read_npy(f, f"{path}[{key}]")
    return out


def _read_npy(f, source):
    fmt = np.lib.format
    version = fmt.read_magic(f)
    read_header = fmt.read_array_header_1_0 if version == (1, 0) else fmt.read_array_header_2_0
    shape, fortran, dtype = read_header(f)
    if dtype.hasobject:
        array = load_pickle(f, source)
        if not isinstance(array, np.ndarray):
            raise ValueError(f"{source}: expected a pickled array, found {type(array).__name__}")
        return array
    data = f.read()
    count = int(np.prod(shape)) if shape else 1
    if len(data) != count * dtype.itemsize:
        raise ValueError(f"{source}: truncated array data, expected {count * dtype.itemsize} bytes, "
                         f"found {len(data)}")
    array = np.frombuffer(data, dtype=dtype, count=count)
    return array.reshape(shape[::-1]).T if fortran else array.reshape(shape)
