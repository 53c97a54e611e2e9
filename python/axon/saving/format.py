"""The `.axon` file: one file per model (or per set of weights), safe to read from strangers.

Layout (all integers little-endian)::

    offset  size  field
    0       8     magic b"\\x89AXON\\r\\n\\x1a"  (the PNG trick: text-mode transfers break it visibly)
    8       4     u32 format version (FORMAT_VERSION)
    12      4     u32 CRC-32C (Castagnoli) of the N header bytes
    16      8     u64 N, the header length
    24      N     header: a UTF-8 JSON object, padded with spaces so the data starts on a
                  64-byte boundary
    24+N    ...   data: the tensors' raw little-endian bytes, back to back, in table order;
                  the file ends where the last tensor ends

The header object::

    {"tensors": [{"name": "0/dense/kernel", "dtype": "float32", "shape": [784, 64],
                  "offset": 0, "nbytes": 200704, "crc32c": 123456789}, ...],
     "architecture": {...} or null,   # Sequential.get_config()
     "metadata": {...}}               # kind, compile config, optimizer state, seeds, ...

Offsets are relative to the data start (as in safetensors). The reader checks everything
before it allocates anything: the magic and version, N against the file size, the header
CRC, the JSON's size and nesting depth, every table entry's types, dtype, shape (element
count bounded by the file, so no product can overflow an allocation), offset and size,
that the tensors tile the data exactly (no overlap, no gap, nothing past the end), and
each tensor's CRC-32C as it is read (CRC-32C because x86 computes it in hardware at ~6 GB/s;
zlib's CRC-32, at ~1 GB/s, made checksums as slow as the disk). A failure raises FormatError
naming the file and what was expected; nothing is unpickled or imported (class names go
through axon.saving.registry).
"""

import json
import struct

import numpy as np

from axon._core import crc32c as checksum  # checksum(bytes_like, value=0) -> int

MAGIC = b"\x89AXON\r\n\x1a"
FORMAT_VERSION = 1
_PREFIX = struct.Struct("<8sIIQ")  # magic, version, header CRC-32C, header length
PREFIX_SIZE = _PREFIX.size  # 24
DATA_ALIGN = 64
MAX_HEADER_BYTES = 64 << 20  # an architecture's JSON is kilobytes; this bounds a hostile one
MAX_JSON_DEPTH = 64
DTYPES = {"float32": np.dtype("<f4"), "float64": np.dtype("<f8")}


class FormatError(ValueError):
    """A file that is not a valid axon file (truncated, corrupted, hostile, or from a newer axon)."""


def _fail(source, message):
    raise FormatError(f"{source}: {message}")


# ------------------------------------------------------------------ writing
def tensor_table(tensors):
    """The header's tensor table for [(name, array)], computing offsets and CRCs."""
    table, offset = [], 0
    for name, array in tensors:
        dtype = np.dtype(array.dtype).name
        if dtype not in DTYPES:
            raise ValueError(f"save: tensor {name!r} has dtype {dtype}; the format stores {', '.join(DTYPES)}")
        nbytes = int(array.nbytes)
        table.append({"name": name, "dtype": dtype, "shape": [int(d) for d in array.shape], "offset": offset,
                      "nbytes": nbytes, "crc32c": checksum(_bytes_view(array))})
        offset += nbytes
    return table


def write(f, header, tensors):
    """Writes the prefix, `header` (a dict; "tensors" is filled in) and the tensors to f."""
    header = dict(header, tensors=tensor_table(tensors))
    body = json.dumps(header, separators=(",", ":"), allow_nan=False).encode("utf-8")
    body += b" " * (-(PREFIX_SIZE + len(body)) % DATA_ALIGN)
    f.write(_PREFIX.pack(MAGIC, FORMAT_VERSION, checksum(body), len(body)))
    f.write(body)
    for _, array in tensors:
        f.write(_bytes_view(array))  # straight from the engine's arena: no copy


def _bytes_view(array):
    if array.dtype.str[0] == ">":  # big-endian host: the file is little-endian everywhere
        array = array.astype(array.dtype.newbyteorder("<"))
    return memoryview(np.ascontiguousarray(array)).cast("B")


# ------------------------------------------------------------------ reading
class Header:
    """A validated header: .tensors (list of dicts), .architecture, .metadata, .data_start."""

    def __init__(self, source, fields, data_start):
        self.source = source
        self.tensors = fields["tensors"]
        self.architecture = fields.get("architecture")
        self.metadata = fields.get("metadata") or {}
        self.data_start = data_start


def read_header(f, size, source):
    """Reads and validates the header of a file of `size` bytes; f is positioned after it."""
    prefix = _read_exact(f, PREFIX_SIZE, source, "the file header")
    magic, version, crc, length = _PREFIX.unpack(prefix)
    if magic != MAGIC:
        _fail(source, f"not an axon file (starts with {magic!r}, expected {MAGIC!r})")
    if version != FORMAT_VERSION:
        _fail(source, f"format version {version} is not supported (this axon reads version {FORMAT_VERSION}); "
                      "a newer axon wrote it" if version > FORMAT_VERSION else f"unknown format version {version}")
    if length > size - PREFIX_SIZE:
        _fail(source, f"truncated or corrupted: the header claims {length} bytes but only "
                      f"{size - PREFIX_SIZE} follow")
    if length > MAX_HEADER_BYTES:
        _fail(source, f"the header is {length} bytes, more than the {MAX_HEADER_BYTES} allowed")
    body = _read_exact(f, length, source, "the JSON header")
    if checksum(body) != crc:
        _fail(source, "corrupted: the header's CRC-32C does not match")
    fields = _parse_json(body, source)
    data_start = PREFIX_SIZE + length
    _check_table(fields, size - data_start, source)
    return Header(source, fields, data_start)


