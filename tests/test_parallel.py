"""A build on every core: the same bytes as a serial one, lanes of languages, and
processes that die or are interrupted (Ctrl-C) ending the build cleanly."""
import re
import subprocess
from pathlib import Path

import pytest

from conftest import as_from_a_terminal, as_in_a_pipe, copy_workspace, run_kit


def test_parallel_output_equals_serial(tmp_path):
    ws = copy_workspace(tmp_path / "ws")
    serial = run_kit(ws, "build", "--serial", "--locale", "ru", "--out", str(tmp_path / "a"))
    parallel = run_kit(ws, "build", "--locale", "ru", "--out", str(tmp_path / "b"))
    assert serial.returncode == 0 and parallel.returncode == 0, serial.stdout + parallel.stdout
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert files_a == files_b and len(files_a) > 8
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def _lane_jobs(*names):
    from memorial_kit.jobs import Job
    jobs = [Job("m", name.split("/")[0], tuple(name.split("/")[1].split("-"))) for name in names]
    return sorted(jobs, key=lambda job: {"leaflet": 0, "labels": 0, "plaque": 1}[job.product])


class _Ready:
    def __init__(self, job):
        self.job = job


def test_lanes_keep_each_language_to_one_worker_and_balance_the_work():
    """The edition's English jobs (its leaflet, plaque and both label sets, whose secondary
    language it is) make one lane; the other languages the other, of as much work."""
    from memorial_kit.parallel import _Lanes
    jobs = _lane_jobs("leaflet/en", "leaflet/lt", "leaflet/ru", "leaflet/la",
                      "labels/lt-en", "labels/ru-en",
                      "plaque/en", "plaque/lt", "plaque/ru", "plaque/la")
    lanes = _Lanes(jobs, 2)
    by_lane = {}
    for job in jobs:
        by_lane.setdefault(lanes.lane[job.name], set()).add(job.name)
    assert sorted(by_lane.values(), key=len) == [
        {"m/leaflet/en", "m/labels/lt-en", "m/labels/ru-en", "m/plaque/en"},
        {"m/leaflet/lt", "m/leaflet/ru", "m/leaflet/la", "m/plaque/lt", "m/plaque/ru",
         "m/plaque/la"}]


def test_a_free_worker_takes_its_lanes_longest_job_else_another_lanes():
    from memorial_kit.parallel import _Lanes
    jobs = _lane_jobs("leaflet/en", "leaflet/lt", "labels/lt-en", "plaque/en", "plaque/lt")
    lanes = _Lanes(jobs, 2)
    english, lithuanian = lanes.lane["m/leaflet/en"], lanes.lane["m/leaflet/lt"]
    assert english != lithuanian
    for job in reversed(jobs):                      # sent in any order
        lanes.add(_Ready(job), job.name)
    # a tie (as many jobs in English as in Lithuanian): the label set goes with its primary
    assert lanes.lane["m/labels/lt-en"] == lithuanian
    assert lanes.take(lithuanian) == "m/leaflet/lt"
    assert lanes.take(english) == "m/leaflet/en"
    assert lanes.take(english) == "m/plaque/en"
    assert lanes.take(english) == "m/labels/lt-en"  # its own lane empty: another's longest
    assert lanes.take(lithuanian) == "m/plaque/lt"
    assert not lanes.ready()


def test_every_worker_gets_a_lane_even_when_one_language_is_all_there_is():
    from memorial_kit.parallel import _Lanes
    jobs = _lane_jobs("leaflet/lt", "plaque/lt")
    lanes = _Lanes(jobs, 2)
    for job in jobs:
        lanes.add(_Ready(job), job.name)
    busy = lanes.lane["m/leaflet/lt"]
    # the first worker back from a job of the busy lane owns it; the next one gets the
    # other lane, and takes from the busy one since its own is empty
    assert lanes.of_worker(101, busy) == busy
    assert lanes.of_worker(102, busy) == 1 - busy
    assert lanes.take(1 - busy) == "m/leaflet/lt"
    assert lanes.take(busy) == "m/plaque/lt"


class _SlowRenderer:
    """A renderer that sends its second job only to a main process that waits for it (as
    one still rendering it does), and counts the times it was only looked at meanwhile."""

    def __init__(self, jobs):
        self.jobs, self.looks = list(jobs), 0

    def received(self, interrupted, wait: bool):
        if len(self.jobs) == 2 or wait:
            return [self.jobs.pop(0)]
        self.looks += 1
        assert self.looks < 50, "a free worker is left waiting on a running job"
        return []


