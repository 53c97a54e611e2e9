"""axon.datasets.mnist and the get_file cache it downloads through."""

import gzip
import hashlib
import os
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from axon.datasets import mnist
from axon.utils import file_utils
from axon.utils.file_utils import DownloadError, get_file

IMAGES, LABELS = 0x00000803, 0x00000801


def _real_data_dir():
    env = os.environ.get("AXON_DATA_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "data"


def write_idx(path, array, magic, gz=False):
    header = magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in array.shape)
    payload = header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()
    if gz:
        path = path.with_name(path.name + ".gz")
        with gzip.open(path, "wb") as f:
            f.write(payload)
    else:
        path.write_bytes(payload)
    return path


def synthetic(n_train=3, n_test=2, seed=0):
    rng = np.random.default_rng(seed)
    return {
        "x_train": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "y_train": rng.integers(0, 10, n_train, dtype=np.uint8),
        "x_test": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "y_test": rng.integers(0, 10, n_test, dtype=np.uint8),
    }


def write_idx_dir(root, arrays, gz_keys=()):
    d = root / "mnist"
    d.mkdir(parents=True)
    for key, stem in mnist.IDX_FILES.items():
        magic = IMAGES if key.startswith("x") else LABELS
        write_idx(d / stem, arrays[key], magic, gz=key in gz_keys)
    return d


@pytest.fixture
def offline(monkeypatch):
    """Makes every download fail, and counts the attempts."""
    calls = []

    def refuse(url, *args, **kwargs):
        calls.append(url)
        raise urllib.error.URLError("network disabled by test")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    return calls


@pytest.fixture
def isolated(monkeypatch, tmp_path):
    """No AXON_DATA_DIR, and an empty cache directory under tmp_path."""
    monkeypatch.delenv("AXON_DATA_DIR", raising=False)
    cache = tmp_path / "cache"
    monkeypatch.setenv("AXON_CACHE_DIR", str(cache))
    return cache


