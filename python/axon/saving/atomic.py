"""Atomic file replacement: a save either completes or leaves the previous file as it was.

The data goes to a temporary file in the destination's directory (so the rename stays on
one filesystem), is flushed and fsync'ed, then os.replace()s the destination, and the
directory is fsync'ed so the rename itself survives a power cut. On any error, including
KeyboardInterrupt, the temporary file is removed; a SIGKILL can only leave a stray
`.<name>.<random>.tmp` behind, never a half-written destination.
"""

import contextlib
import os
import tempfile


@contextlib.contextmanager
def atomic_write(path):
    """`with atomic_write(path) as f: f.write(...)` replaces `path` only if the block succeeds."""
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=directory)
    try:
        os.chmod(tmp, _mode_for(path))  # mkstemp makes 0600; a saved model gets the usual mode
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_directory(directory)


def _mode_for(path):
    try:
        return os.stat(path).st_mode & 0o777  # replacing a file keeps its permissions
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_directory(directory):
    # Not every platform can open a directory (Windows); the rename is still atomic there.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
