"""Atomic file replacement: a save either completes or leaves the previous file as it was.

The data goes to a temporary file in the destination's directory (so the rename stays on
one filesystem), is flushed and fsync'ed, then os.replace()s the destination, and the
directory is fsync'ed so the rename itself survives a power cut. On any error, including
KeyboardInterrupt, the temporary file is removed.

A SIGKILL (or a power cut) can still leave the temporary file behind, and a model-sized
one per killed save piles up. So the temporary file is named `.<name>.axon-save-<random>.tmp`
and holds an flock while it is written: the next save to the same path deletes the files of
that exact pattern whose lock it can take (their writer is dead: the kernel drops a lock with
its process) and leaves alone a save in progress, in this process or another, and any file
of a name axon does not make.
"""

import contextlib
import os
import re
import tempfile
import time

try:
    import fcntl
except ImportError:  # Windows: no flock, so no way to tell a dead writer's file from a live one
    fcntl = None

_MARK = ".axon-save-"
# A temporary file is created before it is locked: one that is still empty and unlocked after
# this long was left by a writer killed in between (a live one locks it within microseconds).
_UNLOCKED_EMPTY_GRACE_S = 60.0


@contextlib.contextmanager
def atomic_write(path):
    """`with atomic_write(path) as f: f.write(...)` replaces `path` only if the block succeeds."""
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    remove_stale_temporaries(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}{_MARK}", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            if fcntl is not None:
                with contextlib.suppress(OSError):  # a filesystem without flock: cleaners cannot lock it either
                    fcntl.flock(f.fileno(), fcntl.LOCK_EX)  # held until the file is closed: "being written"
            os.chmod(tmp, _mode_for(path))  # mkstemp makes 0600; a saved model gets the usual mode
            yield f
            f.flush()
            os.fsync(f.fileno())
            if fcntl is not None:
                os.replace(tmp, path)  # still locked: no cleaner can take the file before it is renamed
        if fcntl is None:
            os.replace(tmp, path)  # Windows cannot rename an open file
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_directory(directory)


def temporary_pattern(path):
    """The regular expression the names of `path`'s temporary files match (mkstemp's 8 random
    characters are [a-z0-9_])."""
    return re.compile(re.escape(f".{os.path.basename(os.fspath(path))}{_MARK}") + r"[a-z0-9_]{8}\.tmp")


def remove_stale_temporaries(path):
    """Deletes the temporary files that killed saves to `path` left; returns their names."""
    if fcntl is None:
        return []
    directory = os.path.dirname(os.path.abspath(os.fspath(path)))
    pattern = temporary_pattern(path)
    try:
        names = [name for name in os.listdir(directory) if pattern.fullmatch(name)]
    except OSError:
        return []  # an unreadable directory: the save itself reports what is wrong
    return [name for name in names if _remove_if_abandoned(os.path.join(directory, name))]


def _remove_if_abandoned(tmp):
    try:
        fd = os.open(tmp, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False  # gone already (its save finished), or not a file we may read
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # locked: a save in progress
        info = os.fstat(fd)
        if info.st_size == 0 and time.time() - info.st_mtime < _UNLOCKED_EMPTY_GRACE_S:
            return False  # perhaps just created by a writer that has not locked it yet
        try:
            same = os.path.samestat(info, os.stat(tmp, follow_symlinks=False))
        except OSError:
            return False
        if not same:
            return False  # replaced under us: judge the new file next time
        os.unlink(tmp)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


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
