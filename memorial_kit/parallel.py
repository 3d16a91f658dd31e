"""A build's jobs on every core: the processes, and stopping them.

One process renders every job's HTML while the main one imports WeasyPrint; then the jobs
are printed in worker processes, one per core, each worker keeping to a lane of languages
(``_Lanes``); which process does what never changes a byte.  Work goes to the workers in
files (``_Handover``), and Ctrl-C is acted on at safe points only (``_Interrupted``), so
that a stopped build ends at once and never hangs.  What a job is, and how it is rendered
and printed, this module is told (:class:`Stages`): it knows processes, not products.
"""
from __future__ import annotations

import bisect
import concurrent.futures as futures
import contextlib
import gc
import importlib
import multiprocessing
import os
import pickle
import queue
import signal
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .site import write_index

if TYPE_CHECKING:
    from .build import BuildRequest
    from .jobs import Job, Prepared, RenderSession

EXPECTED_COST = {"leaflet": 3, "labels": 3, "plaque": 1}


@dataclass(frozen=True)
class Stages:
    """What a job's processes do, as jobs.py does it (``prepare_job``, ``print_job``)."""
    prepare: Callable       # (root, job, request, out, digest, session=) -> Prepared
    print: Callable         # (root, prepared, request, out) -> (JobResult, thumbnails)
    failed: Callable        # (job, reason) -> the JobResult of a job that never printed


def run_parallel(args, request: BuildRequest, workers: int, session: RenderSession,
                 stages: Stages, report, finish) -> None:
    """Every job's HTML is rendered in one process while this one loads WeasyPrint
    (which takes longer); then each job is printed on every core, and the rendering
    process writes the index.  Rendering once in one process also works out each
    product's language switcher once."""
    context = multiprocessing.get_context("fork")
    renderer = _Renderer(context, args, session, stages.prepare)
    with _interrupts_at_safe_points() as interrupted:
        _run_processes(renderer, args, request, workers, stages, report, finish, context,
                       interrupted)


def _run_processes(renderer: _Renderer, args, request, workers, stages: Stages, report, finish,
                   context, interrupted) -> None:
    renderer.start()
    try:
        importlib.import_module(f"{__package__}.printing")   # inherited by the printers
        with tempfile.TemporaryDirectory(prefix="memorial-kit-") as folder, \
                futures.ProcessPoolExecutor(workers, mp_context=context,
                                            initializer=_worker_setup) as pool:
            try:
                _print_all(_Handover(pool, Path(folder)), renderer, args, stages, report,
                           finish, interrupted, workers)
            except BaseException:
                _stop(pool)
                raise
    except BaseException:
        renderer.process.terminate()    # stopped (an error, Ctrl-C): nothing more to render
        raise
    finally:
        renderer.close()


class _Renderer:
    """The rendering process of a parallel build, seen from the main process: the jobs it
    sends as it renders them, then the index page, which it writes when asked (its Jinja
    environment is loaded, and its core free, while the last jobs print)."""

    def __init__(self, context, args, session: RenderSession, prepare: Callable):
        # A queue, not a bare pipe: its own thread sends, so the renderer goes on rendering
        # while this process, busy loading WeasyPrint, does not read yet.
        self.rendered = context.Queue()
        self.requests, theirs = context.Pipe()
        self.process = context.Process(target=_prepare_all,
                                       args=(args, session, prepare, self.rendered,
                                             theirs, self.requests),
                                       daemon=True)
        self._theirs = theirs

    def start(self) -> None:
        self.process.start()
        self._theirs.close()            # the renderer's end: it alone holds it now

    def received(self, interrupted, wait: bool) -> list[Prepared] | None:
        """The jobs sent since the last call (at least one if ``wait``); None once the
        rendering process has died and nothing more can come."""
        found = []
        if wait:
            first = self.receive(interrupted)
            if first is None:
                return None
            found.append(first)
        while True:
            try:
                found.append(self.rendered.get_nowait())
            except queue.Empty:
                return found

    def receive(self, interrupted) -> Prepared | None:
        """The next job, or None once the rendering process has died."""
        while True:
            interrupted.check()
            alive = self.process.is_alive()
            try:
                return self.rendered.get(timeout=0.2 if alive else 0.01)
            except queue.Empty:
                if not alive:
                    return None

    def ask_for_index(self, interrupted):
        """Asks the renderer to write the index page; returns a function that waits for it
        and says whether it did (if not, this process writes it, and reports what goes
        wrong)."""
        try:
            self.requests.send("index")
        except OSError:                 # it has died
            return lambda: False

        def written() -> bool:
            try:
                while not self.requests.poll(0.2):
                    interrupted.check()
                    if not self.process.is_alive() and not self.requests.poll(0):
                        return False
                return self.requests.recv() == "written"
            except (OSError, EOFError):     # it died meanwhile
                return False
        return written

    def close(self) -> None:
        self.requests.close()           # a renderer still waiting for a request ends
        self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.rendered.close()


