"""axon's own `.keras` / `.weights.h5` files (h5py only, no Keras needed), and `.keras`
archives as untrusted input: each hostile archive raises FormatError naming the problem."""

import json
import struct
import zipfile

import numpy as np
import pytest

import axon
from axon.saving import FormatError

h5py = pytest.importorskip("h5py")


def _model(dtype="float32"):
    axon.config.set_floatx(dtype)
    model = axon.Sequential([
        axon.Input((6,)), axon.layers.Dense(5, activation="gelu", kernel_regularizer=axon.regularizers.L2(0.01)),
        axon.layers.PReLU(), axon.layers.Reshape((5, 1)), axon.layers.Flatten(), axon.layers.Dropout(0.2),
        axon.layers.Dense(4), axon.layers.LeakyReLU(0.1), axon.layers.ELU(), axon.layers.ReLU(max_value=3.0),
        axon.layers.Dense(3, use_bias=False), axon.layers.Activation("tanh"), axon.layers.Softmax()])
    rng = np.random.default_rng(0)
    model.set_weights([rng.normal(0, 0.5, w.shape) for w in model.get_weights()])
    return model


def _without_dtype(config):
    return [(e["class_name"], {k: v for k, v in e["config"].items() if k != "dtype"}) for e in config["layers"]]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_round_trip_through_keras_files(dtype, tmp_path):
    model = _model(dtype)
    model.compile(optimizer=axon.optimizers.RMSprop(0.002), loss="categorical_crossentropy", metrics=["accuracy"])
    x = np.random.default_rng(1).normal(size=(8, 6)).astype(dtype)
    model.save(tmp_path / "m.keras")
    loaded = axon.models.load_model(tmp_path / "m.keras")
    assert loaded._floatx == dtype
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    # The same layers and options; only each layer's dtype is spelled out (Keras layers carry one).
    assert _without_dtype(loaded.get_config()) == _without_dtype(model.get_config())
    assert type(loaded.optimizer).__name__ == "RMSprop" and loaded.optimizer.learning_rate == pytest.approx(0.002)
    assert type(loaded.loss).__name__ == "CategoricalCrossentropy" and loaded._metric_specs == ["accuracy"]

    model.save_weights(tmp_path / "w.weights.h5")
    fresh = axon.models.load_model(tmp_path / "m.keras")
    fresh.set_weights([w * 0 for w in fresh.get_weights()])
    fresh.load_weights(tmp_path / "w.weights.h5")
    np.testing.assert_array_equal(fresh.predict(x, verbose=0), model.predict(x, verbose=0))


def test_keras_layout_of_the_weights(tmp_path):
    model = _model()
    model.save_weights(tmp_path / "w.weights.h5")
    with h5py.File(tmp_path / "w.weights.h5", "r") as h5:
        assert sorted(h5["layers"]) == ["activation", "dense", "dense_1", "dense_2", "dropout", "elu", "flatten",
                                        "leaky_re_lu", "p_re_lu", "re_lu", "reshape", "softmax"]
        np.testing.assert_array_equal(h5["layers/dense/vars/0"][()], model.layers[0].get_weights()[0])
        np.testing.assert_array_equal(h5["layers/p_re_lu/vars/0"][()], model.layers[1].get_weights()[0])
        assert len(h5["layers/dense_2/vars"]) == 1  # use_bias=False: the kernel only
        assert h5["layers/dense_1/vars"].attrs["name"] == model.layers[5].name


def test_mismatched_weights_name_the_layer_and_leave_the_model_unchanged(tmp_path):
    model = _model()
    model.save_weights(tmp_path / "w.weights.h5")
    other = axon.Sequential([axon.Input((6,)), axon.layers.Dense(7), axon.layers.PReLU()])
    before = other.get_weights()
    with pytest.raises(FormatError, match=r"/layers/dense/vars/0 \(layer 'dense_3'\) has shape \(6, 5\), "
                                          r"expected \(6, 7\)"):
        other.load_weights(tmp_path / "w.weights.h5")
    for a, b in zip(other.get_weights(), before):
        np.testing.assert_array_equal(a, b)
    with pytest.warns(UserWarning, match="skip_mismatch"):
        other.load_weights(tmp_path / "w.weights.h5", skip_mismatch=True)


def test_external_links_are_not_followed(tmp_path):
    model = axon.Sequential([axon.Input((2,)), axon.layers.Dense(1)])
    with h5py.File(tmp_path / "w.weights.h5", "w") as h5:
        h5["layers/dense/vars/0"] = h5py.ExternalLink("/etc/passwd", "/x")
        h5["layers/dense/vars/1"] = np.zeros(1, "float32")
    with pytest.raises(FormatError, match="ExternalLink"):
        model.load_weights(tmp_path / "w.weights.h5")


def test_saving_what_keras_cannot_express_is_refused(tmp_path):
    model = axon.Sequential([axon.Input((3,)), axon.layers.Dense(2, activation=axon.activations.get(
        {"class_name": "function", "config": "leaky_relu", "kwargs": {"negative_slope": 0.5}}))])
    with pytest.raises(ValueError, match=r"layer 'dense'.*activation.*arguments"):
        model.save(tmp_path / "m.keras")
    assert not (tmp_path / "m.keras").exists()
    with pytest.raises(ValueError, match="not built"):
        axon.Sequential([axon.layers.Dense(2)]).save(tmp_path / "m.keras")
    with pytest.raises(ValueError, match="Keras 2's .h5"):
        axon.models.load_model(tmp_path / "m.h5")


# ------------------------------------------------------------------ hostile archives
def _archive(tmp_path, members, name="bad.keras", compression=zipfile.ZIP_STORED):
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", compression=compression) as zf:
        for member, data in members:
            zf.writestr(member, data)
    return path


