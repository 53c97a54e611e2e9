"""Fuzzing restore_training_state (tests/fuzz_harness.py): a checkpoint written by
save_model(..., training_state=...) with its bytes mutated, or its header rewritten with a
valid CRC (the metadata restore_training_state reads: optimizer state, compile config,
seeds, training_state, the tensor table). Every input must restore or raise FormatError
naming the file, and a refused file must leave the model as it was."""

import numpy as np
import pytest

import axon
from axon import saving
from axon.saving import FormatError
from fuzz_harness import mutate_bytes, mutate_fields, run
from saving_helpers import reseal, seal, small_model, split


def _checkpoint(tmp_path_factory):
    model = small_model()
    model.fit(np.ones((8, 4), "float32"), np.zeros((8, 2), "float32"), epochs=1, verbose=0)
    path = tmp_path_factory.mktemp("ckpt") / "ckpt.axon"
    saving.save_model(model, path, training_state={"epoch": 1, "best": 0.5})
    return path.read_bytes()


@pytest.fixture(scope="module")
def valid(tmp_path_factory):
    return _checkpoint(tmp_path_factory)


def _mutate(rng, valid):
    if rng.random() < 0.3:
        return mutate_bytes(rng, valid)
    header, body = split(valid)
    return seal(mutate_fields(rng, header), body)


def test_training_state_files(tmp_path, capsys, valid):
    model = small_model()
    path = tmp_path / "fuzz.axon"

    def restore(data):
        path.write_bytes(data)
        saving.restore_training_state(model, path)

    outcomes = run("training-state files", lambda rng: _mutate(rng, valid), restore, repr(str(path)), capsys)
    assert outcomes["FormatError"] > 0


@pytest.mark.parametrize("key, value, match", [
    ("compile", ["adam"], "the file's optimizer is None"),
    ("compile", {"optimizer": "adam"}, "the file's optimizer is None"),
    ("compile", {"optimizer": {"class_name": "Adam", "config": "fast"}, "loss": "mse"}, None),
    ("compile", {"optimizer": {"class_name": "Adam", "config": {"learning_rate": -1}}}, "learning_rate -1 is not"),
    ("optimizer_state", "none", "has no optimizer state"),
    ("optimizer_state", {"num_slots": [2]}, r"optimizer has \[2\] slots"),
    ("optimizer_state", {"num_slots": 2, "iterations": 3, "scalar_state": [10**400]}, "scalar_state must be"),
    ("engine_seed", -5, "engine_seed must be an integer"),
    ("layer_seeds", {"1": "x"}, "metadata 'layer_seeds': layer 1: seed must be"),
])
def test_malformed_metadata_is_a_format_error_and_changes_nothing(tmp_path, valid, key, value, match):
    path = tmp_path / "bad.axon"
    path.write_bytes(reseal(valid, lambda h: h["metadata"].__setitem__(key, value)))
    model = small_model()
    before = model.get_weights(), model.optimizer.iterations, [getattr(la, "_seed", None) for la in model.layers]
    if match is None:  # a malformed optimizer config is ignored where it does not matter: restored
        saving.restore_training_state(model, path)
        return
    with pytest.raises(FormatError, match=rf"^{repr(str(path))}: .*{match}"):
        saving.restore_training_state(model, path)
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), before[0]))
    assert model.optimizer.iterations == before[1]
    assert [getattr(la, "_seed", None) for la in model.layers] == before[2]


def test_an_architecture_entry_that_is_not_a_list(tmp_path, valid):
    path = tmp_path / "bad.axon"
    path.write_bytes(reseal(valid, lambda h: h["architecture"].__setitem__("layers", 5)))
    with pytest.raises(FormatError, match=r"architecture differs .* file layers \[\] "):
        saving.restore_training_state(small_model(), path)
