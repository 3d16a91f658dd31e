"""Writes are atomic: a killed run leaves every file old or new, never partial.

Real processes are killed with SIGKILL at random moments while they write:
a loop of ``fsutil.atomic_write`` of large files, and ``memorial-kit update``
of a large catalog.  Afterwards the target is byte for byte either the old
or a complete new version, and the only stray files are the kit's own
``.{name}.*.tmp`` temporaries (a killed process cannot remove them; normal
error paths must).  Concurrent runs are serialised by ``file_lock``.
"""
from __future__ import annotations

import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from memorial_kit import po as pofile
from memorial_kit.errors import MemorialKitError, WriteError
from memorial_kit.fsutil import atomic_write, file_lock

from conftest import run_kit, snapshot
from test_bad_input import PO

SIZE = 4 * 1024 * 1024
KILLS = 12
RANDOM = random.Random(1953)


def version(i: int, size: int = SIZE) -> bytes:
    head = b"version %08d\n" % i
    return head + bytes([i % 251]) * (size - len(head))


def temporaries(folder: Path, name: str) -> list[Path]:
    return [p for p in folder.iterdir() if re.fullmatch(rf"\.{re.escape(name)}\..+\.tmp", p.name)]


def strays(folder: Path, *expected: str) -> list[str]:
    """Files in ``folder`` that are neither expected nor the kit's temporaries."""
    return sorted(p.name for p in folder.iterdir()
                  if p.name not in expected
                  and not any(re.fullmatch(rf"\.{re.escape(name)}\..+\.tmp", p.name)
                              for name in expected))


WRITER = textwrap.dedent("""
    import sys
    from memorial_kit.fsutil import atomic_write
    path, size = sys.argv[1], int(sys.argv[2])
    i = int(sys.argv[3])
    print("ready", flush=True)
    while True:
        i += 1
        head = b"version %08d\\n" % i
        atomic_write(path, head + bytes([i % 251]) * (size - len(head)))
        print(i, flush=True)
""")


