"""The file is untrusted input: every malformed or hostile file raises FormatError with a
clear message, allocates nothing beyond the file's size and runs no code."""

import json
import os
import pickle
import struct

import numpy as np
import pytest

import axon
from axon.saving import FormatError
from axon.saving import format as fmt
from axon.saving.model_io import model_from_bytes
from saving_helpers import reseal, seal, small_file, split


def _refused(data, match=None):
    with pytest.raises(FormatError, match=match):
        model_from_bytes(data)


def test_a_valid_file_loads():
    data = small_file()
    model = model_from_bytes(data)
    assert model.compiled and [w.shape for w in model.get_weights()] == [(4, 3), (3,), (3, 2), (2,)]


def test_every_prefix_is_refused():
    data = small_file()
    for n in range(len(data)):
        with pytest.raises(FormatError, match="truncated|corrupted|not an axon file") as info:
            model_from_bytes(data[:n])
        assert "<bytes>" in str(info.value)


def test_truncated_file_on_disk_names_the_file(tmp_path):
    path = tmp_path / "cut.axon"
    path.write_bytes(small_file()[:-5])
    with pytest.raises(FormatError, match=r"cut\.axon.*truncated|cut\.axon.*tensors account"):
        axon.models.load_model(path)


def test_bit_flips_are_detected():
    data = small_file()
    g = np.random.default_rng(0)
    positions = list(range(fmt.PREFIX_SIZE * 8)) + list(g.integers(fmt.PREFIX_SIZE * 8, len(data) * 8, 1500))
    for bit in positions:
        flipped = bytearray(data)
        flipped[bit // 8] ^= 1 << (bit % 8)
        with pytest.raises(FormatError):
            model_from_bytes(bytes(flipped))


def test_header_length_of_2_64_minus_1():
    data = bytearray(small_file())
    struct.pack_into("<Q", data, 16, 2**64 - 1)
    _refused(bytes(data), r"header claims 18446744073709551615 bytes but only \d+ follow")


def test_magic_and_version():
    _refused(b"PK\x03\x04" + bytes(40), "not an axon file")
    header, body = split(small_file())
    _refused(seal(header, body, version=fmt.FORMAT_VERSION + 1), "format version 2 is not supported.*newer axon")


def _first_tensor(mutate):
    return reseal(small_file(), lambda h: mutate(h["tensors"]))


def test_offsets_out_of_range_or_overlapping():
    def past_end(t):
        t[-1]["offset"] += 4
    _refused(_first_tensor(past_end), "gap before it")

    def overlap(t):
        t[1]["offset"] -= 4
    _refused(_first_tensor(overlap), "overlaps the previous tensor")

    def huge(t):
        t[-1]["nbytes"] = 2**62
    _refused(_first_tensor(huge), "needs .* bytes, the table says")

    def beyond(t):  # consistent shape and size, but past the end of the data
        t[-1].update(shape=[4096], nbytes=4096 * 4)
    _refused(_first_tensor(beyond), "more values than the file|run past the end")


def test_shapes_whose_product_overflows():
    def overflow(t):
        t[0].update(shape=[2**32, 2**32, 2**32], nbytes=0)
    _refused(_first_tensor(overflow), r"shape \[4294967296, 4294967296, 4294967296\] holds more values")

    def negative(t):
        t[0]["shape"] = [-1, 3]
    _refused(_first_tensor(negative), "non-negative integers")


def test_dtype_and_size_mismatch():
    def dtype(t):
        t[0]["dtype"] = "float16"
    _refused(_first_tensor(dtype), "dtype 'float16' is not one of float32, float64")

    def size(t):
        t[0]["nbytes"] += 4
    _refused(_first_tensor(size), "needs 48 bytes, the table says 52")

    def other_float(h):  # the model is declared float64, its tensors are float32
        h["metadata"]["dtype"] = "float64"
    _refused(reseal(small_file(), other_float), r"'weights/0/dense_?\d*/kernel' is float32 \(4, 3\), expected float64")


def test_a_config_naming_os_system_runs_nothing(tmp_path):
    marker = tmp_path / "pwned"

    def hostile(h):
        h["architecture"]["layers"][1].update(module="os", class_name="system", registered_name="os.system",
                                              config={"command": f"touch {marker}"})
    _refused(reseal(small_file(), hostile), "unknown class 'os.system'.*register_serializable")

    def by_class_name(h):
        h["architecture"]["layers"][1].update(module="os", class_name="system", registered_name=None)
    _refused(reseal(small_file(), by_class_name), "unknown class 'system'")
    assert not marker.exists()


class _Payload:
    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


def test_a_pickle_payload_is_never_unpickled(tmp_path):
    payload = _Payload()
    payload.marker = tmp_path / "pwned"
    _refused(pickle.dumps(payload), "not an axon file")
    # the same pickle where the JSON header should be, with a valid CRC
    _refused(seal(pickle.dumps(payload), b""), "not valid JSON")
    assert not payload.marker.exists()


def test_hostile_json():
    _refused(seal(b"[" * 100_000 + b"]" * 100_000, b""), "not valid JSON|nests deeper")
    _refused(seal(b'{"tensors": [], "a": ' + b"[" * 100 + b"]" * 100 + b"}", b""), "nests deeper than 64")
    _refused(seal(b'{"tensors": [], "x": NaN}', b""), "NaN is not allowed")
    _refused(seal(b'{"tensors": [], "tensors": []}', b""), "duplicate key 'tensors'")
    _refused(seal(b'{"tensors": {}}', b""), "'tensors' list")
    _refused(seal(b"\xff\xfe", b""), "not valid JSON")


def test_an_architecture_bigger_than_its_weights_is_refused_before_allocating():
    def giant(h):
        h["architecture"]["layers"][1]["config"]["units"] = 10**12
    _refused(reseal(small_file(), giant), r"Dense 'dense\w*': parameter 'kernel' \(4e\+12 values\) makes the "
                                          r"architecture need [0-9.e+]+ parameter values, more than the 23 stored")

    def huge_input(h):
        h["architecture"]["layers"][0]["config"]["batch_shape"] = [None, 2**40, 2**40]
    # Refused by the loader's input bound or, first, by Input's own per-sample bound (2**44 values).
    _refused(reseal(small_file(), huge_input), r"input shape .* is larger than|Input: shape .* would hold")


def test_bad_metadata_is_a_format_error():
    for key, value, match in [("layer_seeds", {"7": 1}, "has no seed"), ("layer_seeds", {"1": -1}, "seed must be"),
                              ("layer_seeds", {"²": 1}, "names layer '²', which has no seed"),
                              ("layer_seeds", {"9" * 5000: 1}, "names layer '99999.*, which has no seed"),
                              ("engine_seed", 2**64, "engine_seed must be"), ("dtype", "int8", "dtype 'int8'"),
                              ("compile", {"optimizer": "nope", "loss": "mse", "metrics": []},
                               "compile config cannot be restored: optimizers.deserialize: expected a dict"),
                              ("optimizer_state", {"num_slots": 2, "iterations": -3, "scalar_state": []},
                               "iterations must be")]:
        _refused(reseal(small_file(), lambda h: h["metadata"].__setitem__(key, value)), match)


def test_garbage_in_a_layer_config_is_a_format_error():
    for config in ({"units": "many"}, {"units": 3, "activation": "os.system"}, {"units": 3, "bogus": 1}, [1, 2]):
        _refused(reseal(small_file(), lambda h: h["architecture"]["layers"][1].__setitem__("config", config)),
                 "architecture cannot be rebuilt|'config' must be a dict")


def test_header_round_trips_as_json():
    header, body = split(small_file())
    assert json.loads(json.dumps(header)) == header and len(body) == sum(t["nbytes"] for t in header["tensors"])


def test_a_weights_file_with_layer_numbers_int_cannot_read(tmp_path):
    """'²' passes str.isdigit() but not int(): such a tensor name is not a layer's weight
    (the file then has weights for fewer layers), not an 'invalid literal' error."""
    model = axon.Sequential([axon.Input((4,)), axon.layers.Dense(3), axon.layers.Dense(2)])
    path = tmp_path / "w.weights.axon"
    model.save_weights(path)
    for number in ("²", "9" * 5000):
        def rename(h, number=number):
            for entry in h["tensors"]:
                entry["name"] = entry["name"].replace("weights/1/", f"weights/{number}/")
        path.write_bytes(reseal(path.read_bytes(), rename))
        with pytest.raises(ValueError, match="the file has weights for 1 layers, model .* has 2 layers with weights"):
            model.load_weights(path)
        model.save_weights(path)
