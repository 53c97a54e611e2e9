"""MNIST handwritten digits, as `keras.datasets.mnist.load_data()` returns them.

Where the data comes from, first match wins:
1. `$AXON_DATA_DIR/mnist/`, holding the four original IDX files (plain or .gz),
   so tests and offline machines need no network;
2. the cache, `~/.axon/datasets/<path>` (or `$AXON_CACHE_DIR/<path>`), an .npz
   with keys x_train, y_train, x_test, y_test;
3. a download of Keras' own mnist.npz into that cache, checked by sha256.
"""

import gzip
import os
import zlib
from pathlib import Path

import numpy as np

from axon.utils import file_utils

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"

IDX_FILES = {
    "x_train": "train-images-idx3-ubyte",
    "y_train": "train-labels-idx1-ubyte",
    "x_test": "t10k-images-idx3-ubyte",
    "y_test": "t10k-labels-idx1-ubyte",
}
_IMAGES_MAGIC = 0x00000803  # unsigned bytes, 3 dims
_LABELS_MAGIC = 0x00000801  # unsigned bytes, 1 dim


def _read_bytes(path):
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rb") as f:
                return f.read()
        return path.read_bytes()
    except (gzip.BadGzipFile, EOFError, zlib.error) as e:
        raise ValueError(f"{path}: not a valid gzip file ({e}).") from e


def read_idx(path, magic):
    """Parses an unsigned-byte IDX file and checks it has the expected `magic`.

    Raises ValueError naming the file when the magic, the header or the file
    length is not what the header promises.
    """
    path = Path(path)
    data = _read_bytes(path)
    ndim = magic & 0xFF
    header = 4 + 4 * ndim
    if len(data) < header:
        raise ValueError(
            f"{path}: truncated IDX header, expected at least {header} bytes, "
            f"found {len(data)}."
        )
    found = int.from_bytes(data[:4], "big")
    if found != magic:
        raise ValueError(
            f"{path}: bad IDX magic number, expected 0x{magic:08x}, found 0x{found:08x}."
        )
    dims = tuple(int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    expected = header + int(np.prod(dims))
    if len(data) != expected:
        raise ValueError(
            f"{path}: size does not match its IDX header {dims}, expected "
            f"{expected} bytes, found {len(data)}."
        )
    # copy() so the caller gets a writable array that does not pin `data`.
    return np.frombuffer(data, dtype=np.uint8, offset=header).reshape(dims).copy()


def _find_idx(directory, stem):
    for name in (stem, stem + ".gz"):
        if (directory / name).is_file():
            return directory / name
    return None


def _load_idx_dir(directory):
    """Reads the four IDX files from `directory`, or returns (None, why-not)."""
    if not directory.is_dir():
        return None, f"{directory} does not exist"
    found = {key: _find_idx(directory, stem) for key, stem in IDX_FILES.items()}
    missing = [IDX_FILES[k] for k, p in found.items() if p is None]
    if missing:
        return None, f"{directory} lacks {', '.join(missing)} (plain or .gz)"
    arrays = {}
    for key, path in found.items():
        magic = _IMAGES_MAGIC if key.startswith("x") else _LABELS_MAGIC
        arrays[key] = read_idx(path, magic)
    for split in ("train", "test"):
        n_x, n_y = len(arrays["x_" + split]), len(arrays["y_" + split])
        if n_x != n_y:
            raise ValueError(
                f"{found['y_' + split]}: expected {n_x} labels to match "
                f"{found['x_' + split]}, found {n_y}."
            )
    return arrays, None


def _load_npz(path):
    with np.load(path, allow_pickle=False) as f:
        missing = [k for k in IDX_FILES if k not in f.files]
        if missing:
            raise ValueError(
                f"{path}: expected arrays x_train, y_train, x_test, y_test, "
                f"missing {', '.join(missing)}."
            )
        return {k: f[k] for k in IDX_FILES}


def load_data(path="mnist.npz"):
    """Loads MNIST: `(x_train, y_train), (x_test, y_test)`.

    x_train: uint8 (60000, 28, 28), y_train: uint8 (60000,) in 0..9,
    x_test: uint8 (10000, 28, 28), y_test: uint8 (10000,).

    Args:
        path: name of the cached .npz inside the cache directory (as in Keras,
            relative to the cache; an absolute path is used as is).

    Raises:
        ValueError: a data file was found but is malformed.
        axon.utils.file_utils.DownloadError: no local copy and the download
            failed; the message lists every place looked at.
    """
    looked = []
    data_dir = os.environ.get("AXON_DATA_DIR")
    if data_dir:
        arrays, why = _load_idx_dir(Path(data_dir).expanduser() / "mnist")
        if arrays is not None:
            return _split(arrays)
        looked.append(f"$AXON_DATA_DIR: {why}")
    else:
        looked.append("$AXON_DATA_DIR: not set")

    cached = file_utils.default_cache_dir() / path
    if cached.is_file():
        return _split(_load_npz(cached))
    looked.append(f"cache: {cached} does not exist")

    try:
        fetched = file_utils.get_file(path, origin=ORIGIN, file_hash=SHA256)
    except file_utils.DownloadError as e:
        raise file_utils.DownloadError(
            "MNIST is not available. Looked in:\n  "
            + "\n  ".join(looked)
            + f"\nand the download failed: {e}\n"
            "Set AXON_DATA_DIR to a directory with mnist/ holding the four IDX "
            f"files, or place mnist.npz at {cached}."
        ) from e
    return _split(_load_npz(fetched))


def _split(arrays):
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])
