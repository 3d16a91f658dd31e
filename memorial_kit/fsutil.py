"""Atomic and compare-and-swap file writes.

Every file the kit writes goes through :func:`atomic_write` or
:func:`cas_write`: the bytes go to a temporary file in the target's folder, are
flushed and synced, and only then renamed over the target.  A process killed
at any moment leaves the target either as it was or complete.

A command that rewrites a file it has read (a catalog, a template, a .mo)
holds a :class:`Snapshot` of what it read; :func:`cas_write` writes only if the
file is still exactly that one, checked immediately before the rename, so that
a translator's save while the command runs is never overwritten.  A symlinked
file is written through to its target, never replaced by a regular file.

Locks live in :mod:`memorial_kit.locks` (``file_lock`` is re-exported here).
"""
from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import ConflictError, MemorialKitError, WriteError

# The largest file the kit reads whole (catalogs, articles, manifests, templates): far
# above any real one, and a bound on what a wrong path (/dev/zero, a disk image) costs.
MAX_READ = 256 * 1024 * 1024


class ReadError(MemorialKitError):
    """A file the kit must read cannot be read (missing, a folder, too large...)."""


@dataclass(frozen=True)
class Snapshot:
    """A file as a command read it: its identity on disk and its bytes (None: absent)."""

    path: Path
    identity: tuple | None
    data: bytes | None

    @property
    def exists(self) -> bool:
        return self.identity is not None


def _identity(info: os.stat_result) -> tuple:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def read_bounded(path: str | os.PathLike, limit: int = MAX_READ, shown=None) -> bytes:
    """The bytes of ``path``; a ReadError naming it if it is not a readable regular file
    or holds more than ``limit`` bytes (a device such as /dev/zero never ends)."""
    return read_snapshot(path, limit, shown, missing_ok=False).data


def read_snapshot(path: str | os.PathLike, limit: int = MAX_READ, shown=None,
                  missing_ok: bool = True) -> Snapshot:
    """Read ``path`` (following symlinks) and remember which file it was."""
    path = Path(path)
    shown = path if shown is None else shown
    try:
        # Not blocking: opening a named pipe nobody writes to would wait forever.
        handle = os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb")
    except FileNotFoundError:
        if missing_ok:
            return Snapshot(path, None, None)
        raise ReadError("no such file", path=shown) from None
    except IsADirectoryError:
        raise ReadError("is a folder, not a file", path=shown,
                        hint="is this the right path?") from None
    except OSError as exc:
        raise ReadError(f"cannot read: {exc.strerror or exc}", path=shown) from None
    with handle:
        info = os.fstat(handle.fileno())
        if stat.S_ISDIR(info.st_mode):
            raise ReadError("is a folder, not a file", path=shown)
        if stat.S_ISFIFO(info.st_mode) or stat.S_ISSOCK(info.st_mode):
            raise ReadError("is a named pipe or a socket, not a file", path=shown,
                            hint="is this the right path?")
        os.set_blocking(handle.fileno(), True)
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise ReadError(f"cannot read: {exc.strerror or exc}", path=shown) from None
    if len(data) > limit:
        raise ReadError(f"larger than {limit // (1024 * 1024)} MB: not a file the kit reads",
                        path=shown, hint="is this the right path?")
    return Snapshot(path, _identity(info), data)


def unchanged(snapshot: Snapshot) -> bool:
    """Whether ``snapshot.path`` is still exactly the file that was read."""
    try:
        info = os.stat(snapshot.path)
    except FileNotFoundError:
        return snapshot.identity is None
    if snapshot.identity is None or _identity(info) != snapshot.identity:
        return False
    try:
        with open(snapshot.path, "rb") as handle:
            return handle.read(len(snapshot.data) + 1) == snapshot.data
    except OSError:
        return False


