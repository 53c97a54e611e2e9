"""What CIFAR-10 and CIFAR-100 share: batches read straight out of the downloaded
.tar.gz (no extraction step to leave half done), pickled dicts of uint8 rows."""

import tarfile

import numpy as np

from axon.datasets._pickled import load_pickle


def read_batches(path, members, label_key):
    """{member: (x (n, 32, 32, 3) uint8, y (n, 1) uint8)} from the tarball at `path`."""
    out = {}
    try:
        with tarfile.open(path, "r:gz") as tar:
            names = set(tar.getnames())
            for member in members:
                if member not in names:
                    raise ValueError(f"{path}: the archive lacks {member}")
                with tar.extractfile(member) as f:
                    out[member] = _batch(load_pickle(f, f"{path}:{member}"), label_key, f"{path}:{member}")
    except (tarfile.TarError, EOFError, OSError) as e:
        raise ValueError(f"{path}: not a valid CIFAR .tar.gz ({e})") from e
    return out


def _batch(d, label_key, source):
    if not isinstance(d, dict):
        raise ValueError(f"{source}: expected a pickled dict, found {type(d).__name__}")
    d = {k.decode("utf8") if isinstance(k, bytes) else k: v for k, v in d.items()}
    if "data" not in d or label_key not in d:
        raise ValueError(f"{source}: expected keys 'data' and {label_key!r}, found {sorted(d)}")
    data = np.asarray(d["data"], dtype=np.uint8)
    labels = np.asarray(d[label_key], dtype=np.uint8).reshape(-1, 1)
    if data.ndim != 2 or data.shape[1] != 3 * 32 * 32 or len(data) != len(labels):
        raise ValueError(f"{source}: expected data of shape (n, 3072) and n labels, found {data.shape} and "
                         f"{len(labels)}")
    # stored channels-first per row; axon is channels_last, as Keras by default
    return data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1).copy(), labels


def join(batches):
    xs, ys = zip(*batches)
    return np.concatenate(xs), np.concatenate(ys)