def _prepare_all(args, session: RenderSession, prepare: Callable, rendered, requests,
                 main_end) -> None:
    """In the rendering process: each job's HTML, sent as soon as it is made; then the
    index page if the main process asks for it."""
    _worker_setup()
    main_end.close()                    # so that the main process closing it ends the wait
    for arg in args:
        rendered.put(prepare(*arg, session=session))
    rendered.close()
    rendered.join_thread()
    try:
        requests.recv()
    except EOFError:                    # the build ended without asking
        return
    try:
        write_index(session.ws, Path(args[0][3]),
                    [session.memorial(slug) for slug in session.ws.memorial_slugs()])
    except Exception:                   # the main process writes it and reports the error
        requests.send("failed")
    else:
        requests.send("written")


def _print_all(pool: _Handover, renderer: _Renderer, args, stages: Stages, report,
               finish, interrupted, workers: int) -> None:
    """Each job as the renderer sends it, printed on the pool; then the finishing step.
    A worker is given its next job only once it is free, so that the job can be one of
    its lane (``_Lanes``).  While a worker waits for a job, this process waits for the
    renderer (the job it sends next is that worker's at once), else for a job to end."""
    waiting = {job.name: (root, job, own, out) for root, job, own, out, _ in args}
    lanes = _Lanes([job for _, job, _, _, _ in args], workers)
    running: dict[futures.Future, int] = {}     # a job printing -> the lane it was given for
    free = list(range(workers))                 # lanes whose worker waits for a job
    while waiting or running or lanes.ready():
        if waiting:
            sent = renderer.received(interrupted, wait=bool(free) and not lanes.ready())
            if sent is None:            # the renderer died: what it did not send fails
                for _, job, _, _ in waiting.values():
                    report(stages.failed(job, "internal error: the rendering process died"))
                waiting.clear()
            for prepared in sent or ():
                root, _, own, out = waiting.pop(prepared.job.name)
                if prepared.result is not None:
                    report(prepared.result)
                else:
                    lanes.add(prepared, (root, prepared, own, out))
        while free and lanes.ready():
            lane = free.pop(0)
            running[pool.submit(_print_job_on_worker, stages.print, *lanes.take(lane))] = lane
        if running:
            idle = bool(free and waiting)       # a worker waits for the renderer: look only
            done, _ = futures.wait(running, timeout=0 if idle else 0.2,
                                   return_when=futures.FIRST_COMPLETED)
            interrupted.check()
            for finished in done:
                lane = running.pop(finished)
                worker, result = finished.result()
                free.append(lanes.of_worker(worker, lane))
                report(result)
    finish(pool.submit, lambda: renderer.ask_for_index(interrupted))
    interrupted.check()


def _print_job_on_worker(print_job: Callable, root: str, prepared: Prepared,
                         request: BuildRequest, out: str):
    return os.getpid(), print_job(root, prepared, request, out)


class _Lanes:
    """Which job a free worker prints next.  A process's first job in a language, or of a
    product, costs it more than the next one: WeasyPrint loads the language's hyphenation
    patterns (English: 0.05 s), warms its fonts' shaping for the script, sets up the
    product's layout.  So each worker keeps to a lane, the jobs of some languages, the
    longest first.  A job belongs to the lane of its locale that the most jobs share (for
    a label set, the secondary language all the sets have); languages go to lanes so
    that their expected work is even; a worker whose lane has nothing ready takes the
    longest job ready in another.  Which worker prints a job never changes its bytes."""

    def __init__(self, jobs: list[Job], lanes: int):
        uses: dict[str, int] = {}
        for job in jobs:
            for code in job.locales:
                uses[code] = uses.get(code, 0) + 1
        home = {job.name: max(job.locales, key=lambda code: uses[code]) for job in jobs}
        work: dict[str, int] = {}
        for job in jobs:
            work[home[job.name]] = work.get(home[job.name], 0) + EXPECTED_COST[job.product]
        load, lane_of_code = [0] * lanes, {}
        for code in sorted(work, key=lambda code: -work[code]):
            lane = load.index(min(load))
            lane_of_code[code], load[lane] = lane, load[lane] + work[code]
        self.lane = {name: lane_of_code[code] for name, code in home.items()}
        self.rank = {job.name: n for n, job in enumerate(jobs)}    # the longest first
        self.queues: list[list] = [[] for _ in range(lanes)]
        self.workers: dict[int, int] = {}

    def add(self, prepared: Prepared, item) -> None:
        """``item``, ready to print ``prepared``'s job, queued in the job's lane."""
        bisect.insort(self.queues[self.lane[prepared.job.name]],
                      (self.rank[prepared.job.name], item), key=lambda entry: entry[0])

    def ready(self) -> bool:
        return any(self.queues)

    def take(self, lane: int):
        """The next item for ``lane``'s worker: its own, else another lane's longest."""
        own = self.queues[lane] or min((q for q in self.queues if q), key=lambda q: q[0][0])
        return own.pop(0)[1]

    def of_worker(self, worker: int, lane: int) -> int:
        """The lane of the worker process ``worker``, which has just printed a job of
        ``lane``: that lane the first time, unless another worker has it already."""
        if worker not in self.workers:
            taken = set(self.workers.values())
            free = [n for n in range(len(self.queues)) if n not in taken]
            self.workers[worker] = lane if lane not in taken or not free else free[0]
        return self.workers[worker]


