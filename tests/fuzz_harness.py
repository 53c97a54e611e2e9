"""Deterministic mutation fuzzing of the loaders, shared by tests/test_fuzz_*.py.

Each format's test makes AXON_FUZZ_MUTATIONS inputs (300 by default, so the normal run stays
fast; the AddressSanitizer step of CI sets 10,000), mutation i drawn from NumPy's generator
keyed by (format, i): a failure names the index that reproduces it, on any machine. Every
input must load or raise FormatError whose message starts with the file's name; anything
else (an IndexError, a MemoryError, ...) fails the test, listing the first inputs that did
it. A crash ends the process, so a summary line that prints says "crashes 0" truthfully.
"""

import json
import os
import traceback
import zlib

import numpy as np

from axon.saving import FormatError

MUTATIONS = int(os.environ.get("AXON_FUZZ_MUTATIONS", "300"))


def rng_for(name, i):
    return np.random.default_rng([zlib.crc32(name.encode()), i])


def run(name, make_input, load, source, capsys, count=None):
    """Feeds `count` (default MUTATIONS) inputs make_input(rng) to load(input); returns the
    outcome counts after asserting that none raised anything but FormatError."""
    count = MUTATIONS if count is None else count
    outcomes = {"loaded": 0, "FormatError": 0}
    failures = []
    for i in range(count):
        data = make_input(rng_for(name, i))
        try:
            load(data)
            outcomes["loaded"] += 1
        except FormatError as e:
            outcomes["FormatError"] += 1
            if not str(e).startswith(f"{source}: "):
                failures.append((i, f"FormatError not naming {source}: {e}"))
        except Exception as e:  # noqa: BLE001 - the point: everything else is a finding
            where = traceback.extract_tb(e.__traceback__)[-1]
            failures.append((i, f"{type(e).__name__}: {str(e)[:200]} (at {where.filename}:{where.lineno})"))
    with capsys.disabled():
        print(f"\n[fuzz] {name}: {count} mutations, {outcomes['FormatError']} FormatError, {outcomes['loaded']} "
              f"loaded, crashes 0, non-FormatError {len(failures)}")
    assert not failures, f"{name}: {len(failures)} of {count} inputs raised something other than FormatError " \
                         f"naming the file; first ones (mutation index, error): {failures[:5]}"
    return outcomes


# ------------------------------------------------------------------ byte mutations
def mutate_bytes(rng, valid):
    """`valid` with 1-4 edits: a flipped bit, a byte set, a cut, an insertion; or, now and
    then, random bytes after a valid prefix."""
    if rng.random() < 0.05:
        keep = int(rng.integers(0, min(len(valid), 64) + 1))
        return valid[:keep] + rng.bytes(int(rng.integers(0, 256)))
    data = bytearray(valid)
    for _ in range(int(rng.integers(1, 5))):
        kind = rng.integers(0, 4) if data else 3
        at = int(rng.integers(0, len(data))) if data else 0
        if kind == 0:
            data[at] ^= 1 << int(rng.integers(0, 8))
        elif kind == 1:
            data[at] = int(rng.integers(0, 256))
        elif kind == 2:
            del data[at:at + int(rng.integers(1, 65))]
        else:
            data[at:at] = rng.bytes(int(rng.integers(1, 17)))
    return bytes(data)


# ------------------------------------------------------------------ JSON field mutations
_STRINGS = ["", "Dense", "InputLayer", "float64", "float16", "int8", "relu", "os.system", "__import__", "adam",
            "mse", "0", "-1", "weights/0/dense/kernel", "DTypePolicy", "Sequential", "channels_first", "valid",
            "same", "causal", "é", "\x00"]
INTERESTING_INTS = [0, 1, 2, 3, -1, -2, 7, 2**31 - 1, 2**31, 2**32, 2**53 + 1, 2**62, 2**63 - 1, 2**63, 2**64,
                    -2**63, 10**12, 10**30, 10**400]


def random_int(rng):
    if rng.random() < 0.5:
        return INTERESTING_INTS[int(rng.integers(0, len(INTERESTING_INTS)))]
    return int(rng.integers(-10, 1000))


def _scalar(rng):
    kind = int(rng.integers(0, 6))
    if kind == 0:
        return None
    if kind == 1:
        return bool(rng.integers(0, 2))
    if kind == 2:
        return random_int(rng)
    if kind == 3:
        return float(rng.choice([0.0, -0.0, 0.5, -1.5, 1e-300, 1e300, -1e308]))
    return _STRINGS[int(rng.integers(0, len(_STRINGS)))]


def random_json(rng, depth=0):
    """A JSON value: a scalar, or (one level down at most) a short list or object."""
    kind = int(rng.integers(0, 8)) if depth == 0 else 0
    if kind == 6:
        return [_scalar(rng) for _ in range(int(rng.integers(0, 4)))]
    if kind == 7:
        return {_STRINGS[int(rng.integers(0, len(_STRINGS)))]: _scalar(rng) for _ in range(int(rng.integers(0, 4)))}
    return _scalar(rng)


def paths(node, prefix=()):
    """Every path (a tuple of keys and indices) into a JSON value, itself first."""
    yield prefix
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in items:
        yield from paths(child, prefix + (key,))


def edit(document, path, value, delete=False):
    """document with the value at path replaced by value (or removed); a path an earlier edit
    took away is skipped."""
    node = document
    try:
        for key in path[:-1]:
            node = node[key]
        if delete:
            del node[path[-1]]
        else:
            node[path[-1]] = value
    except (KeyError, IndexError, TypeError):
        pass
    return document


def mutate_fields(rng, document, candidates=None, value=random_json):
    """A deep copy of document with 1-3 of its values (at `candidates`, default every path
    but the root) replaced by value(rng) or, one time in eight, removed."""
    document = json.loads(json.dumps(document))
    candidates = candidates or list(paths(document))[1:]
    for _ in range(int(rng.integers(1, 4))):
        path = candidates[int(rng.integers(0, len(candidates)))]
        delete = rng.random() < 0.125
        document = edit(document, path, None if delete else value(rng), delete)
    return document


def integer_paths(document):
    """The paths of the document's integers (not booleans)."""
    return [p for p in paths(document) if p and _at(document, p).__class__ is int]


def _at(document, path):
    for key in path:
        document = document[key]
    return document
