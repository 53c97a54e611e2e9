"""Fuzzing the .axon reader (tests/fuzz_harness.py): byte-level mutations of a valid file
(CRCs catch most; the rest reach the parser), and header rewrites that keep the CRC valid
(to reach the checks behind it, as a deliberate attacker would). Every input must load or
raise FormatError naming "<bytes>"."""

from axon.saving.model_io import model_from_bytes
from fuzz_harness import mutate_bytes, mutate_fields, run
from saving_helpers import seal, small_file, split

VALID = small_file()
HEADER, BODY = split(VALID)


def test_axon_bytes(capsys):
    run(".axon bytes", lambda rng: mutate_bytes(rng, VALID), model_from_bytes, "<bytes>", capsys)


def test_axon_header_fields(capsys):
    outcomes = run(".axon header fields", lambda rng: seal(mutate_fields(rng, HEADER), BODY), model_from_bytes,
                   "<bytes>", capsys)
    assert outcomes["FormatError"] > 0


def test_the_unmutated_file_loads():
    assert [w.shape for w in model_from_bytes(seal(HEADER, BODY)).get_weights()] == [(4, 3), (3,), (3, 2), (2,)]
