"""Watching a workspace's sources for ``serve``: which edits happened, and what they touch.

The watcher runs on its own thread (watchfiles, inotify on Linux) and hands each batch
of changed paths to a queue; the thread that builds takes them from there.  Signals
reach only the main thread, so the watcher never handles Ctrl-C: it stops when told.
"""
from __future__ import annotations

import queue
import threading
from pathlib import Path

from .workspace import Workspace

WATCHED = ("seeds", "locales", "templates")
# What editors and the kit itself write beside a source without changing it: compiled
# catalogs, hidden temporary files of atomic saves (".name.XXXX.tmp"), backups and swap files.
_IGNORED_SUFFIXES = (".mo", ".tmp", "~", ".swp", ".swx", ".bak", ".orig")


def relevant(path: Path) -> bool:
    """Whether an edit of ``path`` can change what is built or what check finds."""
    name = path.name
    return not (name.startswith((".", "#")) or name.endswith(_IGNORED_SUFFIXES)
                or name == "4913" or "__pycache__" in path.parts)


def affected_locales(ws: Workspace, paths) -> set[str] | None:
    """The locales whose catalogs changed, or None when a seed or a template changed
    (everything may change then)."""
    locales: set[str] = set()
    for path in paths:
        try:
            parts = Path(path).resolve().relative_to(ws.root).parts
        except ValueError:
            continue
        if not parts or parts[0] not in WATCHED:
            continue
        if parts[0] == "locales" and len(parts) >= 3 and parts[2] == "LC_MESSAGES":
            locales.add(parts[1])
        elif parts[0] == "locales":
            continue                # a template (.pot): nothing built reads it
        else:
            return None
    return locales


class Watcher:
    """A thread putting each batch of relevant changed paths on ``changes``."""

    def __init__(self, ws: Workspace, changes: "queue.Queue[set[Path]]"):
        self.ws = ws
        self.changes = changes
        self._stop = threading.Event()
        self._ready = threading.Event()
        self.thread = threading.Thread(target=self._run, name="memorial-kit-watch", daemon=True)
        self.failure: BaseException | None = None

    def start(self) -> None:
        self.thread.start()
        self._ready.wait(10)

    def stop(self) -> None:
        self._stop.set()
        self.thread.join(5)

    def _run(self) -> None:
        import watchfiles
        folders = [str(self.ws.root / name) for name in WATCHED if (self.ws.root / name).is_dir()]
        try:
            # step: the quiet time that ends a batch (an editor's save is several events);
            # debounce: the longest a batch may grow while edits keep coming.
            batches = watchfiles.watch(*folders, watch_filter=lambda change, path: relevant(Path(path)),
                                       debounce=400, step=30, stop_event=self._stop,
                                       rust_timeout=500, yield_on_timeout=True,
                                       raise_interrupt=False)
            for batch in batches:
                self._ready.set()
                if batch:
                    self.changes.put({Path(path) for _, path in batch})
        except BaseException as exc:  # noqa: BLE001 - reported by the building thread
            self.failure = exc
            self.changes.put(set())
        finally:
            self._ready.set()
