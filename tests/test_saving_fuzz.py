"""Fuzzing the reader (hypothesis): 10,000 inputs, from random bytes, byte-level mutations of
a valid file, and header rewrites that keep the CRC valid (to reach the checks behind it).
Every input must load or raise FormatError: any other exception is a bug."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from axon.saving import FormatError
from axon.saving.model_io import model_from_bytes
from saving_helpers import seal, small_file, split

VALID = small_file()
HEADER, BODY = split(VALID)
def fuzz(n):
    return settings(max_examples=n, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _load(data):
    try:
        model_from_bytes(data)
    except FormatError as e:
        assert str(e).startswith("<bytes>: ")


@fuzz(4000)
@given(st.binary(max_size=256))
def test_random_bytes(data):
    _load(data)


@fuzz(1500)
@given(st.binary(max_size=64))
def test_random_bytes_after_a_valid_prefix(tail):
    _load(VALID[:24] + tail)


mutation = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, len(VALID) * 8 - 1)),
    st.tuples(st.just("byte"), st.integers(0, len(VALID) - 1), st.integers(0, 255)),
    st.tuples(st.just("cut"), st.integers(0, len(VALID) - 1), st.integers(0, 64)),
    st.tuples(st.just("insert"), st.integers(0, len(VALID)), st.binary(min_size=1, max_size=16)),
)


@fuzz(2500)
@given(st.lists(mutation, min_size=1, max_size=4))
def test_mutated_valid_files(mutations):
    data = bytearray(VALID)
    for kind, at, *arg in mutations:
        at = min(at, max(len(data) - 1, 0))
        if kind == "flip" and data:
            data[at // 8 % len(data)] ^= 1 << (at % 8)
        elif kind == "byte" and data:
            data[at] = arg[0]
        elif kind == "cut":
            del data[at:at + arg[0]]
        elif kind == "insert":
            data[at:at] = arg[0]
    _load(bytes(data))


_scalar = (st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False, allow_infinity=False)
           | st.text(max_size=8) | st.sampled_from(["Dense", "os.system", "float64", "relu", "InputLayer"]))
# One level of nesting: deeper values only exercise the same type checks, more slowly.
json_value = _scalar | st.lists(_scalar, max_size=3) | st.dictionaries(st.text(max_size=6), _scalar, max_size=3)


def _paths(node, prefix=()):
    yield prefix
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in items:
        yield from _paths(child, prefix + (key,))


PATHS = list(_paths(HEADER))[1:]


@fuzz(2000)
@given(st.lists(st.tuples(st.sampled_from(PATHS), json_value), min_size=1, max_size=3))
def test_rewritten_headers_with_valid_crc(edits):
    header = json.loads(json.dumps(HEADER))
    for path, value in edits:
        node = header
        try:
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = value
        except (KeyError, IndexError, TypeError):  # an earlier edit removed the path
            continue
    _load(seal(header, BODY))
