"""The build lock says whose it is, is taken over from a dead owner, and a run
waiting for a live one gives up after a bounded time with exit 1."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from memorial_kit.errors import LockError, LockTimeout
from memorial_kit.locks import file_lock

from conftest import copy_workspace, run_kit

HOLDER = textwrap.dedent("""
    import sys, time
    from memorial_kit.locks import file_lock
    with file_lock(sys.argv[1], what="the build outputs"):
        print("held", flush=True)
        time.sleep(120)
""")


@pytest.fixture
def holder(tmp_path):
    started = []

    def hold(path: Path) -> subprocess.Popen:
        process = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)],
                                   stdout=subprocess.PIPE, text=True)
        assert process.stdout.readline().strip() == "held"
        started.append(process)
        return process
    yield hold
    for process in started:
        process.kill()
        process.wait()


def test_a_lock_records_its_owner(tmp_path, holder):
    process = holder(tmp_path / "build")
    owner = json.loads((tmp_path / "build.lock").read_text())
    assert owner["pid"] == process.pid and owner["host"]
    assert "start" in owner and "since" in owner


def test_a_run_waiting_for_a_live_lock_says_whose_and_gives_up(tmp_path, holder, monkeypatch):
    process = holder(tmp_path / "build")
    monkeypatch.setenv("MEMORIAL_KIT_LOCK_WAIT", "0.5")
    said = []
    with pytest.raises(LockTimeout) as caught:
        with file_lock(tmp_path / "build", what="the build outputs", say=said.append):
            pass
    assert caught.value.exit_code == 1
    assert f"pid {process.pid}" in said[0] and f"pid {process.pid}" in str(caught.value)


def test_a_build_gives_up_on_a_live_lock_with_exit_1(tmp_path, holder):
    ws = copy_workspace(tmp_path / "ws")
    process = holder(ws / ".memorial-kit" / "locks" / "build")
    result = run_kit(ws, "build", "--locale", "lt", "--format", "html", "--product", "plaque",
                     env={"MEMORIAL_KIT_LOCK_WAIT": "1"})
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"waiting for the build outputs: locked by pid {process.pid}" in result.stderr
    assert "error: the build outputs stayed locked by" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_lock_held_by_a_stray_of_a_dead_owner_is_taken_over(tmp_path):
    """A process that is not the recorded owner holds the lock (the orphaned worker of a
    run killed before this kit's workers died with it): the owner is dead, so it is taken."""
    dead = int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True).stdout)
    lock = tmp_path / "build.lock"
    lock.write_text(json.dumps({"pid": dead, "start": "1", "host": os.uname().nodename}))
    stray = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import fcntl, os, time
        fd = os.open({str(lock)!r}, os.O_RDWR)
        fcntl.flock(fd, fcntl.LOCK_EX)
        print("held", flush=True)
        time.sleep(120)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert stray.stdout.readline().strip() == "held"
        os.environ["MEMORIAL_KIT_LOCK_WAIT"] = "5"
        with file_lock(tmp_path / "build"):
            owner = json.loads(lock.read_text())
            assert owner["pid"] == os.getpid()
    finally:
        os.environ.pop("MEMORIAL_KIT_LOCK_WAIT", None)
        stray.kill()
        stray.wait()


def test_a_forked_child_does_not_keep_its_parents_lock(tmp_path):
    with file_lock(tmp_path / "x"):
        pid = os.fork()
        if pid == 0:
            os._exit(0 if not any(os.readlink(f"/proc/self/fd/{fd}").endswith("x.lock")
                                  for fd in os.listdir("/proc/self/fd")
                                  if _readable(fd)) else 1)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0


def _readable(fd: str) -> bool:
    try:
        os.readlink(f"/proc/self/fd/{fd}")
        return True
    except OSError:
        return False


def test_a_bad_wait_setting_is_one_error(tmp_path, monkeypatch):
    monkeypatch.setenv("MEMORIAL_KIT_LOCK_WAIT", "soon")
    with pytest.raises(LockError, match="MEMORIAL_KIT_LOCK_WAIT"):
        with file_lock(tmp_path / "x"):
            pass