def write_target(path: str | os.PathLike) -> Path:
    """Where writing ``path`` puts the bytes: a symlink's final target (written through)."""
    path = Path(path)
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def cas_write(snapshot: Snapshot, data: bytes, shown=None) -> None:
    """Replace the file of ``snapshot`` with ``data`` only if it is still the one read;
    else a ConflictError naming it, and nothing is written."""
    target = write_target(snapshot.path)
    shown = snapshot.path if shown is None else shown

    def swap(tmp: str) -> None:
        if snapshot.exists:
            if not unchanged(snapshot):
                raise _conflict(shown)
            os.replace(tmp, target)
            return
        try:                            # create only if still absent: link fails if it exists
            os.link(tmp, target)
        except FileExistsError:
            raise _conflict(shown) from None
        except OSError:                 # a file system without hard links
            if target.exists():
                raise _conflict(shown) from None
            os.replace(tmp, target)
            return
        os.unlink(tmp)

    _write_via_temp(target, data, swap)


def _conflict(shown) -> ConflictError:
    return ConflictError("changed on disk while this command was rewriting it; "
                         "nothing was written", path=shown,
                         hint="someone saved it meanwhile: run the command again")


def atomic_write(path: str | os.PathLike, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically (same-folder temp + rename).

    On any failure the temporary file is removed and ``path`` is as it was; an
    OSError (disk full, file too large, read-only folder...) becomes a
    :class:`WriteError` naming the file.
    """
    target = write_target(path)
    _write_via_temp(target, data, lambda tmp: os.replace(tmp, target))


def _write_via_temp(path: Path, data: bytes, swap) -> None:
    """``data`` to a synced temp file beside ``path``, then ``swap(tmp)`` puts it in place."""
    if path.is_dir():
        raise WriteError("is a folder, not a file", path=path,
                         hint="remove or rename the folder")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}-", suffix=".tmp",
                                   dir=path.parent)
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
        swap(tmp)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and not isinstance(exc, WriteError):
            raise _write_error(path, exc) from exc
        raise
    _fsync_dir(path.parent)
    _sweep_temporaries(path)


_TEMPORARY_RE = re.compile(r"\.(.+)\.(\d+)-[A-Za-z0-9_]+\.tmp")


def _sweep_temporaries(path: Path) -> None:
    """Remove the temporaries of ``path`` that writers killed mid-write left behind."""
    with contextlib.suppress(OSError):
        _sweep_names(path.parent, os.listdir(path.parent), path.name)


def sweep_temporaries(folder: Path) -> None:
    """Remove every temporary under ``folder`` whose writer was killed mid-write (a
    temporary names its writer's pid; a live writer's is left alone)."""
    for parent, _, names in os.walk(folder):
        _sweep_names(Path(parent), names)


def _sweep_names(parent: Path, names, target: str | None = None) -> None:
    from .processes import running_since
    for name in names:
        match = _TEMPORARY_RE.fullmatch(name)
        if match and target in (None, match[1]):
            with contextlib.suppress(OSError):
                written = os.stat(parent / name).st_mtime
                if not running_since(int(match[2]), written):   # its writer is gone
                    os.unlink(parent / name)


def _write_error(path: Path, exc: OSError) -> WriteError:
    reason = exc.strerror or str(exc)
    error = WriteError(f"cannot write the file: {reason}", path=path,
                       hint="is the disk full, or the folder read-only?")
    error.errno, error.strerror, error.filename = exc.errno, exc.strerror, str(path)
    return error


def write_if_changed(path: str | os.PathLike, data: bytes, read: Snapshot | None = None,
                     shown=None) -> bool:
    """Write ``data`` unless the file already holds exactly it, and only over the file as
    it was read (``read``, else as it is now): a compare-and-swap."""
    snapshot = read if read is not None else read_snapshot(path, shown=shown)
    if snapshot.data == data:
        return False
    cas_write(snapshot, data, shown)
    return True


def rewrite(path: str | os.PathLike, make, attempts: int = 3, shown=None) -> bool:
    """Read ``path``, compute its new bytes with ``make(snapshot)`` and write them by
    compare-and-swap; if the file changed meanwhile, read and compute again (at most
    ``attempts`` times, then the ConflictError).  Returns whether the file changed."""
    for attempt in range(attempts):
        snapshot = read_snapshot(path, shown=shown)
        data = make(snapshot)
        try:
            return write_if_changed(path, data, snapshot, shown)
        except ConflictError:
            if attempt == attempts - 1:
                raise
    return False


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


from .locks import file_lock  # noqa: E402,F401  (its old home; callers import it here)
