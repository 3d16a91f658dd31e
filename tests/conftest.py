"""Shared fixtures: a copy of the project's workspace that a test may change freely."""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "vorkuta-uprising" / "article.txt"


def copy_workspace(target: Path, with_locales: bool = True) -> Path:
    for name in ("seeds", "templates") + (("locales",) if with_locales else ()):
        shutil.copytree(ROOT / name, target / name,
                        ignore=shutil.ignore_patterns("*.mo", "__pycache__"))
    return target


@pytest.fixture
def workspace(tmp_path) -> Path:
    """A fresh copy of seeds/, templates/ and locales/."""
    return copy_workspace(tmp_path / "ws")


def run_kit(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real command line in a subprocess, as a user would."""
    full_env = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, "-m", "memorial_kit", "--root", str(root), *args],
                          capture_output=True, text=True, env=full_env, cwd=root)


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes (to prove nothing changed)."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".memorial-kit" not in p.parts}


@contextlib.contextmanager
def must_not_hang(seconds: int = 120):
    """A guard against a hang, not a measure of speed: the work under it once took hours on
    the test's input (a pattern that backtracked), and now takes well under a second; it
    fails only when the work is still running minutes later."""
    def hung(signum, frame):
        raise AssertionError(f"still running after {seconds} s: it hangs")
    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
