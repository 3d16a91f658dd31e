"""WeasyPrint loaded sooner, for a program that owns its process (the command line).

WeasyPrint asks cffi for each C library under every platform's name for it, and cffi hands
each name it cannot open to ``ctypes.util.find_library``, which on Linux runs ldconfig,
then gcc, then ld: for the 16 names that do not exist here, about 50 processes and 0.25 s
of CPU, which a cold build waits for, serial or parallel (a parallel one renders its HTML
in another process meanwhile, which takes less time).

Opt-in: the ``memorial-kit`` command calls :func:`allow`; a program that imports the kit
loads WeasyPrint the standard way.  Even then the lookup is answered here only while
WeasyPrint loads, on the main thread with no other thread running (so no other code can
see it), and is the standard one again afterwards.  A name no library the linker could
open answers to ("lib<name>.*") is "not found" at once; every other name goes to
``find_library`` as before, so WeasyPrint loads the very same libraries.
"""
from __future__ import annotations

import contextlib
import ctypes.util
import importlib
import os
import subprocess
import sys
import threading

_ALLOWED = False


def allow() -> None:
    """Let :func:`load_weasyprint` answer WeasyPrint's library probes itself."""
    global _ALLOWED
    _ALLOWED = True


def load_weasyprint():
    """The ``weasyprint`` module, imported the quick way when allowed and safe."""
    if "weasyprint" in sys.modules or not _ALLOWED or not _alone():
        return importlib.import_module("weasyprint")
    with _library_probes_answered_by_the_linker():
        return importlib.import_module("weasyprint")


def _alone() -> bool:
    return threading.current_thread() is threading.main_thread() and threading.active_count() == 1


def _linker_knows() -> "set[str] | None":
    """The file names the dynamic linker can open by name: those in its cache
    (``ldconfig -p``, as ctypes reads it), in LD_LIBRARY_PATH and in its default folders.
    None where there is no glibc ldconfig to ask."""
    try:
        listing = subprocess.run(["/sbin/ldconfig", "-p"], stdin=subprocess.DEVNULL,
                                 capture_output=True, env={"LC_ALL": "C", "LANG": "C"},
                                 check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    names = {os.fsdecode(line.split()[0]) for line in listing.splitlines()[1:] if line.strip()}
    folders = os.environ.get("LD_LIBRARY_PATH", "").split(":") + [
        "/lib", "/usr/lib", "/lib64", "/usr/lib64"]
    for folder in filter(None, folders):
        with contextlib.suppress(OSError):
            names.update(os.listdir(folder))
    return names


@contextlib.contextmanager
def _library_probes_answered_by_the_linker():
    """``ctypes.util.find_library`` answered from the linker's list for the block's
    duration (on Linux with a glibc ldconfig; elsewhere left as it is)."""
    files = _linker_knows() if sys.platform.startswith("linux") else None
    if files is None:
        yield
        return
    # each file name up to each of its dots: "libgobject-2.0" for "libgobject-2.0.so.0"
    known = set()
    for file in files:
        dot = file.find(".")
        while dot > 0:
            known.add(file[:dot])
            dot = file.find(".", dot + 1)
    original = ctypes.util.find_library

    def find_library(name: str) -> "str | None":
        return original(name) if f"lib{name}" in known else None

    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = original
