"""The Keras-compatible datasets, downloaded from a loopback server: never the internet."""

import gzip
import io
import json
import pickle
import socket
import tarfile

import numpy as np
import pytest

from axon.datasets import (boston_housing, california_housing, cifar10, cifar100, fashion_mnist, imdb,
                           reuters)
from axon.datasets._pickled import load_npz
from axon.utils.file_utils import DownloadError
from datasets_server import Server, md5, sha256


@pytest.fixture
def server(tmp_path, monkeypatch):
    """Serves tmp_path/www; downloads cache into tmp_path/cache; no AXON_DATA_DIR."""
    www = tmp_path / "www"
    www.mkdir()
    monkeypatch.delenv("AXON_DATA_DIR", raising=False)
    monkeypatch.setenv("AXON_CACHE_DIR", str(tmp_path / "cache"))
    srv = Server(www)
    yield srv
    srv.close()


def idx_gz(path, array):
    magic = 0x803 if array.ndim == 3 else 0x801
    header = magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in array.shape)
    with gzip.open(path, "wb") as f:
        f.write(header + array.astype(np.uint8).tobytes())


def fashion_files(www, rng):
    arrays = {"x_train": rng.integers(0, 256, (5, 28, 28)), "y_train": rng.integers(0, 10, 5),
              "x_test": rng.integers(0, 256, (3, 28, 28)), "y_test": rng.integers(0, 10, 3)}
    for key, (fname, _) in fashion_mnist.FILES.items():
        idx_gz(www / fname, arrays[key])
    return arrays


def test_fashion_mnist_downloads_verifies_and_caches(server, rng, monkeypatch, tmp_path):
    arrays = fashion_files(server.root, rng)
    monkeypatch.setattr(fashion_mnist, "KERAS_ORIGIN", server.url)
    monkeypatch.setattr(fashion_mnist, "FILES", {k: (f, sha256(server.root / f))
                                                 for k, (f, _) in fashion_mnist.FILES.items()})
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
    assert x_train.dtype == np.uint8 and x_train.shape == (5, 28, 28) and y_test.shape == (3,)
    np.testing.assert_array_equal(x_train, arrays["x_train"])
    np.testing.assert_array_equal(y_test, arrays["y_test"])
    assert len(server.hits) == 4
    assert (tmp_path / "cache" / "fashion-mnist" / "train-images-idx3-ubyte.gz").is_file()
    fashion_mnist.load_data()  # from the cache: no new request
    assert len(server.hits) == 4


def test_checksum_mismatch_is_refused_and_not_cached(server, rng, monkeypatch, tmp_path):
    fashion_files(server.root, rng)  # Keras' real hashes cannot match these small files
    monkeypatch.setattr(fashion_mnist, "KERAS_ORIGIN", server.url)
    with pytest.raises(DownloadError, match=r"Fashion-MNIST is not available(.|\n)*corrupted: expected sha256 "
                                            + fashion_mnist.FILES["x_train"][1]):
        fashion_mnist.load_data()
    assert not list((tmp_path / "cache").rglob("*.gz"))  # nothing that looks cached
    assert not list((tmp_path / "cache").rglob("*.part"))


def test_offline_error_says_where_it_looked(server, monkeypatch):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setattr(cifar10, "ORIGIN", f"http://127.0.0.1:{port}/cifar-10-python.tar.gz")
    with pytest.raises(DownloadError) as info:
        cifar10.load_data()
    message = str(info.value)
    assert "CIFAR-10 is not available" in message and "$AXON_DATA_DIR: not set" in message
    assert "Set AXON_DATA_DIR to a directory holding cifar-10-python.tar.gz" in message


def test_axon_data_dir_copy_needs_no_network(tmp_path, rng, monkeypatch):
    local = tmp_path / "data"
    (local / "fashion-mnist").mkdir(parents=True)
    arrays = fashion_files(local / "fashion-mnist", rng)
    monkeypatch.setenv("AXON_DATA_DIR", str(local))
    monkeypatch.setattr(fashion_mnist, "KERAS_ORIGIN", "http://127.0.0.1:9/")  # would fail
    (x_train, _), _ = fashion_mnist.load_data()
    np.testing.assert_array_equal(x_train, arrays["x_train"])