def _worker_setup() -> None:
    """In a forked worker process.  Ctrl-C reaches every process of the terminal's group,
    but the main process alone handles it, by stopping all the workers at once (one worker
    that died of it could leave a lock of the pool taken, and the others hung on it).  A
    worker it stops takes its own workers (a large label set's) with it.

    The objects inherited from the parent (WeasyPrint's modules, mostly) are set aside
    from the garbage collector: its passes would write to each of them, and so make the
    worker copy every page of memory it shares with the parent (the gc.freeze recipe)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_with_own_workers)
    gc.freeze()


def _stop_with_own_workers(signum, frame) -> None:
    for child in multiprocessing.active_children():
        child.terminate()
    os._exit(128 + signum)


def _stop(pool: futures.ProcessPoolExecutor) -> None:
    """On Ctrl-C or an error: no new job starts, and every worker stops now."""
    pool.shutdown(wait=False, cancel_futures=True)
    for child in multiprocessing.active_children():
        child.terminate()


class _Handover:
    """Work for the pool, its arguments passed in a file.  A page's HTML is tens of
    kilobytes and a contact sheet's thumbnails megabytes: in the pool's own pipe, work
    not yet taken fills it, and a pool whose workers are stopped then waits forever to
    finish writing it (CPython's ProcessPoolExecutor, gh-94777)."""

    def __init__(self, pool: futures.ProcessPoolExecutor, folder: Path):
        self.pool, self.folder, self.count = pool, folder, 0

    def submit(self, fn, *args) -> futures.Future:
        self.count += 1
        path = self.folder / f"{self.count}.pickle"
        path.write_bytes(pickle.dumps((fn, args), protocol=pickle.HIGHEST_PROTOCOL))
        return self.pool.submit(_call_from_file, str(path))


def _call_from_file(path: str):
    fn, args = pickle.loads(Path(path).read_bytes())
    os.unlink(path)
    return fn(*args)


def _wait_all(work: list[futures.Future], interrupted, each=None) -> None:
    """Wait for every future (``each`` of them as it ends), Ctrl-C acted on meanwhile."""
    pending = set(work)
    while pending:
        done, pending = futures.wait(pending, timeout=0.2, return_when=futures.FIRST_COMPLETED)
        interrupted.check()
        for finished in done if each else ():
            each(finished)


class _Interrupted:
    """Ctrl-C, noted by a signal handler and raised at a point the code chooses: raised
    anywhere, KeyboardInterrupt can break a lock inside concurrent.futures and leave the
    process hung."""

    def __init__(self):
        self.flag = False

    def note(self, signum, frame) -> None:
        self.flag = True

    def check(self) -> None:
        if self.flag:
            raise KeyboardInterrupt


@contextlib.contextmanager
def _interrupts_at_safe_points():
    interrupted = _Interrupted()
    if threading.current_thread() is not threading.main_thread() \
            or signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        yield interrupted           # only the main thread receives signals; a worker none
        return
    previous = signal.signal(signal.SIGINT, interrupted.note)
    try:
        yield interrupted
    finally:
        signal.signal(signal.SIGINT, previous)
    interrupted.check()             # noted after the last check: still an interruption


def on_workers(fn, calls: list[tuple], workers: int) -> list:
    """``fn(*call)`` for each call, on ``workers`` processes; their results in order.
    Ctrl-C or an error stops every one of them at once."""
    with _interrupts_at_safe_points() as interrupted, \
            tempfile.TemporaryDirectory(prefix="memorial-kit-") as folder, \
            futures.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                        initializer=_worker_setup) as pool:
        try:
            handover = _Handover(pool, Path(folder))
            work = [handover.submit(fn, *call) for call in calls]
            _wait_all(work, interrupted)
            return [done.result() for done in work]
        except BaseException:
            _stop(pool)
            raise
