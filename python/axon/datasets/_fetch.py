"""Where a dataset file comes from, first match wins:

1. `$AXON_DATA_DIR/<relative path>` (the file as Keras downloads it), so offline machines
   and tests need no network; trusted as placed there;
2. the download cache (`~/.axon/datasets/<relative path>`, or under `$AXON_CACHE_DIR`),
   downloaded from Keras' origin on first use and checked against Keras' sha256/md5.
"""

import os
from pathlib import Path

from axon.utils import file_utils

KERAS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"


def fetch(dataset, relpath, origin, file_hash):
    """Local path of `relpath`; DownloadError listing every place looked at if none."""
    looked = []
    data_dir = os.environ.get("AXON_DATA_DIR")
    if data_dir:
        local = Path(data_dir).expanduser() / relpath
        if local.is_file():
            return local
        looked.append(f"$AXON_DATA_DIR: {local} does not exist")
    else:
        looked.append("$AXON_DATA_DIR: not set")
    cached = file_utils.default_cache_dir() / relpath
    try:
        return Path(file_utils.get_file(relpath, origin=origin, file_hash=file_hash))
    except file_utils.DownloadError as e:
        raise file_utils.DownloadError(
            f"{dataset} is not available. Looked in:\n  " + "\n  ".join(looked)
            + f"\nand the download into the cache ({cached}) failed: {e}\n"
            f"Set AXON_DATA_DIR to a directory holding {relpath}, or place the file at {cached}."
        ) from e


def check_test_split(who, test_split):
    if not 0 <= test_split < 1:
        raise ValueError(f"{who}.load_data: test_split must be in [0, 1), got {test_split!r}")


def split_by_fraction(x, y, test_split, seed, who):
    """Keras' housing split: shuffle with RandomState(seed), the last test_split for test."""
    import numpy as np

    check_test_split(who, test_split)
    indices = np.arange(len(x))
    np.random.RandomState(seed).shuffle(indices)
    x, y = x[indices], y[indices]
    cut = int(len(x) * (1 - test_split))
    return (np.array(x[:cut]), np.array(y[:cut])), (np.array(x[cut:]), np.array(y[cut:]))