def _valid_members(tmp_path):
    _model().save(tmp_path / "ok.keras")
    with zipfile.ZipFile(tmp_path / "ok.keras") as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _load(path):
    return axon.models.load_model(path)


def test_not_a_zip_and_missing_members(tmp_path):
    (tmp_path / "junk.keras").write_bytes(b"\x89AXON not a zip at all")
    with pytest.raises(FormatError, match="not a valid .keras file"):
        _load(tmp_path / "junk.keras")
    members = _valid_members(tmp_path)
    for missing in ("config.json", "metadata.json", "model.weights.h5"):
        path = _archive(tmp_path, [(n, d) for n, d in members.items() if n != missing])
        with pytest.raises(FormatError, match=f"has no '{missing}'"):
            _load(path)


@pytest.mark.parametrize("name", ["../evil.json", "/etc/passwd", "a/../../b", "c:\\x", "x\\..\\y", "ctl\x01x"])
def test_unsafe_member_names(tmp_path, name):
    members = _valid_members(tmp_path)
    path = _archive(tmp_path, list(members.items()) + [(name, b"x")])
    with pytest.raises(FormatError, match="unsafe name"):
        _load(path)


def test_duplicate_members(tmp_path):
    members = _valid_members(tmp_path)
    with pytest.warns(UserWarning, match="Duplicate name"):
        path = _archive(tmp_path, list(members.items()) + [("config.json", b"{}")])
    with pytest.raises(FormatError, match="'config.json' twice"):
        _load(path)


def _patch_central_size(path, member, size):
    """Rewrites the uncompressed size the central directory declares for `member`."""
    data = bytearray(path.read_bytes())
    start = data.find(b"PK\x01\x02")
    while start >= 0:
        name_len = struct.unpack_from("<H", data, start + 28)[0]
        if data[start + 46:start + 46 + name_len] == member.encode():
            struct.pack_into("<I", data, start + 24, size)
            path.write_bytes(bytes(data))
            return
        start = data.find(b"PK\x01\x02", start + 4)
    raise AssertionError(f"{member} not found")


def test_huge_declared_sizes_are_refused_before_reading(tmp_path):
    members = _valid_members(tmp_path)
    path = _archive(tmp_path, list(members.items()))
    _patch_central_size(path, "config.json", 0xFFFFFFF0)
    with pytest.raises(FormatError, match="'config.json' declares 4294967280 bytes, more than"):
        _load(path)


def test_zip_bomb_ratio_is_refused(tmp_path):
    members = _valid_members(tmp_path)
    path = _archive(tmp_path, list(members.items()), compression=zipfile.ZIP_DEFLATED)
    with zipfile.ZipFile(path) as zf:
        compressed = zf.getinfo("config.json").compress_size
    _patch_central_size(path, "config.json", compressed * 5000)
    with pytest.raises(FormatError, match="zip bomb"):
        _load(path)


def test_a_member_longer_or_shorter_than_declared(tmp_path):
    members = _valid_members(tmp_path)
    path = _archive(tmp_path, list(members.items()), compression=zipfile.ZIP_DEFLATED)
    _patch_central_size(path, "config.json", len(members["config.json"]) - 10)
    with pytest.raises(FormatError, match="config.json"):
        _load(path)


@pytest.mark.parametrize("config, message", [
    (b"{not json", "not valid JSON"),
    (b"[1, 2]", "must be a JSON object"),
    (b'{"a": NaN}', "not valid JSON"),
    (b"[" * 100 + b"]" * 100, "nests deeper"),
    (json.dumps({"class_name": "Functional", "config": {}}).encode(), "Functional.*not supported"),
    (json.dumps({"class_name": "Sequential", "config": {"layers": [
        {"class_name": "os.system", "config": {"name": "x"}}]}}).encode(), r"'os.system' is not supported"),
    (json.dumps({"class_name": "Sequential", "config": {"layers": [
        {"class_name": "InputLayer", "config": {"batch_shape": [None, 2]}},
        {"class_name": "Dense", "config": {"units": 2, "activation": "no_such_fn"}}]}}).encode(), "no_such_fn"),
    (json.dumps({"class_name": "Sequential", "config": {"layers": [
        {"class_name": "InputLayer", "config": {"batch_shape": [None, 2], "dtype": "int8"}}]}}).encode(), "int8"),
    (json.dumps({"class_name": "Sequential", "config": {"layers": [
        {"class_name": "InputLayer", "config": {"batch_shape": [None, 2], "dtype": "float64"}},
        {"class_name": "ReLU", "config": {"dtype": "float32"}}]}}).encode(), "mix dtypes"),
])
def test_bad_configs(tmp_path, config, message):
    members = dict(_valid_members(tmp_path), **{"config.json": config})
    with pytest.raises(FormatError, match=message):
        _load(_archive(tmp_path, list(members.items())))


def test_corrupt_weights_member(tmp_path):
    members = _valid_members(tmp_path)
    members["model.weights.h5"] = members["model.weights.h5"][:200]
    with pytest.raises(FormatError, match="not a valid HDF5"):
        _load(_archive(tmp_path, list(members.items())))


def test_a_config_larger_than_its_weights_is_refused_before_allocating(tmp_path):
    members = _valid_members(tmp_path)
    config = json.loads(members["config.json"])
    config["config"]["layers"][6]["config"]["units"] = 10 ** 9  # Dense(4) -> 1e9 units: 8e9 values
    members["config.json"] = json.dumps(config).encode()
    with pytest.raises(FormatError, match="more than the .* stored with it"):
        _load(_archive(tmp_path, list(members.items())))