def test_real_mnist(monkeypatch):
    data_dir = _real_data_dir()
    if not (data_dir / "mnist").is_dir():
        pytest.skip(f"real MNIST not found under {data_dir}")
    monkeypatch.setenv("AXON_DATA_DIR", str(data_dir))
    (x_train, y_train), (x_test, y_test) = mnist.load_data()

    assert x_train.shape == (60000, 28, 28) and x_train.dtype == np.uint8
    assert y_train.shape == (60000,) and y_train.dtype == np.uint8
    assert x_test.shape == (10000, 28, 28) and x_test.dtype == np.uint8
    assert y_test.shape == (10000,) and y_test.dtype == np.uint8
    assert y_train[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert y_test[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    assert np.bincount(y_train).tolist() == [
        5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert np.bincount(y_test).tolist() == [
        980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert int(x_train.sum(dtype=np.int64)) == 1567298545
    assert int(x_test.sum(dtype=np.int64)) == 264923200
    assert x_train.min() == 0 and x_train.max() == 255
    assert x_train.flags.writeable  # like np.load in Keras, not a read-only view


def test_plain_and_gz_idx_give_same_arrays(monkeypatch, tmp_path, offline):
    arrays = synthetic()
    write_idx_dir(tmp_path / "plain", arrays)
    write_idx_dir(tmp_path / "gz", arrays, gz_keys=set(arrays))
    write_idx_dir(tmp_path / "mixed", arrays, gz_keys={"x_train", "y_test"})
    for sub in ("plain", "gz", "mixed"):
        monkeypatch.setenv("AXON_DATA_DIR", str(tmp_path / sub))
        (x_train, y_train), (x_test, y_test) = mnist.load_data()
        np.testing.assert_array_equal(x_train, arrays["x_train"])
        np.testing.assert_array_equal(y_train, arrays["y_train"])
        np.testing.assert_array_equal(x_test, arrays["x_test"])
        np.testing.assert_array_equal(y_test, arrays["y_test"])
        assert x_train.dtype == np.uint8 and x_train.shape == (3, 28, 28)
    assert offline == []


def test_bad_magic_names_the_file(monkeypatch, tmp_path):
    d = write_idx_dir(tmp_path, synthetic())
    bad = d / "train-labels-idx1-ubyte"
    bad.write_bytes((0x00000803).to_bytes(4, "big") + bad.read_bytes()[4:])
    monkeypatch.setenv("AXON_DATA_DIR", str(tmp_path))
    with pytest.raises(ValueError) as err:
        mnist.load_data()
    message = str(err.value)
    assert "train-labels-idx1-ubyte" in message
    assert "expected 0x00000801" in message and "found 0x00000803" in message


def test_truncated_file_reports_expected_and_found_size(tmp_path):
    path = write_idx(tmp_path / "imgs", np.zeros((2, 28, 28), np.uint8), IMAGES)
    path.write_bytes(path.read_bytes()[:-5])
    with pytest.raises(ValueError, match=r"imgs.*expected 1584 bytes, found 1579"):
        mnist.read_idx(path, IMAGES)


def test_truncated_header_and_bad_gzip(tmp_path):
    short = tmp_path / "short"
    short.write_bytes(b"\x00\x00\x08")
    with pytest.raises(ValueError, match=r"short.*at least 16 bytes, found 3"):
        mnist.read_idx(short, IMAGES)
    fake_gz = tmp_path / "labels.gz"
    fake_gz.write_bytes(b"not gzip at all")
    with pytest.raises(ValueError, match=r"labels\.gz.*not a valid gzip"):
        mnist.read_idx(fake_gz, LABELS)


def test_label_count_must_match_images(monkeypatch, tmp_path):
    arrays = synthetic()
    arrays["y_test"] = np.zeros(5, np.uint8)  # 2 test images, 5 labels
    write_idx_dir(tmp_path, arrays)
    monkeypatch.setenv("AXON_DATA_DIR", str(tmp_path))
    with pytest.raises(ValueError, match=r"t10k-labels-idx1-ubyte: expected 2 labels.*found 5"):
        mnist.load_data()


def test_loads_from_cache_npz(isolated, offline):
    arrays = synthetic(n_train=4)
    isolated.mkdir()
    np.savez(isolated / "mnist.npz", **arrays)
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    np.testing.assert_array_equal(x_train, arrays["x_train"])
    np.testing.assert_array_equal(y_test, arrays["y_test"])
    assert offline == []


def test_incomplete_data_dir_falls_back_to_cache(monkeypatch, tmp_path, isolated, offline):
    d = write_idx_dir(tmp_path / "data", synthetic())
    (d / "t10k-labels-idx1-ubyte").unlink()
    monkeypatch.setenv("AXON_DATA_DIR", str(tmp_path / "data"))
    cached = synthetic(seed=7)
    isolated.mkdir()
    np.savez(isolated / "mnist.npz", **cached)
    (x_train, _), _ = mnist.load_data()
    np.testing.assert_array_equal(x_train, cached["x_train"])


def test_downloads_into_cache_once(monkeypatch, tmp_path, isolated, capsys):
    source = tmp_path / "remote.npz"
    arrays = synthetic(n_train=5)
    np.savez(source, **arrays)
    monkeypatch.setattr(mnist, "ORIGIN", source.as_uri())
    monkeypatch.setattr(mnist, "SHA256", hashlib.sha256(source.read_bytes()).hexdigest())

    (x_train, _), _ = mnist.load_data()
    np.testing.assert_array_equal(x_train, arrays["x_train"])
    assert (isolated / "mnist.npz").read_bytes() == source.read_bytes()
    assert sorted(p.name for p in isolated.iterdir()) == ["mnist.npz"]  # no temp left
    assert f"Downloading data from {source.as_uri()}" in capsys.readouterr().out

    def refuse(*args, **kwargs):
        raise AssertionError("second load must not download")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    (x_train, _), _ = mnist.load_data()
    assert x_train.shape == (5, 28, 28)


def test_nothing_available_gives_clear_error(monkeypatch, tmp_path, isolated, offline):
    monkeypatch.setenv("AXON_DATA_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(DownloadError) as err:
        mnist.load_data()
    assert isinstance(err.value, OSError)
    message = str(err.value)
    assert str(tmp_path / "nowhere" / "mnist") in message
    assert str(isolated / "mnist.npz") in message
    assert "network disabled by test" in message
    assert mnist.ORIGIN in message
    assert offline == [mnist.ORIGIN]
    assert not isolated.exists() or list(isolated.iterdir()) == []


def test_get_file_rejects_bad_hash_and_leaves_nothing(tmp_path):
    source = tmp_path / "blob.bin"
    source.write_bytes(b"payload")
    cache = tmp_path / "cache"
    with pytest.raises(DownloadError, match="expected sha256 " + "0" * 64):
        get_file("blob.bin", source.as_uri(), file_hash="0" * 64, cache_dir=cache, verbose=0)
    assert list(cache.iterdir()) == []


def test_get_file_md5_and_redownload_of_stale_cache(tmp_path):
    source = tmp_path / "blob.bin"
    source.write_bytes(b"fresh bytes")
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "blob.bin").write_bytes(b"stale")
    md5 = hashlib.md5(b"fresh bytes").hexdigest()
    path = get_file("blob.bin", source.as_uri(), file_hash=md5, cache_dir=cache, verbose=0)
    assert path == str(cache / "blob.bin")
    assert Path(path).read_bytes() == b"fresh bytes"


def test_default_cache_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("AXON_CACHE_DIR", str(tmp_path))
    assert file_utils.default_cache_dir() == tmp_path
    monkeypatch.delenv("AXON_CACHE_DIR")
    assert file_utils.default_cache_dir() == Path.home() / ".axon" / "datasets"
