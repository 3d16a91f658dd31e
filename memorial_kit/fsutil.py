"""Atomic file writes and workspace-relative paths.

Every file the kit writes goes through :func:`atomic_write`: the bytes go to a
temporary file in the same folder, are flushed and synced, and only then
renamed over the target.  A process killed at any moment leaves the target
either as it was or complete.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from pathlib import Path

from .errors import LockError, WriteError


def atomic_write(path: str | os.PathLike, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically (same-folder temp + rename).

    On any failure the temporary file is removed and ``path`` is as it was; an
    OSError (disk full, file too large, read-only folder...) becomes a
    :class:`WriteError` naming the file.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _write_error(path, exc) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and not isinstance(exc, WriteError):
            raise _write_error(path, exc) from exc
        raise
    _fsync_dir(path.parent)


def _write_error(path: Path, exc: OSError) -> WriteError:
    reason = exc.strerror or str(exc)
    error = WriteError(f"cannot write the file: {reason}", path=path,
                       hint="is the disk full, or the folder read-only?")
    error.errno, error.strerror, error.filename = exc.errno, exc.strerror, str(path)
    return error


def write_if_changed(path: str | os.PathLike, data: bytes) -> bool:
    """Write ``data`` atomically unless the file already holds exactly it."""
    path = Path(path)
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    atomic_write(path, data)
    return True


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def file_lock(path: str | os.PathLike, wait: bool = True, what: str = "this file"):
    """Hold an exclusive advisory lock on ``path`` + '.lock' for the block.

    With ``wait`` the second run waits its turn; without it, it fails with a
    LockError that names the file.
    """
    lock_path = Path(os.fspath(path) + ".lock")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise LockError(f"cannot create the lock file: {exc.strerror or exc}",
                        path=lock_path) from None
    try:
        flags = fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB
        try:
            fcntl.flock(fd, flags)
        except BlockingIOError:
            raise LockError(f"another memorial-kit run is changing {what}; try again when it ends",
                            path=path) from None
        yield
    finally:
        os.close(fd)