class _Pool:
    """A pool whose first job ends only once the second has been given to a worker."""

    def __init__(self):
        import concurrent.futures
        self.futures, self.given = [], []
        self.new = concurrent.futures.Future

    def submit(self, fn, print_job, root, prepared, request, out):
        self.given.append(prepared.job.name)
        future = self.new()
        self.futures.append(future)
        if len(self.futures) == 2:
            for worker, (done, name) in enumerate(zip(self.futures, self.given)):
                done.set_result((worker, name))
        return future


def test_a_free_worker_is_given_the_next_job_the_renderer_sends_while_another_prints():
    """The first job prints; the second is still being rendered: the main process waits
    for the renderer, not for the first job to end (which it could not do before the
    second is given out)."""
    from memorial_kit.parallel import Stages, _Interrupted, _print_all
    jobs = _lane_jobs("leaflet/en", "plaque/lt")
    prepared = [type("Prepared", (), {"job": job, "result": None})() for job in jobs]
    args = [("root", job, "request", "out", "digest") for job in jobs]
    renderer, pool, reported = _SlowRenderer(prepared), _Pool(), []
    stages = Stages(prepare=None, print=None, failed=None)
    _print_all(pool, renderer, args, stages, reported.append, lambda submit, index: None,
               _Interrupted(), 2)
    assert pool.given == ["m/leaflet/en", "m/plaque/lt"]
    assert sorted(reported) == ["m/leaflet/en", "m/plaque/lt"] and renderer.looks == 0


def _worker_state():
    import gc
    import signal
    return gc.get_freeze_count(), signal.getsignal(signal.SIGINT) is signal.SIG_IGN


def test_workers_leave_ctrl_c_to_the_main_process_and_inherited_objects_to_it(tmp_path):
    """A printing worker ignores SIGINT (the main process stops them all) and keeps what
    it inherited out of its garbage collector's passes, which would copy its memory."""
    import concurrent.futures
    import gc
    import multiprocessing
    from memorial_kit import parallel
    with concurrent.futures.ProcessPoolExecutor(
            1, mp_context=multiprocessing.get_context("fork"),
            initializer=parallel._worker_setup) as pool:
        frozen, ignores_ctrl_c = pool.submit(_worker_state).result()
    assert ignores_ctrl_c
    assert frozen > len(gc.get_objects()) // 2
    assert gc.get_freeze_count() == 0           # the parent's collector is untouched


def test_a_rendering_process_that_dies_fails_its_jobs_and_the_build_ends(tmp_path,
                                                                         monkeypatch):
    """The parallel build renders in a separate process; if that process dies (here: exits
    at once when it comes to the plaques, as when the system kills it), the jobs it never
    sent fail with a reason, the others are built, and the build returns."""
    import os
    from memorial_kit import build
    from memorial_kit.workspace import Workspace
    ws = copy_workspace(tmp_path / "ws")
    real = build.prepare_job

    def dies_at_the_plaques(root, job, *args, **kwargs):
        if job.product == "plaque":
            os._exit(3)
        return real(root, job, *args, **kwargs)
    monkeypatch.setattr(build, "prepare_job", dies_at_the_plaques)
    report = build.run_build(Workspace(ws), build.BuildRequest(
        locales=["lt"], products=list(build.PRODUCTS), formats=("pdf",),
        out=str(tmp_path / "out"), parallel=True, force=True))
    status = {r.job.split("/")[1]: (r.status, r.reason) for r in report.results}
    assert set(status) == {"leaflet", "plaque", "labels"}
    died = ("failed", "internal error: the rendering process died")
    assert status["plaque"] == died
    # what the renderer had sent before it died is built; what it had not, fails
    for result in report.results:
        assert result.status == "built" or (result.status, result.reason) == died, result
        for output in result.outputs:
            path = Path(output) if Path(output).is_absolute() else ws / output
            assert path.exists(), output
    assert not (tmp_path / "out" / "vorkuta-uprising" / "lt" / "plaque.pdf").exists()
    assert report.failed
    # the index, which the renderer would have written, is written by the main process
    assert "vorkuta-uprising/lt/leaflet.pdf" in (tmp_path / "out" / "index.html").read_text()


