"""Download-once file cache, the subset of `keras.utils.get_file` datasets need.

Files live in `~/.axon/datasets/` (or `$AXON_CACHE_DIR`, which names that
directory itself). A download goes to a temporary file in the same directory,
is checked against `file_hash`, and only then renamed into place, so an
interrupted or corrupted download never leaves a file that looks cached.
"""

import os
import tempfile
from pathlib import Path

# urllib (with ssl, http, email) and hashlib are imported where a download happens:
# they cost ~25 ms, a sixth of `import axon`.

from axon.utils.progbar import Progbar

DEFAULT_TIMEOUT = 60.0  # seconds per socket operation, not for the whole file
_CHUNK = 1 << 16


class DownloadError(OSError):
    """A file could not be fetched, or did not match its expected hash."""


def default_cache_dir():
    """The directory `get_file` uses when given no `cache_dir`."""
    env = os.environ.get("AXON_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    return Path.home() / ".axon" / "datasets"


def _hash_algorithm(file_hash):
    # Keras convention: a 64-hex-digit hash is sha256, anything else md5.
    return "sha256" if len(file_hash) == 64 else "md5"


def hash_file(path, algorithm="sha256"):
    """Hex digest of the file at `path`, read in chunks."""
    import hashlib

    digest = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def validate_file(path, file_hash):
    """True if the file at `path` has the given md5 or sha256 hex digest."""
    return hash_file(path, _hash_algorithm(file_hash)) == file_hash.lower()


def _download(origin, dest_dir, fname, timeout, verbose):
    """Streams `origin` into a temporary file in `dest_dir`; returns its path."""
    import urllib.request

    fd, tmp_path = tempfile.mkstemp(prefix=f".{fname}.", suffix=".part", dir=dest_dir)
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(
            origin, timeout=timeout
        ) as response:
            total = response.headers.get("Content-Length")
            bar = Progbar(int(total) if total else None) if verbose else None
            done = 0
            for chunk in iter(lambda: response.read(_CHUNK), b""):
                out.write(chunk)
                done += len(chunk)
                if bar is not None:
                    bar.update(done)
            if bar is not None and not (total and done >= int(total)):
                bar.update(done, finalize=True)
    except BaseException:
        os.unlink(tmp_path)
        raise
    return tmp_path


def get_file(fname, origin, file_hash=None, cache_dir=None, timeout=DEFAULT_TIMEOUT,
             force_download=False, verbose=1):
    """Returns the local path of `fname`, downloading it from `origin` if needed.

    Args:
        fname: file name inside the cache directory (an absolute path is used
            as is).
        origin: URL to download from.
        file_hash: expected sha256 (64 hex digits) or md5 (32) of the file; a
            cached file that does not match is downloaded again.
        cache_dir: directory to cache in; default `default_cache_dir()`.
        timeout: socket timeout in seconds.
        force_download: download even if a valid cached copy exists.
        verbose: 0 for silence, 1 to announce the download and show progress.

    Raises:
        DownloadError: the download failed or the file's hash did not match.
    """
    datadir = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
    fpath = datadir / fname
    if fpath.exists() and not force_download:
        if file_hash is None or validate_file(fpath, file_hash):
            return str(fpath)
        if verbose:
            print(f"Cached file {fpath} does not match its expected hash; "
                  "downloading it again.")

    try:
        fpath.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise DownloadError(f"Cannot create cache directory {fpath.parent}: {e}") from e
    if verbose:
        print(f"Downloading data from {origin}")
    import urllib.error

    try:
        tmp_path = _download(origin, fpath.parent, fpath.name, timeout, verbose)
    except urllib.error.HTTPError as e:
        raise DownloadError(f"Download of {origin} failed: HTTP {e.code} {e.reason}") from e
    except urllib.error.URLError as e:
        raise DownloadError(f"Download of {origin} failed: {e.reason}") from e
    except (OSError, ValueError) as e:  # timeouts, resets, disk full, bad URL
        raise DownloadError(f"Download of {origin} failed: {e}") from e

    if file_hash is not None and not validate_file(tmp_path, file_hash):
        found = hash_file(tmp_path, _hash_algorithm(file_hash))
        os.unlink(tmp_path)
        raise DownloadError(
            f"Download of {origin} is corrupted: expected "
            f"{_hash_algorithm(file_hash)} {file_hash.lower()}, found {found}."
        )
    os.replace(tmp_path, fpath)
    return str(fpath)
