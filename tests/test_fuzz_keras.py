"""Fuzzing the .keras reader (tests/fuzz_harness.py): config.json with values replaced or
removed anywhere, config.json with its integers (units, kernel sizes, strides, padding,
shapes, ...) replaced by edge values, and the archive's bytes mutated. Every input must load
or raise FormatError naming "<bytes>". The archives are made and read in memory."""

import io
import json
import zipfile

import pytest

import axon
from axon import layers
from axon.saving import keras_archive, keras_config, keras_h5, keras_io, model_io
from fuzz_harness import integer_paths, mutate_bytes, mutate_fields, random_int, run


def _members():
    axon.utils.set_random_seed(3)
    model = axon.Sequential([axon.Input((6, 6, 1)), layers.ZeroPadding2D(1), layers.Conv2D(2, 3, strides=2),
                             layers.MaxPooling2D(2), layers.Flatten(), layers.Dropout(0.1),
                             layers.Dense(2, activation="softmax")])  # two weight-bearing layers: HDF5 reads dominate
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    config = json.loads(json.dumps(keras_config.model_to_keras(model.get_config(), "float32",
                                                                model_io._compile_config(model))))
    for layer in config["config"]["layers"][1:]:  # dtypes as Keras 3 writes them, so the policies get fuzzed
        layer["config"]["dtype"] = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
                                    "registered_name": None}
    return config, keras_h5.weights_bytes(model, with_optimizer=True)


CONFIG, WEIGHTS = _members()
INTEGERS = integer_paths(CONFIG)


def archive(config):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr(keras_archive.METADATA, json.dumps({"keras_version": "3.0.0"}))
        zf.writestr(keras_archive.CONFIG, json.dumps(config))
        zf.writestr(keras_archive.WEIGHTS, WEIGHTS)
    return buffer.getvalue()


VALID = archive(CONFIG)


def test_the_unmutated_archive_loads():
    model = keras_io.model_from_bytes(VALID)
    assert [w.shape for w in model.get_weights()] == [(3, 3, 1, 2), (2,), (2, 2), (2,)]
    assert len(INTEGERS) >= 15  # the integer fuzzer has fields to work on


def test_keras_config_fields(capsys):
    run(".keras config", lambda rng: archive(mutate_fields(rng, CONFIG)), keras_io.model_from_bytes, "<bytes>",
        capsys)


def test_keras_integer_fields(capsys):
    outcomes = run(".keras integer fields", lambda rng: archive(mutate_fields(rng, CONFIG, INTEGERS, random_int)),
                   keras_io.model_from_bytes, "<bytes>", capsys)
    assert outcomes["FormatError"] > 0


def test_keras_archive_bytes(capsys):
    run(".keras bytes", lambda rng: mutate_bytes(rng, VALID), keras_io.model_from_bytes, "<bytes>", capsys)


@pytest.mark.parametrize("policy", ["float32", 7, ["float32"], None])
def test_a_dtype_policy_whose_config_is_not_an_object(policy):
    config = json.loads(json.dumps(CONFIG))
    config["config"]["layers"][1]["config"]["dtype"] = {"class_name": "DTypePolicy", "config": policy}
    with pytest.raises(axon.saving.FormatError, match=r"^<bytes>: layer #1 'zero_padding2d\w*' \(ZeroPadding2D\): "
                                                      r"dtype policy .* must have a 'config' object"):
        keras_io.model_from_bytes(archive(config))