@pytest.mark.parametrize("how", ["fails", "dies"])
def test_an_index_the_renderer_cannot_write_is_written_by_the_main_process(tmp_path,
                                                                          monkeypatch, how):
    """In a parallel build the rendering process writes the index page at the end; if it
    fails or dies doing so, the main process writes it instead."""
    import os
    from memorial_kit import build, parallel
    from memorial_kit.workspace import Workspace
    ws = copy_workspace(tmp_path / "ws")
    main, real = os.getpid(), parallel.write_index

    def not_in_the_renderer(*args):
        if os.getpid() != main:
            if how == "dies":
                os._exit(3)
            raise OSError("disk full")
        return real(*args)
    monkeypatch.setattr(parallel, "write_index", not_in_the_renderer)
    report = build.run_build(Workspace(ws), build.BuildRequest(
        locales=["ru"], formats=("html",), out=str(tmp_path / "out"), parallel=True))
    assert not report.failed
    index = (tmp_path / "out" / "index.html").read_text()
    assert "vorkuta-uprising/ru/leaflet.html" in index
    assert "vorkuta-uprising/labels/ru-en.html" in index


def test_ctrl_c_once_the_build_has_reported_changes_nothing(tmp_path):
    """After the summary, Python still tears the process down for a tenth of a second; a
    Ctrl-C then must not kill the command with a signal instead of its exit code."""
    import os
    import signal
    import sys
    ws = copy_workspace(tmp_path / "ws")
    command = subprocess.Popen(
        [sys.executable, "-m", "memorial_kit", "--root", str(ws), "build", "--force"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True, text=True,
        preexec_fn=as_from_a_terminal)
    lines = []
    for line in command.stdout:
        lines.append(line)
        if re.match(r"\d+ built, ", line):
            os.killpg(command.pid, signal.SIGINT)
            break
    lines.extend(command.stdout)
    command.wait(timeout=30)
    text = "".join(lines)
    assert command.returncode in (0, 130), (command.returncode, text)
    assert "Traceback" not in text
    assert command.returncode == 0 or text.rstrip().endswith("interrupted")


def test_an_interrupt_python_marked_unhandled_still_ends_with_its_exit_code(tmp_path):
    """Under ``python -m``, Python ends a process by SIGINT itself, whatever exit code it
    was given, once an interrupt has ended code run from a string (``exec`` of text: a
    dataclass's or namedtuple's methods are made so while the kit loads), even though
    the kit then caught it.  The command still ends with 130, as a Ctrl-C anywhere else
    does."""
    import sys
    (tmp_path / "interrupted_in_exec.py").write_text(
        "import sys\n"
        "from memorial_kit import cli, entry\n"
        "def interrupted(argv=None):\n"
        "    try:\n"
        "        exec('raise KeyboardInterrupt', {})\n"
        "    except KeyboardInterrupt:\n"
        "        print('interrupted', file=sys.stderr)\n"
        "        return 130\n"
        "cli.main = interrupted\n"
        "entry.command()\n")
    command = subprocess.run([sys.executable, "-m", "interrupted_in_exec"], capture_output=True,
                             text=True, cwd=tmp_path)
    assert command.returncode == 130, (command.returncode, command.stderr)
    assert command.stderr.rstrip().endswith("interrupted")


def _reached(command, moment: str, ws: Path) -> bytes:
    """Wait until the command reaches ``moment``; what it printed meanwhile."""
    import time
    before = b""
    if moment == "first job printed":
        while not before.splitlines()[-1:] or not before.splitlines()[-1].startswith(b"built "):
            line = command.stdout.readline()
            assert line, before             # (the Latin leaflet is reported as skipped first)
            before += line
        return before
    maps = Path(f"/proc/{command.pid}/maps")
    for _ in range(1200):
        if moment == "kit started" and any((ws / ".memorial-kit" / "tmp").glob("*-*")):
            return before                   # its own temporary folder: main() runs
        if moment == "WeasyPrint loading" and "libpango" in maps.read_text():
            return before
        assert command.poll() is None, command.stdout.read()
        time.sleep(0.01)
    raise AssertionError(f"the build never reached {moment!r}")


@pytest.mark.parametrize("moment", ["kit started", "WeasyPrint loading", "first job printed"])
def test_ctrl_c_stops_a_parallel_build_cleanly(tmp_path, moment):
    """Ctrl-C reaches every process of the terminal's group.  At any moment of a parallel
    build once the kit runs (loading the build and WeasyPrint, rendering, printing), the
    command stops with exit code 130 and one line, no traceback, and leaves no process
    behind.  (Before that, Python is still starting up, which no program can handle.)
    The third moment comes with nine jobs still to print: the build is always
    interrupted, never done before the signal."""
    import os
    import signal
    import sys
    import time
    ws = copy_workspace(tmp_path / "ws")
    command = subprocess.Popen(
        [sys.executable, "-X", "faulthandler", "-m", "memorial_kit", "--root", str(ws),
         "build", "--force"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True, env=as_in_a_pipe(),
        preexec_fn=as_from_a_terminal)
    before = _reached(command, moment, ws)
    os.killpg(command.pid, signal.SIGINT)
    try:
        output, _ = command.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        processes = subprocess.run(["ps", "-o", "pid,ppid,stat,wchan:24,args", "-g",
                                    str(command.pid)], capture_output=True, text=True).stdout
        command.send_signal(signal.SIGABRT)         # faulthandler: where each thread waits
        time.sleep(1)
        os.killpg(command.pid, signal.SIGKILL)
        output, _ = command.communicate()
        raise AssertionError(f"the build hung after Ctrl-C:\n{processes}\n"
                             f"{output.decode()[-4000:]}") from None
    text = (before + output).decode()
    assert command.returncode == 130, (command.returncode, text)
    assert "Traceback" not in text
    assert text.rstrip().endswith("interrupted")
    assert not re.search(r"\d+ built, ", text)     # no summary: the build did not finish
    for _ in range(50):                 # no process of the group is left (the system
        try:                            # reaps what the interrupt killed, gcc's included)
            os.killpg(command.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        raise AssertionError("processes of the build are still running")


LONE_JOB = """
import json, os, sys
from pathlib import Path
from memorial_kit import build
from memorial_kit.workspace import Workspace
assert "weasyprint" not in sys.modules
real = build.prepare_job

def noted(root, job, *args, **kwargs):
    Path(sys.argv[2]).write_text(str(os.getpid()))
    return real(root, job, *args, **kwargs)
build.prepare_job = noted
report = build.run_build(Workspace(Path(sys.argv[1])), build.BuildRequest(
    locales=["lt"], products=["plaque"], formats=("pdf",), out=sys.argv[3], force=True))
print(json.dumps([os.getpid(), [(r.job, r.status) for r in report.results]]))
"""


def test_a_lone_job_is_rendered_in_another_process_while_weasyprint_loads(tmp_path):
    import json
    from conftest import run_python
    ws = copy_workspace(tmp_path / "ws")
    noted = tmp_path / "rendered-by"
    out = run_python(LONE_JOB, str(ws), str(noted), str(tmp_path / "parallel"))
    main_pid, results = json.loads(out.stdout.strip().splitlines()[-1])
    assert results == [["vorkuta-uprising/plaque/lt", "built"]]
    assert int(noted.read_text()) != main_pid
    serial = run_kit(ws, "build", "--serial", "--locale", "lt", "--product", "plaque",
                     "--format", "pdf", "--force", "--out", str(tmp_path / "serial"))
    assert serial.returncode == 0, serial.stdout + serial.stderr
    made = [(tmp_path / name / "vorkuta-uprising" / "lt" / "plaque.pdf").read_bytes()
            for name in ("parallel", "serial")]
    assert made[0] == made[1]


def test_a_lone_job_stays_in_a_process_that_has_weasyprint_loaded(tmp_path, monkeypatch):
    import os
    import sys
    from memorial_kit import build
    from memorial_kit.workspace import Workspace
    import memorial_kit.printing  # noqa: F401  (WeasyPrint loaded, as in a long-lived program)
    assert "weasyprint" in sys.modules
    ws = copy_workspace(tmp_path / "ws")
    real, pids = build.prepare_job, []

    def noted(root, job, *args, **kwargs):
        pids.append(os.getpid())
        return real(root, job, *args, **kwargs)
    monkeypatch.setattr(build, "prepare_job", noted)
    report = build.run_build(Workspace(ws), build.BuildRequest(
        locales=["lt"], products=["plaque"], formats=("pdf",), out=str(tmp_path / "out"),
        force=True))
    assert [r.status for r in report.results] == ["built"] and pids == [os.getpid()]