def cifar_tar(path, members):
    with tarfile.open(path, "w:gz") as tar:
        for name, d in members.items():
            data = pickle.dumps(d, protocol=2)
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_cifar10_and_cifar100(server, rng, monkeypatch):
    def batch(n, **labels):
        return {b"data": rng.integers(0, 256, (n, 3072)).astype(np.uint8), **labels}

    members = {m: batch(2, labels=[i, 9 - i]) for i, m in enumerate(cifar10.TRAIN)}
    members[cifar10.TEST] = batch(3, labels=[1, 2, 3])
    cifar_tar(server.root / cifar10.FNAME, members)
    monkeypatch.setattr(cifar10, "ORIGIN", server.url + cifar10.FNAME)
    monkeypatch.setattr(cifar10, "SHA256", sha256(server.root / cifar10.FNAME))
    (x_train, y_train), (x_test, y_test) = cifar10.load_data()
    assert x_train.shape == (10, 32, 32, 3) and y_train.shape == (10, 1) and x_test.shape == (3, 32, 32, 3)
    assert y_train.dtype == np.uint8 and list(y_test.ravel()) == [1, 2, 3]
    first = members[cifar10.TRAIN[0]][b"data"][0]
    assert x_train[0, 0, 0, 1] == first[1024]  # channels_last: pixel (0,0) green is row 1024
    assert x_train[0, 1, 2, 2] == first[2048 + 32 + 2]

    members = {cifar100.TRAIN: batch(4, fine_labels=[99, 0, 5, 7], coarse_labels=[19, 0, 1, 2]),
               cifar100.TEST: batch(2, fine_labels=[3, 4], coarse_labels=[5, 6])}
    cifar_tar(server.root / cifar100.FNAME, members)
    monkeypatch.setattr(cifar100, "ORIGIN", server.url + cifar100.FNAME)
    monkeypatch.setattr(cifar100, "SHA256", sha256(server.root / cifar100.FNAME))
    (_, fine), _ = cifar100.load_data()
    (_, coarse), (x_test, _) = cifar100.load_data(label_mode="coarse")
    assert list(fine.ravel()) == [99, 0, 5, 7] and list(coarse.ravel()) == [19, 0, 1, 2]
    assert x_test.shape == (2, 32, 32, 3)
    with pytest.raises(ValueError, match="label_mode must be 'fine' or 'coarse', got 'medium'"):
        cifar100.load_data("medium")


def ragged(seqs):
    out = np.empty(len(seqs), dtype=object)
    out[:] = seqs
    return out


def test_imdb_sequences_follow_keras_rules(server, monkeypatch):
    x_train = ragged([[1, 2, 3], [4, 5], [6, 7, 8, 9, 10]])
    x_test = ragged([[2, 2], [9, 1, 1, 1]])
    np.savez(server.root / "imdb.npz", x_train=x_train, y_train=np.array([0, 1, 1]), x_test=x_test,
             y_test=np.array([1, 0]))
    (server.root / "imdb_word_index.json").write_text(json.dumps({"the": 1, "movie": 2}))
    monkeypatch.setattr(imdb, "KERAS_ORIGIN", server.url)
    monkeypatch.setattr(imdb, "SHA256", sha256(server.root / "imdb.npz"))
    monkeypatch.setattr(imdb, "WORD_INDEX_MD5", md5(server.root / "imdb_word_index.json"))
    (xt, yt), (xs, ys) = imdb.load_data(seed=0, num_words=100)
    perm = np.arange(3)
    rng = np.random.RandomState(0)
    rng.shuffle(perm)
    assert xt.dtype == object and len(xt) == 3 and len(xs) == 2
    assert xt[0] == [1] + [w + 3 for w in x_train[perm[0]]]  # start_char, then index_from shift
    np.testing.assert_array_equal(yt, np.array([0, 1, 1])[perm])
    (xt, _), _ = imdb.load_data(seed=0, num_words=6, skip_top=4, maxlen=5)
    assert all(len(x) < 5 for x in xt)
    assert all(w == 2 or 4 <= w < 6 for x in xt for w in x)  # others became oov_char
    assert imdb.get_word_index() == {"the": 1, "movie": 2}
    with pytest.raises(ValueError, match="num_words must be None or a positive integer, got -1"):
        imdb.load_data(num_words=-1)


def test_reuters_split_and_labels(server, monkeypatch):
    np.savez(server.root / "reuters.npz", x=ragged([[i, i + 1] for i in range(10)]), y=np.arange(10) % 46)
    monkeypatch.setattr(reuters, "KERAS_ORIGIN", server.url)
    monkeypatch.setattr(reuters, "SHA256", sha256(server.root / "reuters.npz"))
    (xt, yt), (xs, ys) = reuters.load_data(test_split=0.3)
    assert len(xt) == 7 and len(xs) == 3
    assert sorted(np.concatenate([yt, ys]).tolist()) == list(range(10))
    assert xt[0][0] == 1 and len(reuters.get_label_names()) == 46


@pytest.mark.parametrize("module,features", [(boston_housing, 13), (california_housing, 8)])
def test_housing_split(server, monkeypatch, module, features):
    fname = module.__name__.rsplit(".", 1)[1] + ".npz"
    x = np.arange(50 * features, dtype=np.float64).reshape(50, features)
    y = np.arange(50, dtype=np.float32)
    np.savez(server.root / fname, x=x, y=y)
    monkeypatch.setattr(module, "KERAS_ORIGIN", server.url)
    monkeypatch.setattr(module, "SHA256", sha256(server.root / fname))
    (xt, yt), (xs, ys) = module.load_data(test_split=0.2, seed=113)
    perm = np.arange(50)
    np.random.RandomState(113).shuffle(perm)
    assert xt.shape == (40, features) and xs.shape == (10, features)
    np.testing.assert_array_equal(yt, y[perm[:40]])
    np.testing.assert_array_equal(xs, x[perm[40:]])
    with pytest.raises(ValueError, match=r"test_split must be in \[0, 1\), got 1.5"):
        module.load_data(test_split=1.5)


def test_tampered_pickle_is_refused(tmp_path):
    class Evil:
        def __reduce__(self):
            return (print, ("pwned",))

    bad = np.empty(1, dtype=object)
    bad[0] = Evil()
    np.savez(tmp_path / "evil.npz", x=bad)
    with pytest.raises(ValueError, match="refusing to load builtins.print"):
        load_npz(tmp_path / "evil.npz", ("x",))
