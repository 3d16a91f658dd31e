"""No process and no temporary file outlives a command.

The failures reproduced: a parallel build killed with SIGKILL left its workers
running (holding the build lock, so every later build waited forever), and
every build left WeasyPrint's ``weasyprint-*`` folders in the system's
temporary folder.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from memorial_kit import processes

from conftest import as_from_a_terminal, copy_workspace, run_kit

BUILD = ("build", "--locale", "lt", "--product", "leaflet", "--product", "plaque",
         "--format", "pdf", "--force")


def kit_processes(root: Path) -> list[int]:
    """Live processes whose command line names the workspace (the kit's, and its workers)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            ended = state(int(entry)) == "Z"
        except OSError:
            continue
        if str(root).encode() in cmdline and not ended:
            found.append(int(entry))
    return found


def state(pid: int) -> str:
    """The process's state letter ("Z": ended, not yet reaped)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def wait_for(condition, limit: float = 120.0) -> bool:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    return copy_workspace(tmp_path_factory.mktemp("processes") / "ws")


@pytest.fixture
def ws(base, tmp_path) -> Path:
    import shutil
    target = tmp_path / "ws"
    shutil.copytree(base, target, symlinks=True)
    return target


def start(ws: Path, tmpdir: Path, *args: str) -> subprocess.Popen:
    env = dict(os.environ, TMPDIR=str(tmpdir))
    return subprocess.Popen([sys.executable, "-m", "memorial_kit", "--root", str(ws), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ws,
                            start_new_session=True, preexec_fn=as_from_a_terminal)


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP])
def test_workers_end_with_a_killed_build_and_the_next_build_runs(ws, tmp_path, how):
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    build = start(ws, tmpdir, *BUILD)
    assert wait_for(lambda: len(children(build.pid)) >= 2 or build.poll() is not None)
    assert build.poll() is None, build.communicate()
    os.kill(build.pid, how)
    build.wait()
    assert wait_for(lambda: not kit_processes(ws), 30), kit_processes(ws)
    again = run_kit(ws, *BUILD, env={"TMPDIR": str(tmpdir), "MEMORIAL_KIT_LOCK_WAIT": "30"})
    assert again.returncode == 0, again.stdout + again.stderr
    assert not kit_processes(ws)
    assert list(tmpdir.iterdir()) == []
    assert list((ws / ".memorial-kit" / "tmp").iterdir()) == []   # the killed one's, swept


@pytest.mark.parametrize("kernel", [True, False], ids=["pdeathsig", "parent-pipe-alone"])
def test_a_forked_child_dies_when_its_parent_is_killed(kernel):
    """With PR_SET_PDEATHSIG, and without it (other systems): the pipe watch alone."""
    script = (
        "import os, time\n"
        "from memorial_kit import processes\n"
        + ("" if kernel else "processes._kill_me_with_parent = lambda: False\n") +
        "processes.install()\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    time.sleep(120); os._exit(0)\n"
        "print(pid, flush=True); time.sleep(120)\n")
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    parent.kill()
    parent.wait()

    def gone() -> bool:
        try:
            state = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        return state == "Z"
    assert wait_for(gone, 30)


@pytest.mark.parametrize("args", [BUILD, BUILD + ("--serial",)], ids=["parallel", "serial"])
def test_a_build_leaves_the_temporary_folder_empty(ws, tmp_path, args):
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    result = run_kit(ws, *args, env={"TMPDIR": str(tmpdir)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert list(tmpdir.iterdir()) == []
    assert list((ws / ".memorial-kit" / "tmp").iterdir()) == []


def test_ctrl_c_during_a_build_leaves_no_temporary_folder_and_no_process(ws, tmp_path):
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    build = start(ws, tmpdir, *BUILD)
    private = ws / ".memorial-kit" / "tmp"
    # interrupted once WeasyPrint has made its font folders
    assert wait_for(lambda: any(p.name.startswith("weasyprint-")
                                for p in private.glob("*/*")) or build.poll() is not None)
    os.killpg(build.pid, signal.SIGINT)
    build.communicate()
    assert wait_for(lambda: not kit_processes(ws), 30)
    assert list(tmpdir.iterdir()) == []
    assert list(private.iterdir()) == []


def test_a_stale_temporary_folder_is_swept_but_a_live_one_kept(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    base = tmp_path / "tmp"
    (base / f"{dead}-1-x").mkdir(parents=True)
    mine = processes.me()
    (base / f"{mine['pid']}-{mine['start']}-y").mkdir()
    processes.sweep_stale(base)
    assert [p.name for p in base.iterdir()] == [f"{mine['pid']}-{mine['start']}-y"]


def test_a_worker_killed_mid_build_is_one_error_and_leaves_nothing(ws, tmp_path):
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    build = start(ws, tmpdir, *BUILD)
    private = ws / ".memorial-kit" / "tmp"
    # the workers print once WeasyPrint has made its font folders
    assert wait_for(lambda: len(list(private.glob("*/weasyprint-*"))) >= 2
                    or build.poll() is not None)
    workers = children(build.pid)
    if build.poll() is not None or len(workers) < 3:
        pytest.skip("the build ended before a worker could be killed")
    os.kill(workers[-1], signal.SIGKILL)         # the last started: a printer of the pool
    out, err = build.communicate()
    text = err.decode()
    assert "Traceback" not in text
    if build.returncode != 0:
        assert build.returncode == 1
        assert "error: a worker process ended abruptly" in text
    assert wait_for(lambda: not kit_processes(ws), 30)
    assert list(tmpdir.iterdir()) == []
    assert list(private.iterdir()) == []


def test_a_write_temporary_of_a_dead_writer_is_swept_even_when_its_pid_is_reused(tmp_path):
    from memorial_kit.fsutil import sweep_temporaries
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    mine = os.getpid()
    (tmp_path / f".a.po.{dead}-abcd1234.tmp").write_bytes(b"cut short")
    reused = tmp_path / f".b.po.{mine}-abcd1234.tmp"   # older than this process: not its
    reused.write_bytes(b"cut short")
    os.utime(reused, (1_000_000_000, 1_000_000_000))
    live = tmp_path / f".c.po.{mine}-abcd1234.tmp"      # this process's, being written
    live.write_bytes(b"")
    sweep_temporaries(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [live.name]


def _zombie() -> subprocess.Popen:
    """A process that has ended and is not yet reaped (as an orphan is until the init
    process reaps it): ``kill(pid, 0)`` still finds it."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    assert wait_for(lambda: state(process.pid) == "Z", 30)
    os.kill(process.pid, 0)
    return process


def test_what_a_process_left_when_it_ended_unreaped_is_swept(tmp_path):
    """A temporary file and a temporary folder whose writer is a zombie are stale: a build
    killed while writing left them, and the next one removes them (a soak run found a
    killed build's index temporary kept while its writer, orphaned, was not yet reaped)."""
    from memorial_kit.fsutil import sweep_temporaries
    zombie = _zombie()
    try:
        start = processes.start_time(zombie.pid)
        assert start is not None
        assert not processes.alive({"pid": zombie.pid, "start": start})
        assert not processes.running_since(zombie.pid, time.time())
        (tmp_path / f".index.html.{zombie.pid}-abcd1234.tmp").write_bytes(b"cut short")
        live = tmp_path / f".c.po.{os.getpid()}-abcd1234.tmp"
        live.write_bytes(b"")
        sweep_temporaries(tmp_path)
        assert [p.name for p in tmp_path.iterdir()] == [live.name]
        base = tmp_path / "tmp"
        (base / f"{zombie.pid}-{start}-x").mkdir(parents=True)
        processes.sweep_stale(base)
        assert list(base.iterdir()) == []
    finally:
        zombie.wait()
    assert processes.alive(processes.me()) and processes.running_since(os.getpid(), time.time())
