"""Soak: kill -9 at random moments during update, compile and build.

In copies of the workspace, each command is killed (SIGKILL, the main process
only) at a random moment of its run.  After each kill: every file is either as
it was or as the uncut command writes it (the kit's own write temporaries
aside), every translation of the old catalogs is still there, no process of
the command is left; and the next run of the command succeeds and leaves
exactly what the uncut command leaves (its temporaries swept).

The normal suite runs a few kills; ``MEMORIAL_KIT_SOAK=200`` runs the full soak.
"""
from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from memorial_kit import po as pofile

from conftest import copy_workspace, snapshot
from test_processes import kit_processes, wait_for

KILLS = int(os.environ.get("MEMORIAL_KIT_SOAK", "9"))
RANDOM = random.Random(int(os.environ.get("MEMORIAL_KIT_SOAK_SEED", "1953")))
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1764460800", MEMORIAL_KIT_LOCK_WAIT="60")
COMMANDS = {
    "update": ("update",),
    "compile": ("compile",),
    "build": ("build", "--product", "plaque", "--locale", "lt", "--locale", "ru",
              "--format", "pdf"),
}
TEMPORARY = re.compile(r"\..+\.\d+-[A-Za-z0-9_]+\.tmp")

pytestmark = pytest.mark.soak


def translations(root: Path) -> set[str]:
    found = set()
    for path in (root / "locales").rglob("*.po"):
        for entry in pofile.read_po(path.read_bytes(), str(path)).entries:
            found.update(f for f in ([entry.msgstr] + list(entry.msgstr_plural)) if f)
    return found


def run(root: Path, args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "memorial_kit", "--root", str(root), *args],
                          capture_output=True, text=True, env=ENV, cwd=root)


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """The workspace with source changes, so that update has merging to do."""
    root = copy_workspace(tmp_path_factory.mktemp("soak") / "base")
    pot = root / "locales" / "vorkuta-uprising.pot"
    catalog = pofile.read_po(pot.read_bytes(), str(pot))
    catalog.entries[3].msgid += " (revised)"
    catalog.entries.append(pofile.Entry("A message added to the source"))
    pot.write_bytes(pofile.write_po(catalog))
    return root


@pytest.fixture(scope="module")
def reference(base, tmp_path_factory) -> dict:
    """What each command leaves when it runs to its end, and how long it takes."""
    out = {}
    for name, args in COMMANDS.items():
        root = tmp_path_factory.mktemp(f"reference-{name}") / "ws"
        shutil.copytree(base, root)
        started = time.monotonic()
        result = run(root, args)
        assert result.returncode == 0, result.stdout + result.stderr
        out[name] = (snapshot(root), time.monotonic() - started)
    return out


def test_kill_9_at_random_moments_loses_nothing_and_leaves_nothing(base, reference, tmp_path):
    before, kept = snapshot(base), translations(base)
    names = list(COMMANDS)
    for kill in range(KILLS):
        name = names[kill % len(names)]
        after, duration = reference[name]
        root = tmp_path / f"kill-{kill}"
        shutil.copytree(base, root)
        delay = RANDOM.uniform(0, duration)
        what = f"kill {kill}: {name} killed after {delay:.2f} s"
        command = subprocess.Popen([sys.executable, "-m", "memorial_kit", "--root", str(root),
                                    *COMMANDS[name]], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, env=ENV, cwd=root)
        time.sleep(delay)
        command.send_signal(signal.SIGKILL)
        command.wait()
        assert wait_for(lambda root=root: not kit_processes(root), 30), (what, kit_processes(root))
        now = snapshot(root)
        for path in set(now) | set(before) | set(after):
            if path in now and TEMPORARY.fullmatch(Path(path).name):
                continue                # a write cut short: removed by the next run
            state = now.get(path)
            assert state in (before.get(path), after.get(path)), (what, path)
        assert kept <= translations(root), (what, sorted(kept - translations(root))[:3])
        again = run(root, COMMANDS[name])
        assert again.returncode == 0, (what, again.stdout + again.stderr)
        assert snapshot(root) == after, what
        assert not kit_processes(root), what
        assert list((root / ".memorial-kit" / "tmp").iterdir()) == [], what
        shutil.rmtree(root)
