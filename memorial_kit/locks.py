"""Locks that say who holds them, outlive no one, and are waited for a bounded time.

A lock is an advisory ``flock`` on ``NAME.lock``, so the kernel frees it when
its holder ends however it ends; the file records the holder (pid, start time,
host, command).  Forked children close their copy of a held lock, so no worker
can keep a lock after its parent.  A lock whose recorded owner is dead but is
still held (by a stray process of an older run) is taken over: the file is
replaced, and the lock taken on the new one.  A run waiting for a live owner
says whose the lock is, and gives up after ``MEMORIAL_KIT_LOCK_WAIT`` seconds
(default 600) with exit 1.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import sys
import time
from pathlib import Path

from . import processes
from .errors import LockError, LockTimeout

DEFAULT_WAIT = 600.0
_POLL = 0.2
_held: set[int] = set()


def _close_held_in_child() -> None:
    for fd in list(_held):
        with contextlib.suppress(OSError):
            os.close(fd)        # the parent's lock stays: it holds the same open file
    _held.clear()


os.register_at_fork(after_in_child=_close_held_in_child)


def wait_limit() -> float:
    value = os.environ.get("MEMORIAL_KIT_LOCK_WAIT")
    if value is None:
        return DEFAULT_WAIT
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1
    if not 0 <= seconds < 10 ** 7:
        raise LockError(f"MEMORIAL_KIT_LOCK_WAIT={value[:40]!r} is not a number of seconds",
                        hint="for example MEMORIAL_KIT_LOCK_WAIT=60")
    return seconds


@contextlib.contextmanager
def file_lock(path: str | os.PathLike, wait: bool = True, what: str = "this file",
              say=None):
    """Hold the lock ``path`` + '.lock' for the block (see the module's docstring).
    ``say(text)`` is told once when the run starts waiting (default: stderr)."""
    lock_path = Path(os.fspath(path) + ".lock")
    fd = _acquire(lock_path, wait, what, say or _say)
    try:
        yield
    finally:
        _held.discard(fd)
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        os.close(fd)


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _acquire(lock_path: Path, wait: bool, what: str, say) -> int:
    limit, started, told = (wait_limit() if wait else 0.0), time.monotonic(), False
    while True:
        fd = _open(lock_path)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = _owner(fd)
            os.close(fd)
            if owner is not None and not processes.alive(owner):
                _take_over(lock_path, owner)
                continue
            whose = _describe(owner)
            if not wait:
                raise LockError(f"another memorial-kit run is changing {what} ({whose}); "
                                "try again when it ends", path=lock_path.with_suffix("")) from None
            if time.monotonic() - started >= limit:
                raise LockTimeout(f"{what} stayed locked by {whose} for {limit:g} s; "
                                  "gave up", path=lock_path,
                                  hint="wait for that run to end (or stop it), then try "
                                       "again; MEMORIAL_KIT_LOCK_WAIT sets the wait") from None
            if not told:
                say(f"waiting for {what}: locked by {whose} ({lock_path})")
                told = True
            time.sleep(_POLL)
            continue
        if not _still_named(fd, lock_path):     # taken over meanwhile: lock the new file
            os.close(fd)
            continue
        _record(fd)
        _held.add(fd)
        return fd


def _open(lock_path: Path) -> int:
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        return os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise LockError(f"cannot create the lock file: {exc.strerror or exc}",
                        path=lock_path) from None


def _still_named(fd: int, lock_path: Path) -> bool:
    try:
        return os.fstat(fd).st_ino == os.stat(lock_path).st_ino
    except OSError:
        return False


def _record(fd: int) -> None:
    owner = dict(processes.me(), command=" ".join(["memorial-kit"] + sys.argv[1:])[:200],
                 since=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"))
    data = json.dumps(owner).encode()
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        os.pwrite(fd, data, 0)


def _owner(fd: int) -> dict | None:
    try:
        data = os.pread(fd, 4096, 0)
        owner = json.loads(data.decode("utf-8")) if data else None
    except (OSError, ValueError):
        return None
    return owner if isinstance(owner, dict) and "pid" in owner else None


def _describe(owner: dict | None) -> str:
    if owner is None:
        return "another process"
    return (f"pid {owner.get('pid')} on {owner.get('host')}, "
            f"'{owner.get('command', '?')}', since {owner.get('since', '?')}")


def _take_over(lock_path: Path, owner: dict) -> None:
    """The recorded owner is dead but its lock is held: replace the lock file (once,
    however many runs see it at the same time)."""
    guard = _open(lock_path.with_name(lock_path.name + ".takeover"))
    try:
        fcntl.flock(guard, fcntl.LOCK_EX)
        fd = _open(lock_path)
        try:
            if _owner(fd) == owner:             # not already taken over by another run
                with contextlib.suppress(OSError):
                    os.unlink(lock_path)
        finally:
            os.close(fd)
    finally:
        os.close(guard)
