"""Processes and temporary files never outlive the command that made them.

* Every process the kit forks dies with its parent however the parent ends
  (exit, Ctrl-C, SIGTERM, SIGKILL): on Linux the kernel sends it SIGKILL
  (``PR_SET_PDEATHSIG``); everywhere a thread in it watches a pipe only the
  parent holds open, and ends it when the pipe closes.
* A command's temporary files go to a private folder under the workspace's
  ``.memorial-kit/tmp/`` (``TMPDIR`` and :mod:`tempfile` point there, so
  WeasyPrint's ``weasyprint-*`` font folders land there too), removed when the
  command ends; one left by a command killed with SIGKILL is removed by the
  next command, once its owner is dead.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
from pathlib import Path

_PR_SET_PDEATHSIG = 1
_installed = False
_pipe: dict = {"owner": None, "read": None, "write": None}


def install() -> None:
    """Make every process forked from now on die with its parent (idempotent)."""
    global _installed
    if not _installed:
        os.register_at_fork(before=_before_fork, after_in_child=_after_fork_in_child)
        _installed = True


def _before_fork() -> None:
    pid = os.getpid()
    if _pipe["owner"] != pid:           # this process's pipe: its children watch it
        read, write = os.pipe()
        _pipe.update(owner=pid, read=read, write=write)


def _after_fork_in_child() -> None:
    parent, read, write = _pipe["owner"], _pipe["read"], _pipe["write"]
    _pipe.update(owner=None, read=None, write=None)
    if write is not None:
        os.close(write)                 # the parent alone holds the writing end
    _kill_me_with_parent()
    if parent is not None and os.getppid() != parent:
        os._exit(1)                     # the parent died before the line above
    if read is not None:
        threading.Thread(target=_watch_parent, args=(read,), daemon=True,
                         name="memorial-kit-parent-watch").start()


def _kill_me_with_parent() -> bool:
    import ctypes
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):   # not Linux: the pipe watch alone
        return False


def _watch_parent(read: int) -> None:
    try:
        while os.read(read, 1):
            pass
    except OSError:
        pass
    os.kill(os.getpid(), signal.SIGKILL)    # the parent has ended: so does this process


@contextlib.contextmanager
def worker_deaths_reported():
    """A worker that died abruptly (SIGKILL, the out-of-memory killer) is one error line,
    exit 1, not a traceback; the other workers are stopped by the pool's shutdown."""
    from concurrent.futures.process import BrokenProcessPool
    from .errors import WorkerDied
    try:
        yield
    except BrokenProcessPool:
        raise WorkerDied("a worker process ended abruptly (killed, or out of memory); the "
                         "build stopped", hint="run the build again; what was built is kept"
                         ) from None


def end_children(grace: float = 5.0) -> None:
    """Wait a moment for this process's children to end, then kill those left."""
    if "multiprocessing" not in sys.modules:
        return                          # it has made none
    import multiprocessing
    for child in multiprocessing.active_children():
        child.join(timeout=grace)
        if child.is_alive():
            child.kill()
            child.join(timeout=grace)


# ------------------------------------------------------- owners of things ---

def _stat(pid: int) -> list[bytes] | None:
    """The fields of ``/proc/PID/stat`` after the command's name (state first), or None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split() or None
    except (OSError, IndexError):
        return None


def _start(fields: list[bytes] | None) -> str | None:
    return fields[19].decode() if fields is not None and len(fields) > 19 else None


def _ended(fields: list[bytes] | None) -> bool:
    """Whether the process has ended and is not yet reaped (a zombie: an orphan is one
    until the init process reaps it, which can take a while).  It holds and writes
    nothing, though a signal 0 still finds it."""
    return fields is not None and fields[0] in (b"Z", b"X")


def start_time(pid: int) -> str | None:
    """The process's start time as the kernel counts it (tells a reused pid apart)."""
    return _start(_stat(pid))


def running_since(pid: int, moment: float) -> bool:
    """Whether process ``pid`` runs and was already running at ``moment`` (a time.time()):
    a pid the system has since given to a new process does not count."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        pass
    fields = _stat(pid)
    if _ended(fields):
        return False
    ticks = _start(fields)
    try:
        with open("/proc/stat", "rb") as handle:
            boot = next(int(line.split()[1]) for line in handle if line.startswith(b"btime "))
    except (OSError, StopIteration, ValueError):
        return True                     # no /proc: the pid alone says
    return ticks is None or boot + int(ticks) / os.sysconf("SC_CLK_TCK") <= moment


def me() -> dict:
    """This process as the owner of a lock or a temporary folder."""
    return {"pid": os.getpid(), "start": start_time(os.getpid()), "host": socket.gethostname()}


def alive(owner: dict) -> bool:
    """Whether the process ``owner`` describes still runs (another host's: assumed so)."""
    if owner.get("host") not in (None, socket.gethostname()):
        return True
    try:
        pid = int(owner["pid"])
        os.kill(pid, 0)
    except (KeyError, TypeError, ValueError):
        return False
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    fields = _stat(pid)
    if _ended(fields):
        return False
    started = owner.get("start")
    return started is None or _start(fields) in (None, started)


# --------------------------------------------------------- temporary files ---

_active: list[Path] = []


@contextlib.contextmanager
def private_temp(state: Path, sweep=()):
    """A temporary folder of this command's own under ``state``/tmp, made the default
    for it and its children, removed when it ends (with its children's files).  The
    write temporaries that killed runs left in the folders ``sweep`` are removed."""
    if _active:
        yield _active[-1]
        return
    base = state / "tmp"
    sweep_stale(base)
    from .fsutil import sweep_temporaries
    for folder in sweep:                # what killed writers left there
        sweep_temporaries(folder)
    owner = me()
    try:
        base.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=f"{owner['pid']}-{owner['start']}-", dir=base))
    except OSError:                     # a read-only workspace: the system's folder
        folder = Path(tempfile.mkdtemp(prefix="memorial-kit-"))
    with temporary_folder(folder):
        _active.append(folder)
        try:
            yield folder
        finally:
            _active.pop()
            end_children()


@contextlib.contextmanager
def temporary_folder(folder: Path):
    """``folder`` the default temporary folder (:mod:`tempfile`'s and ``TMPDIR``, which
    children inherit) for the block; then the default as it was, and ``folder`` removed."""
    previous, previous_env = tempfile.tempdir, os.environ.get("TMPDIR")
    tempfile.tempdir, os.environ["TMPDIR"] = str(folder), str(folder)
    try:
        yield folder
    finally:
        tempfile.tempdir = previous
        if previous_env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = previous_env
        _forget_font_configurations()
        shutil.rmtree(folder, ignore_errors=True)


def _forget_font_configurations() -> None:
    """WeasyPrint keeps a font configuration's files in a folder of the temporary folder
    removed here: a later build in this process must make new ones, not reuse these."""
    printing = sys.modules.get(f"{__package__}.printing")
    if printing is not None:
        printing._FONT_CONFIGS.clear()


def sweep_stale(base: Path) -> None:
    """Remove the temporary folders of commands that died without removing them."""
    try:
        names = os.listdir(base)
    except OSError:
        return
    for name in names:
        pid, _, rest = name.partition("-")
        started = rest.split("-", 1)[0]
        if not pid.isdigit():
            continue
        if not alive({"pid": pid, "start": None if started == "None" else started}):
            shutil.rmtree(base / name, ignore_errors=True)