def test_sigkill_during_atomic_write_leaves_old_or_new(tmp_path):
    target = tmp_path / "big.bin"
    target.write_bytes(version(0))
    last = 0
    for kill in range(KILLS):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target), str(SIZE), str(last)],
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline() == "ready\n"
        time.sleep(RANDOM.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        assert proc.returncode == -signal.SIGKILL
        acknowledged = [int(line) for line in out.split()] or [last]
        data = target.read_bytes()
        match = re.match(rb"version (\d{8})\n", data)
        assert match, f"kill {kill}: the target lost its head"
        number = int(match[1])
        assert data == version(number), f"kill {kill}: version {number} is partial"
        # a write that returned is durable; at most the one in flight is newer
        assert acknowledged[-1] <= number <= acknowledged[-1] + 1, (kill, number, acknowledged)
        assert strays(tmp_path, "big.bin") == []
        left = temporaries(tmp_path, "big.bin")     # at most the one write in flight
        assert len(left) <= 1
        for stale in left:
            stale.unlink()
        last = number
    assert last > 0, "the writer never completed a write: the kills came too early"


def test_atomic_write_cleans_up_on_errors(tmp_path):
    target = tmp_path / "catalog.po"
    target.write_bytes(b"old")
    with pytest.raises(TypeError):
        atomic_write(target, "text, not bytes")                 # fails while writing
    folder = tmp_path / "a-folder"
    folder.mkdir()
    with pytest.raises(WriteError) as info:
        atomic_write(folder, b"new")                            # fails at the rename
    assert isinstance(info.value, OSError) and isinstance(info.value, MemorialKitError)
    assert str(folder) in str(info.value)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-folder", "catalog.po"]
    assert list(folder.iterdir()) == []


LIMITED_WRITER = textwrap.dedent("""
    import resource, signal, sys
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))
    from memorial_kit.errors import WriteError
    from memorial_kit.fsutil import atomic_write
    try:
        atomic_write(sys.argv[1], b"x" * (4 << 20))
    except WriteError as exc:
        print("WriteError", exc.path, exc.message)
""")


def test_a_full_disk_leaves_the_old_file_and_no_temporary(tmp_path):
    """RLIMIT_FSIZE makes write() fail with EFBIG, as a full disk fails with ENOSPC."""
    target = tmp_path / "big.bin"
    target.write_bytes(b"old")
    result = subprocess.run([sys.executable, "-c", LIMITED_WRITER, str(target)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"WriteError {target} cannot write the file"), result.stdout
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.bin"]


# ---------------------------------------------------------- the catalog ---

EXTRA = 3000


def big_catalog(root: Path, extra: int = EXTRA) -> bytes:
    """The lt catalog plus ``extra`` translated entries the template no longer has
    (update turns them into #~ obsolete entries: a large rewrite)."""
    path = root / PO
    catalog = pofile.read_po(path.read_bytes(), str(path))
    for i in range(extra):
        catalog.entries.append(pofile.Entry(
            f"Retired sentence number {i} about the uprising at Vorkuta in 1953.",
            msgstr=f"Pasenęs sakinys nr. {i} apie sukilimą Vorkutoje 1953 metais.",
            references=[f"seeds/vorkuta-uprising/article.txt:{i + 1}"],
            extracted_comments=["A paragraph that was removed from the article."]))
    data = pofile.write_po(catalog)
    path.write_bytes(data)
    return data


@pytest.fixture
def updated(ws, tmp_path):
    """(workspace with a big lt catalog, its bytes, the bytes one update makes of it)."""
    old = big_catalog(ws)
    reference = tmp_path / "reference"
    shutil.copytree(ws, reference)
    result = run_kit(reference, "update", "lt")
    assert result.returncode == 0, result.stderr
    new = (reference / PO).read_bytes()
    assert new != old and b"#~ msgid" in new
    return ws, old, new


def update_command(root: Path) -> list[str]:
    return [sys.executable, "-m", "memorial_kit", "--root", str(root), "update", "lt"]


def test_sigkill_during_update_leaves_old_or_new_catalog(updated):
    ws, old, new = updated
    folder = (ws / PO).parent
    start = time.monotonic()
    subprocess.run(update_command(ws), check=True, capture_output=True)
    duration = time.monotonic() - start
    outcomes = set()
    for kill in range(5):
        (ws / PO).write_bytes(old)
        proc = subprocess.Popen(update_command(ws), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(RANDOM.uniform(0.3, 1.0) * duration)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        data = (ws / PO).read_bytes()
        assert data in (old, new), f"kill {kill}: the catalog is partial ({len(data)} bytes)"
        outcomes.add("new" if data == new else "old")
        assert strays(folder, "memorial-kit.po", "memorial-kit.mo", "vorkuta-uprising.po",
                      "vorkuta-uprising.mo") == []
        for stale in temporaries(folder, Path(PO).name):
            stale.unlink()
    assert pofile.read_po((ws / PO).read_bytes(), PO) is not None


def test_a_failed_write_in_update_is_a_kit_error_and_changes_nothing(updated):
    ws, old, _ = updated
    folder = (ws / PO).parent
    before = snapshot(ws)

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (len(old) // 2, len(old) // 2))

    result = subprocess.run(update_command(ws), capture_output=True, text=True,
                            preexec_fn=limit)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    assert first.endswith(f"{PO}: error: cannot write the file: File too large"), first
    assert snapshot(ws) == before
    assert temporaries(folder, Path(PO).name) == []


def test_two_updates_at_once_equal_one(updated):
    ws, old, new = updated
    procs = [subprocess.Popen(update_command(ws), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(proc.wait(), proc.stdout.read(), proc.stderr.read()) for proc in procs]
    for proc in procs:
        proc.stdout.close()
        proc.stderr.close()
    assert [code for code, _, _ in results] == [0, 0], results
    assert (ws / PO).read_bytes() == new
    catalog = pofile.read_po(new, PO)
    assert sum(1 for e in catalog.entries if e.obsolete) == EXTRA
    assert temporaries((ws / PO).parent, Path(PO).name) == []


def test_file_lock_serialises_and_can_refuse(tmp_path):
    target = tmp_path / "catalog"
    script = textwrap.dedent("""
        import sys, time
        from memorial_kit.fsutil import file_lock
        with file_lock(sys.argv[1], wait=True):
            print("in", time.monotonic(), flush=True)
            time.sleep(0.4)
            print("out", time.monotonic(), flush=True)
    """)
    procs = [subprocess.Popen([sys.executable, "-c", script, str(target)],
                              stdout=subprocess.PIPE, text=True) for _ in range(2)]
    spans = []
    for proc in procs:
        out, _ = proc.communicate()
        assert proc.returncode == 0
        times = dict(line.split() for line in out.splitlines())
        spans.append((float(times["in"]), float(times["out"])))
    spans.sort()
    assert spans[0][1] <= spans[1][0], "two holders of the lock overlapped"
    with file_lock(target, wait=True):
        holder = subprocess.run(
            [sys.executable, "-c", "import sys; from memorial_kit.fsutil import file_lock\n"
             "from memorial_kit.errors import LockError\n"
             "try:\n    with file_lock(sys.argv[1], wait=False, what='the catalog'): pass\n"
             "except LockError as exc:\n    print(exc)\n", str(target)],
            capture_output=True, text=True)
    assert "another memorial-kit run is changing the catalog" in holder.stdout


# ------------------------------------------------------------- builds ---

def test_two_builds_at_once_both_succeed_with_complete_outputs(ws):
    command = [sys.executable, "-m", "memorial_kit", "--root", str(ws), "build",
               "--format", "html", "--locale", "lt", "--locale", "ru"]
    procs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    results = [(proc.wait(), proc.stdout.read(), proc.stderr.read()) for proc in procs]
    for proc in procs:
        proc.stdout.close()
        proc.stderr.close()
    for code, out, err in results:
        assert code == 0, out + err
        assert out.splitlines()[-1].endswith(" 0 failed"), out
    dist = ws / "dist"
    pages = sorted(dist.rglob("*.html"))
    assert len(pages) >= 6          # lt and ru leaflets and plaques, two labels, index
    for page in pages:
        assert page.read_text("utf-8").rstrip().endswith("</html>"), page
    assert not [p for p in dist.rglob("*") if p.name.endswith(".tmp")]
    produced = {k: v for k, v in snapshot(ws).items() if k.startswith("dist/")}
    again = run_kit(ws, "build", "--format", "html", "--locale", "lt", "--locale", "ru",
                    "--force", "--serial")
    assert again.returncode == 0, again.stdout + again.stderr
    assert {k: v for k, v in snapshot(ws).items() if k.startswith("dist/")} == produced