def read_tensor(f, header, entry, out=None):
    """Reads one table entry into `out` (an array of its shape, any matching float dtype,
    written in place) or a new array; checks the tensor's CRC."""
    dtype = DTYPES[entry["dtype"]]
    if out is None:
        out = np.empty(entry["shape"], dtype=dtype)
    elif tuple(out.shape) != tuple(entry["shape"]) or out.dtype.name != dtype.name:
        _fail(header.source, f"tensor {entry['name']!r} is {entry['dtype']} {tuple(entry['shape'])}, "
                             f"expected {out.dtype.name} {tuple(out.shape)}")
    target = out if out.dtype == dtype else np.empty(out.shape, dtype=dtype)  # big-endian hosts only
    f.seek(header.data_start + entry["offset"])
    view = memoryview(target).cast("B")
    if f.readinto(view) != entry["nbytes"]:
        _fail(header.source, f"truncated: tensor {entry['name']!r} ends past the end of the file")
    if checksum(view) != entry["crc32c"]:
        _fail(header.source, f"corrupted: tensor {entry['name']!r} does not match its CRC-32C")
    if target is not out:
        out[...] = target
    return out


def _read_exact(f, n, source, what):
    data = f.read(n)
    if len(data) != n:
        _fail(source, f"truncated: {what} needs {n} bytes, the file has {len(data)} left")
    return data


def _no_constants(name):
    raise ValueError(f"{name} is not allowed")


def _unique_keys(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def load_json(body, source, what="the header"):
    """Strict JSON from untrusted bytes: UTF-8, no NaN/Infinity, no duplicate keys, bounded depth."""
    try:
        fields = json.loads(body.decode("utf-8"), parse_constant=_no_constants, object_pairs_hook=_unique_keys)
    except (ValueError, RecursionError) as e:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        _fail(source, f"{what} is not valid JSON: {e}")
    stack = [(fields, 1)] if isinstance(fields, (dict, list)) else []
    while stack:  # iterative: a hostile depth cannot exhaust the Python stack here
        node, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            _fail(source, f"{what} nests deeper than {MAX_JSON_DEPTH} levels")
        for child in node.values() if isinstance(node, dict) else node:
            if isinstance(child, (dict, list)):
                stack.append((child, depth + 1))
    return fields


def _parse_json(body, source):
    fields = load_json(body, source)
    if not isinstance(fields, dict) or not isinstance(fields.get("tensors"), list):
        _fail(source, "the header must be a JSON object with a 'tensors' list")
    for key in ("architecture", "metadata"):
        if fields.get(key) is not None and not isinstance(fields[key], dict):
            _fail(source, f"the header's {key!r} must be an object, got {type(fields[key]).__name__}")
    return fields


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _check_table(fields, data_size, source):
    expected_offset, names = 0, set()
    for i, entry in enumerate(fields["tensors"]):
        where = f"tensor #{i}"
        if not isinstance(entry, dict) or set(entry) != {"name", "dtype", "shape", "offset", "nbytes", "crc32c"}:
            _fail(source, f"{where}: expected an object with name, dtype, shape, offset, nbytes, crc32c")
        name = entry["name"]
        if not isinstance(name, str) or name in names:
            _fail(source, f"{where}: the name must be a unique string, got {name!r}")
        names.add(name)
        where = f"tensor {name!r}"
        if not isinstance(entry["dtype"], str) or entry["dtype"] not in DTYPES:
            _fail(source, f"{where}: dtype {entry['dtype']!r} is not one of {', '.join(DTYPES)}")
        shape, offset, nbytes = entry["shape"], entry["offset"], entry["nbytes"]
        if not isinstance(shape, list) or len(shape) > 32 or not all(_is_int(d) and d >= 0 for d in shape):
            _fail(source, f"{where}: shape must be a list of at most 32 non-negative integers, got {shape!r}")
        if not (_is_int(offset) and _is_int(nbytes) and _is_int(entry["crc32c"])) or offset < 0 or nbytes < 0:
            _fail(source, f"{where}: offset, nbytes and crc32c must be non-negative integers")
        count = 1
        for d in shape:  # Python integers: the product cannot overflow, and it stops growing early
            count *= d
            if count > data_size:
                _fail(source, f"{where}: shape {shape} holds more values than the file's {data_size} data bytes: "
                              "the file is truncated or corrupted")
        if count * DTYPES[entry["dtype"]].itemsize != nbytes:
            _fail(source, f"{where}: shape {shape} of {entry['dtype']} needs "
                          f"{count * DTYPES[entry['dtype']].itemsize} bytes, the table says {nbytes}")
        if offset != expected_offset:
            kind = "overlaps the previous tensor" if offset < expected_offset else "leaves a gap before it"
            _fail(source, f"{where}: offset {offset} {kind} (expected {expected_offset})")
        if offset + nbytes > data_size:
            _fail(source, f"{where}: bytes [{offset}, {offset + nbytes}) run past the end of the data "
                          f"({data_size} bytes): the file is truncated or corrupted")
        expected_offset = offset + nbytes
    if expected_offset != data_size:
        _fail(source, f"the data holds {data_size} bytes but the tensors account for {expected_offset}: "
                      "the file is corrupted or has trailing bytes")
