#!/usr/bin/env python3
"""Show that a change leaves the shipped edition byte for byte as it was.

    python3 tools/same_dist.py [REV]      # REV defaults to main

Builds dist/ twice under one SOURCE_DATE_EPOCH, each in a fresh copy of the sources: once
from the commit REV, once from the working tree as it is now (uncommitted changes
included), each run with its own code (PYTHONPATH). Then compares every file. Exit 0 when
both editions are identical, 1 (listing what differs) when they are not, 2 when a build
fails.
"""
from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EPOCH = "946684800"


def export_commit(rev: str, into: Path) -> None:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")


def export_working_tree(into: Path) -> None:
    listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], check=True, capture_output=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            target = into / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())


def build(tree: Path, label: str) -> Path:
    out = tree / "dist"
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONPATH=str(tree),
               PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.run([sys.executable, "-m", "memorial_kit", "build", "--serial", "--out",
                           str(out)], cwd=tree, env=env, capture_output=True, text=True)
    if proc.returncode not in (0, 1) or not out.is_dir():
        sys.stderr.write(f"the build of {label} failed (exit {proc.returncode}):\n"
                         f"{proc.stdout}{proc.stderr}")
        sys.exit(2)
    return out


def digests(out: Path) -> dict[str, str]:
    return {path.relative_to(out).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(out.rglob("*")) if path.is_file()}


def main(argv: list[str]) -> int:
    rev = argv[0] if argv else "main"
    with tempfile.TemporaryDirectory(prefix="same-dist-") as tmp:
        before, after = Path(tmp, "before"), Path(tmp, "after")
        export_commit(rev, before)
        export_working_tree(after)
        old, new = digests(build(before, rev)), digests(build(after, "the working tree"))
    differ = sorted(name for name in old.keys() | new.keys() if old.get(name) != new.get(name))
    for name in differ:
        state = "only before" if name not in new else "only after" if name not in old else "differs"
        print(f"{name}: {state}")
    print(f"{len(old)} files from {rev}, {len(new)} from the working tree: "
          + ("identical" if not differ else f"{len(differ)} differ"))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
