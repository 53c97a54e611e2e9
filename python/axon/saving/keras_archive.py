"""The `.keras` zip archive, read as untrusted input and written the way Keras 3 writes it.

A Keras 3 `.keras` file is a zip holding `metadata.json` ({"keras_version", "date_saved"}),
`config.json` (the model's serialized config, with its compile config) and
`model.weights.h5` (the weights, layout in axon.saving.keras_h5), stored uncompressed.

Reading never extracts to disk and never trusts the central directory: every member name
is validated (no absolute paths, `..`, backslashes, control characters or duplicates), a
member's declared size is bounded before it is read (and for compressed members, bounded
by deflate's best possible ratio, so a zip bomb is refused without inflating it), and at
most the declared size is ever read back. Failures raise FormatError naming the file.
"""

import json
import zipfile

from axon.saving import format as fmt

CONFIG = "config.json"
METADATA = "metadata.json"
WEIGHTS = "model.weights.h5"
MAX_MEMBERS = 4096
# config.json is kilobytes; the weights are bounded by what a file can legitimately hold.
LIMITS = {CONFIG: fmt.MAX_HEADER_BYTES, METADATA: 1 << 20, WEIGHTS: 1 << 36}
# Above BOMB_FLOOR bytes a member may inflate at most MAX_EXPANSION times its stored size
# (Keras' rule too): weights barely compress, so only a decompression bomb goes past it.
BOMB_FLOOR = 1 << 20
MAX_EXPANSION = 100


def _check_name(source, name):
    parts = name.split("/")
    if (not name or name.startswith("/") or "\\" in name or ".." in parts or ":" in parts[0]
            or any(ord(c) < 32 for c in name)):
        fmt._fail(source, f"the archive holds a member with an unsafe name {name!r:.200}")


class Archive:
    """A validated `.keras` zip: .read(name) returns a member's bytes, size-checked."""

    def __init__(self, path, source=None):
        """path: a filename or a binary file object (source then names it in errors)."""
        self.source = source or repr(str(path))
        try:
            self._zip = zipfile.ZipFile(path, "r")
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as e:
            fmt._fail(self.source, f"not a valid .keras file (a zip archive): {e}")
        try:
            self._members = self._index()
        except BaseException:
            self._zip.close()
            raise

    def _index(self):
        infos = self._zip.infolist()
        if len(infos) > MAX_MEMBERS:
            fmt._fail(self.source, f"the archive has {len(infos)} members, more than the {MAX_MEMBERS} allowed")
        members = {}
        for info in infos:
            _check_name(self.source, info.filename)
            if info.filename in members:
                fmt._fail(self.source, f"the archive holds member {info.filename!r} twice")
            members[info.filename] = info
        return members

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._zip.close()

    def has(self, name):
        return name in self._members

    def declared_size(self, name):
        """The member's uncompressed size, once it is known to be within the limits."""
        info = self._members.get(name)
        if info is None:
            fmt._fail(self.source, f"not a Keras 3 .keras file: the archive has no {name!r} "
                                   f"(members: {sorted(self._members)[:10]})")
        limit = LIMITS[name]
        if info.file_size > limit:
            fmt._fail(self.source, f"member {name!r} declares {info.file_size} bytes, more than the {limit} allowed")
        if info.compress_type == zipfile.ZIP_STORED and info.file_size != info.compress_size:
            fmt._fail(self.source, f"member {name!r} is stored uncompressed but declares {info.file_size} bytes "
                                   f"and {info.compress_size} stored bytes")
        if info.file_size > BOMB_FLOOR and info.file_size > MAX_EXPANSION * info.compress_size:
            fmt._fail(self.source, f"member {name!r} claims to inflate {info.compress_size} bytes to "
                                   f"{info.file_size}: a zip bomb or a corrupted archive")
        return info.file_size

    def read(self, name):
        self.declared_size(name)
        info = self._members[name]
        try:
            with self._zip.open(info) as f:
                data = f.read(info.file_size + 1)  # never more than declared (+1 to see a lie)
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError, ValueError) as e:
            fmt._fail(self.source, f"member {name!r} cannot be read: {e}")
        if len(data) != info.file_size:
            fmt._fail(self.source, f"member {name!r} holds {len(data)} bytes, its header declares {info.file_size}")
        return data

    def read_json(self, name):
        value = fmt.load_json(self.read(name), self.source, f"member {name!r}")
        if not isinstance(value, dict):
            fmt._fail(self.source, f"member {name!r} must be a JSON object, got {type(value).__name__}")
        return value


def write(f, config, metadata, weights_bytes):
    """Writes a `.keras` archive to the open binary file f, uncompressed like Keras."""
    with zipfile.ZipFile(f, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr(METADATA, json.dumps(metadata))
        zf.writestr(CONFIG, json.dumps(config, allow_nan=False))
        zf.writestr(WEIGHTS, weights_bytes)
