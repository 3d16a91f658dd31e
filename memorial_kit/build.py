"""Which products x locales to build, in parallel, and only what changed.

A job is one product of one memorial in one language (or one language pair,
for labels).  Each job's inputs (catalogs, templates, fonts, manifest, seed,
kit version, options) are hashed; a job whose hash and outputs are unchanged
is not rebuilt.  A job is rendered (Jinja2: its HTML, or why it is skipped) and
then printed (WeasyPrint: PDF, PNG).  In a parallel build one process renders
every job while this one imports WeasyPrint, then the jobs are printed in worker
processes, one per core, each worker keeping to a lane of languages (``_Lanes``);
the output is byte-identical to a serial build.  Every output is written atomically.
"""
from __future__ import annotations

import bisect
import concurrent.futures as futures
import contextlib
import functools
import gc
import importlib
import multiprocessing
import os
import pickle
import queue
import signal
import tempfile
import threading
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from . import catalogs, press, processes, records
from .errors import MemorialKitError, RenderError, UsageError
from .fsutil import file_lock, sweep_temporaries, write_if_changed
from .paths import (check_out_folder, check_output_files, check_output_path, refuse_outside_links)
from .locales import PSEUDO_LOCALES, PSEUDO_RTL_LOCALE, check_locale
from .memorial import Memorial
from .pdfstandards import PdfStandard
from .site import PRODUCTS, asset_paths, contact_sheet_in, copy_assets, write_index
from .workspace import TEMPLATE_DOMAIN, Workspace

# The products that reproduce the article's text, so cannot be printed without its credit
# line (the plaque, which quotes only its carved texts, leaves the line out instead).
CREDITED_PRODUCTS = ("leaflet", "labels")
# the press and archive editions of those products (press.py)
ALL_PRODUCTS = PRODUCTS + press.EDITIONS
_EXPECTED_COST = {"leaflet": 3, "labels": 3, "plaque": 1}


@dataclass
class BuildRequest:
    memorial: str | None = None
    locales: list[str] | None = None
    products: list[str] | None = None
    formats: tuple[str, ...] = ("html", "pdf", "png")
    out: str | None = None
    allow_fallback: bool = False
    parallel: bool = True
    force: bool = False


@dataclass
class Job:
    memorial: str
    product: str
    locales: tuple[str, ...]        # (locale,) or (primary, secondary) for labels
    monument: str | None = None
    edition: str = ""               # "", or the product's "press" or "archive" edition

    @property
    def name(self) -> str:
        """Unique per job: the plaques of several monuments are named by monument id, an
        edition by its product's name and its own ("plaque-yurshor.press")."""
        product = f"{self.product_name}.{self.edition}" if self.edition else self.product_name
        return f"{self.memorial}/{product}/{'-'.join(self.locales)}"

    @property
    def product_name(self) -> str:
        return self.product if self.monument is None else f"plaque-{self.monument}"

    def stem(self, out: Path) -> Path:
        if self.product == "labels":
            stem = out / self.memorial / "labels" / "-".join(self.locales)
        else:
            stem = out / self.memorial / self.locales[0] / self.product_name
        return check_output_path(out, stem, f"the {self.name} product")

    def formats(self, asked: tuple[str, ...]) -> tuple[str, ...]:
        """The formats this job writes: an edition is a PDF only."""
        return tuple(f for f in asked if f == "pdf" or not self.edition)

    def output(self, out: Path, fmt: str) -> Path:
        if self.edition:
            return check_output_path(out, press.output_path(
                out, self.memorial, self.product, self.locales, self.monument, self.edition),
                f"the {self.name} product")
        return self.stem(out).with_suffix(f".{fmt}")


@dataclass
class JobResult:
    job: str
    status: str                     # built, unchanged, skipped, failed
    outputs: list[str] = field(default_factory=list)
    reason: str = ""
    fallbacks: list[str] = field(default_factory=list)
    pages: int = 0
    findings: list[str] = field(default_factory=list)   # the errors that held it back

    @property
    def refused(self) -> bool:
        """Skipped because a message it prints has a finding of error severity."""
        return self.status == "skipped" and bool(self.findings)

    def lines(self) -> list[str]:
        if self.status in ("built", "unchanged"):
            return [f"{self.status:<9} {self.job}: {', '.join(self.outputs)}"] + [
                f"          fallback to English: {f}" for f in self.fallbacks]
        return [f"{self.status:<9} {self.job}: {self.reason}"] + list(self.findings)


@dataclass
class BuildReport:
    results: list[JobResult]
    index: str | None = None

    @property
    def failed(self) -> bool:
        """A product failed, or was refused for the errors of a message it prints."""
        return any(r.status == "failed" or r.refused for r in self.results)

    def as_dict(self) -> dict:
        return {"results": [asdict(r) for r in self.results], "index": self.index,
                "failed": self.failed}

    def summary_lines(self, details: bool = True) -> list[str]:
        lines = [line for r in self.results for line in r.lines()] if details else []
        counts = {s: sum(1 for r in self.results if r.status == s)
                  for s in ("built", "unchanged", "skipped", "failed")}
        lines.append(", ".join(f"{n} {s}" for s, n in counts.items()))
        return lines


def plan(ws: Workspace, request: BuildRequest) -> list[Job]:
    products = request.products or list(ALL_PRODUCTS)
    for product in products:
        if product not in ALL_PRODUCTS:
            raise UsageError(f"unknown product {product!r}",
                             hint="use leaflet, plaque, labels, press or archive")
    for code in request.locales or []:
        check_locale(code)
    jobs: list[Job] = []
    listed: set[str] = set()
    for memorial in ws.memorials(request.memorial):
        # The pseudo-locales are built only when asked for, and only once 'pseudo' wrote it.
        pseudo = [c for c in (request.locales or []) if c in PSEUDO_LOCALES
                  and ws.po_path(c, memorial.domain).exists()]
        available = list(memorial.locales) + pseudo
        wanted = [c for c in available if not request.locales or c in request.locales]
        if request.locales:
            unknown = [c for c in request.locales if c not in available]
            if unknown and request.memorial:
                raise UsageError(f"{memorial.slug} has no locale {', '.join(unknown)}",
                                 hint=f"its locales: {', '.join(memorial.locales)}")
        own = _memorial_jobs(memorial, products, wanted, request.locales)
        editions = (_edition_jobs(memorial, products, wanted, request.locales)
                    if "pdf" in request.formats else [])
        jobs += _beside_their_products(memorial, own, editions)
        if "labels" in products:
            jobs += [Job(memorial.slug, "labels", (code, memorial.source_locale)) for code in pseudo]
        listed.update(available)
    _refuse_unlisted(request.locales or [], listed)
    return jobs


def _refuse_unlisted(asked: list[str], listed: set[str]) -> None:
    """A locale no manifest lists builds nothing: say so, and how to add it."""
    unlisted = [code for code in asked if code not in listed]
    if not unlisted:
        return
    if len(unlisted) == 1 and unlisted[0] in PSEUDO_LOCALES:
        rtl = " --rtl" if unlisted[0] == PSEUDO_RTL_LOCALE else ""
        raise UsageError(f"there is no pseudo-translation {unlisted[0]!r} yet",
                         hint=f"run 'memorial-kit pseudo{rtl}' first")
    raise UsageError(f"no memorial lists the locale {', '.join(unlisted)}: nothing to build",
                     hint=f"add it to 'locales' in seeds/<memorial>/memorial.toml, then run "
                          f"'memorial-kit extract' and 'memorial-kit init {unlisted[0]}'")


def _memorial_jobs(memorial: Memorial, products, wanted, asked) -> list[Job]:
    jobs = []
    for code in wanted:
        if "leaflet" in products:
            jobs.append(Job(memorial.slug, "leaflet", (code,)))
        if "plaque" in products:
            for monument in memorial.monuments:
                single = len(memorial.monuments) == 1
                jobs.append(Job(memorial.slug, "plaque", (code,), None if single else monument.id))
    if "labels" in products:
        for pair in memorial.label_pairs:
            if not asked or any(c in asked for c in pair):
                jobs.append(Job(memorial.slug, "labels", pair))
    return jobs


def _edition_jobs(memorial: Memorial, products, wanted, asked) -> list[Job]:
    """The press and archive editions asked for, of the products they are made from."""
    editions = [e for e in press.EDITIONS if e in products and press.wanted(memorial, e)]
    bases = [p for p, e in press.EDITION_OF.items() if e in editions]
    jobs = []
    for job in _memorial_jobs(memorial, bases, wanted, asked):
        if job.product == "plaque" and job.monument is None:    # named by its monument
            job.monument = memorial.monuments[0].id
        job.edition = press.EDITION_OF[job.product]
        jobs.append(job)
    return jobs


def _beside_their_products(memorial: Memorial, own: list[Job], editions: list[Job]) -> list[Job]:
    """Each edition right after its product's job, when that is built too: a worker prints
    them one after the other, and the leaflet's archive copy reuses its layout."""
    jobs = list(own)
    first = memorial.monuments[0].id if memorial.monuments else None
    for edition in editions:
        at = next((n for n, job in enumerate(jobs) if not job.edition
                   and (job.product, job.locales, job.monument or first)
                   == (edition.product, edition.locales, edition.monument or first)), None)
        jobs.insert(len(jobs) if at is None else at + 1, edition)
    return jobs


# --------------------------------------------------------------------------
# Running jobs
# --------------------------------------------------------------------------
def run_build(ws: Workspace, request: BuildRequest, progress=None) -> BuildReport:
    out = check_out_folder(ws.root, Path(request.out).resolve() if request.out else ws.dist)
    refuse_outside_links(ws.root)           # again: a long-running caller (serve) made ws earlier
    jobs = plan(ws, request)
    check_output_files(out, [out / "index.html"] + asset_paths(ws, out) +
                       [out / slug / "contact-sheet.png" for slug in {j.memorial for j in jobs}] +
                       [job.output(out, fmt)
                        for job in jobs for fmt in job.formats(request.formats)])
    processes.install()                     # workers end with this process
    with processes.private_temp(ws.state), \
            file_lock(ws.state / "locks" / "build", wait=True, what="the build outputs"):
        sweep_temporaries(out)              # those of a build killed while writing
        copy_assets(ws, out)
        session = _RenderSession(ws, out)   # the memorials triage loads are rendered
        done, todo = _triage(ws, jobs, request, out, session)
        with processes.worker_deaths_reported():
            results = _run_jobs(ws, todo, request, out, progress, done, session,
                                finish=functools.partial(_finish, ws, request, out, session))
    order = {job.name: n for n, job in enumerate(jobs)}
    return BuildReport(sorted(results, key=lambda r: order[r.job]),
                       ws.relative(out / "index.html"))


def _finish(ws: Workspace, request: BuildRequest, out: Path, session: "_RenderSession",
            results: list[JobResult], run, thumbnails: dict, index_elsewhere=None) -> None:
    """The index page and the contact sheets, once the jobs are done.  ``run(fn, *args)``
    returns a future: in a parallel build, the contact sheets after the first are made on
    the workers; ``thumbnails`` are those of the PNGs made just now.  ``index_elsewhere()``,
    if given, has another process start writing the index, and returns a function that
    waits for it and says whether it was written."""
    index = out / "index.html"
    index_due = any(r.status == "built" for r in results) or not index.exists()
    # asked for first: the index is written while this process makes a contact sheet
    index_written = index_elsewhere() if index_due and index_elsewhere else None
    sheets, memorials = [], []
    if "png" in request.formats or index_due:
        memorials = [session.memorial(slug) for slug in ws.memorial_slugs()]
    if "png" in request.formats:
        built = {r.job.split("/")[0] for r in results if r.status == "built"}
        for memorial in memorials:
            if request.memorial and memorial.slug != request.memorial:
                continue
            sheet = out / memorial.slug / "contact-sheet.png"
            if memorial.slug in built or not sheet.exists():
                folder = str(out / memorial.slug) + os.sep
                mine = {path: image for path, image in thumbnails.items()
                        if path.startswith(folder)}
                sheets.append((out / memorial.slug, memorial.title, memorial.locales, mine))
    elsewhere = [run(contact_sheet_in, *sheet) for sheet in sheets[1:]]
    if sheets:                          # here: its thumbnails need not be handed over
        contact_sheet_in(*sheets[0])
    if index_due and not (index_written and index_written()):
        write_index(ws, out, memorials)
    for sheet in elsewhere:
        sheet.result()


def _run_now(fn, *args) -> futures.Future:
    future: futures.Future = futures.Future()
    future.set_result(fn(*args))
    return future


def _triage(ws: Workspace, jobs: list[Job], request: BuildRequest, out: Path,
            session: "_RenderSession"):
    """Jobs whose inputs are unchanged (answered from their records, in this process,
    without starting workers or importing WeasyPrint) and the jobs to run, with digests
    and formats: a job whose inputs are unchanged but whose page's language switcher
    would change (a language's product became printable, or stopped being so) gets its
    page made again, and nothing else."""
    done, todo = [], []
    for job in jobs:
        memorial = session.memorial(job.memorial)
        digest = session.digest(memorial, job, request.allow_fallback)
        record = None if request.force else _intact_record(ws, job, request.formats, out, digest)
        if record is None:
            todo.append((job, digest, request.formats))
        elif record.get("status") == "skipped":
            done.append(JobResult(job.name, "skipped", reason=record.get("reason", ""),
                                  findings=record.get("findings", [])))
        elif "html" in job.formats(request.formats) and record.get("switcher") != _switcher(
                session, memorial, job, request.allow_fallback):
            todo.append((job, digest, ("html",)))
        else:
            wanted = [job.output(out, fmt) for fmt in job.formats(request.formats)]
            done.append(JobResult(job.name, "unchanged", [ws.relative(p) for p in wanted],
                                  fallbacks=record.get("fallbacks", [])))
    _check_catalogs(session, [job for job, _, _ in todo])
    return done, todo


def _check_catalogs(session: "_RenderSession", jobs: list[Job]) -> None:
    """Every catalog the jobs to run read is loaded now, so that one that does not load
    (a syntax error, a half-saved file) stops the build before anything is written: its
    file, line and problem, exit code 2.  (An unchanged job's catalogs loaded when it
    was built.)  Each is parsed once per process, and the pages use that parse."""
    ws, seen = session.ws, set()
    for job in jobs:
        memorial = session.memorial(job.memorial)
        for code in job_languages(ws, memorial, job):
            for domain in (memorial.domain, TEMPLATE_DOMAIN):
                path = ws.po_path(code, domain)
                if (code, domain) not in seen and code != memorial.source_locale \
                        and path.exists():
                    seen.add((code, domain))
                    catalogs.load_translations(ws, code, domain, memorial.source_locale)


def _run_jobs(ws, todo, request, out, progress, done: list[JobResult],
              session: "_RenderSession", finish) -> list[JobResult]:
    """Each job to do, serially or on every core; then ``finish(results, run, thumbnails,
    index_elsewhere)`` (the index and contact sheets) while the workers are still there
    to help."""
    total = len(done) + len(todo)
    results: list[JobResult] = []
    thumbnails: dict = {}

    def report(result: "JobResult | tuple[JobResult, dict]") -> None:
        if isinstance(result, tuple):
            result, thumbs = result
            thumbnails.update(thumbs)
        results.append(_report(result, progress, len(results) + 1, total))

    for result in done:
        report(result)
    # The longest jobs first, so that the workers finish together (a plaque is a page,
    # a leaflet several, a label sheet the most boxes).
    todo = sorted(todo, key=lambda item: _EXPECTED_COST[item[0].product], reverse=True)
    args = [(str(ws.root), job, _with_formats(request, formats), str(out), digest)
            for job, digest, formats in todo]
    workers = min(len(args), os.cpu_count() or 1)
    if not request.parallel or workers <= 1:
        for arg in args:
            prepared = _prepare_job(*arg, session=session)
            report(prepared.result or _print_job(arg[0], prepared, arg[2], arg[3]))
        finish(results, _run_now, thumbnails)
    else:
        _run_parallel(args, request, workers, session, report,
                      lambda run, index: finish(results, run, thumbnails, index))
    return results


def _run_parallel(args, request: BuildRequest, workers: int, session: "_RenderSession",
                  report, finish) -> None:
    """Every job's HTML is rendered in one process while this one loads WeasyPrint
    (which takes longer); then each job is printed on every core, and the rendering
    process writes the index.  Rendering once in one process also works out each
    product's language switcher once."""
    context = multiprocessing.get_context("fork")
    renderer = _Renderer(context, args, session)
    with _interrupts_at_safe_points() as interrupted:
        _run_processes(renderer, args, request, workers, report, finish, context, interrupted)


def _run_processes(renderer: "_Renderer", args, request, workers, report, finish, context,
                   interrupted) -> None:
    renderer.start()
    try:
        importlib.import_module(f"{__package__}.printing")   # inherited by the printers
        with tempfile.TemporaryDirectory(prefix="memorial-kit-") as folder, \
                futures.ProcessPoolExecutor(workers, mp_context=context,
                                            initializer=_worker_setup) as pool:
            try:
                _print_all(_Handover(pool, Path(folder)), renderer, args, request, report,
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

    def __init__(self, context, args, session: "_RenderSession"):
        # A queue, not a bare pipe: its own thread sends, so the renderer goes on rendering
        # while this process, busy loading WeasyPrint, does not read yet.
        self.rendered = context.Queue()
        self.requests, theirs = context.Pipe()
        self.process = context.Process(target=_prepare_all,
                                       args=(args, session, self.rendered, theirs,
                                             self.requests),
                                       daemon=True)
        self._theirs = theirs

    def start(self) -> None:
        self.process.start()
        self._theirs.close()            # the renderer's end: it alone holds it now

    def received(self, interrupted, wait: bool) -> "list[_Prepared] | None":
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

    def receive(self, interrupted) -> "_Prepared | None":
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


def _print_all(pool: _Handover, renderer: _Renderer, args, request: BuildRequest, report,
               finish, interrupted, workers: int) -> None:
    """Each job as the renderer sends it, printed on the pool; then the finishing step.
    A worker is given its next job only once it is free, so that the job can be one of
    its lane (``_Lanes``)."""
    waiting = {job.name: (root, job, own, out) for root, job, own, out, _ in args}
    lanes = _Lanes([job for _, job, _, _, _ in args], workers)
    running: dict[futures.Future, int] = {}     # a job printing -> the lane it was given for
    free = list(range(workers))                 # lanes whose worker waits for a job
    while waiting or running or lanes.ready():
        if waiting:
            sent = renderer.received(interrupted, wait=not running and not lanes.ready())
            if sent is None:            # the renderer died: what it did not send fails
                for _, job, _, _ in waiting.values():
                    report(JobResult(job.name, "failed",
                                     reason="internal error: the rendering process died"))
                waiting.clear()
            for prepared in sent or ():
                root, _, own, out = waiting.pop(prepared.job.name)
                if prepared.result is not None:
                    report(prepared.result)
                else:
                    lanes.add(prepared, (root, prepared, own, out))
        while free and lanes.ready():
            lane = free.pop(0)
            running[pool.submit(_print_job_on_worker, *lanes.take(lane))] = lane
        if running:
            done, _ = futures.wait(running, timeout=0.2, return_when=futures.FIRST_COMPLETED)
            interrupted.check()
            for finished in done:
                lane = running.pop(finished)
                worker, result = finished.result()
                free.append(lanes.of_worker(worker, lane))
                report(result)
    finish(pool.submit, lambda: renderer.ask_for_index(interrupted))
    interrupted.check()


def _print_job_on_worker(root: str, prepared: "_Prepared", request: BuildRequest, out: str):
    return os.getpid(), _print_job(root, prepared, request, out)


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
            work[home[job.name]] = work.get(home[job.name], 0) + _EXPECTED_COST[job.product]
        load, lane_of_code = [0] * lanes, {}
        for code in sorted(work, key=lambda code: -work[code]):
            lane = load.index(min(load))
            lane_of_code[code], load[lane] = lane, load[lane] + work[code]
        self.lane = {name: lane_of_code[code] for name, code in home.items()}
        self.rank = {job.name: n for n, job in enumerate(jobs)}    # the longest first
        self.queues: list[list] = [[] for _ in range(lanes)]
        self.workers: dict[int, int] = {}

    def add(self, prepared: "_Prepared", item) -> None:
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


def _prepare_all(args, session: "_RenderSession", rendered, requests, main_end) -> None:
    """In the rendering process: each job's HTML, sent as soon as it is made; then the
    index page if the main process asks for it."""
    _worker_setup()
    main_end.close()                    # so that the main process closing it ends the wait
    for arg in args:
        rendered.put(_prepare_job(*arg, session=session))
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


def _report(result: JobResult, progress, done: int = 0, total: int = 0) -> JobResult:
    if progress is not None:
        for line in result.lines():
            progress(line, done, total)
    return result


def _guarded(job: Job, work):
    """What ``work()`` returns, or the job's failure with the reason."""
    try:
        return work()
    except MemorialKitError as exc:
        return JobResult(job.name, "failed", reason=str(exc) + (f" (hint: {exc.hint})" if exc.hint else ""))
    except Exception as exc:  # a fault in one job must not hide the others' results
        return JobResult(job.name, "failed", reason=f"internal error: {type(exc).__name__}: {exc}")


def _with_formats(request: BuildRequest, formats: tuple[str, ...]) -> BuildRequest:
    return request if formats == request.formats else replace(request, formats=formats)


def _record_path(ws: Workspace, job: Job, out: Path) -> Path:
    return records.record_path(ws, job.name, out)


def _intact_record(ws, job: Job, formats, out: Path, digest: str) -> dict | None:
    wanted = [job.output(out, fmt) for fmt in job.formats(formats)]
    return records.up_to_date(_record_path(ws, job, out), digest, wanted)


@dataclass
class _Prepared:
    """A job rendered to HTML and ready to print, or its result if it ends there (skipped
    or failed).  It crosses from the rendering process to the printing ones."""
    job: Job
    digest: str
    result: JobResult | None = None
    documents: list[str] = field(default_factory=list)     # the HTML the PDF is made from
    page: bytes | None = None           # the HTML output, with its language switcher
    switcher: list | None = None        # the languages that switcher lists
    missing: list[str] = field(default_factory=list)
    standard: "PdfStandard | None" = None   # the standard the PDF follows (pdfstandards.py)


class _RenderSession:
    """One build's memorials and rendering: each memorial loaded once (by the triage, and
    inherited by a parallel build's rendering process), one Jinja environment in the
    process that renders, and each page rendered once, whether for its own job or to
    find out whether it is built (for the other pages' language switchers)."""

    def __init__(self, ws: Workspace, out: Path | None = None):
        self.ws, self.out = ws, out         # out: where the build records are, if any
        self._renderer = None
        self.digests: dict[tuple, str] = {}     # each job's inputs, hashed once
        self.hashes: dict[Path, bytes] = {}     # each input file's hash, read once
        self.memorials: dict[str, Memorial] = {}
        self.pages: dict[tuple, Rendered | MemorialKitError] = {}
        self.editions: dict[tuple, set] = {}
        self.fonts: set[str] = set()        # families found in templates/fonts.css
        self._verdicts: dict = {}

    def verdicts(self, memorial: Memorial):
        """The verdicts of ``memorial``'s catalogs, each read (or worked out) once."""
        if memorial.slug not in self._verdicts:
            from .verdict import Verdicts
            self._verdicts[memorial.slug] = Verdicts(self.ws, memorial)
        return self._verdicts[memorial.slug]

    def require_font(self, family: str) -> None:
        """RenderError unless the templates ship ``family`` (read once per build)."""
        if family not in self.fonts:
            from . import fonts
            fonts.require_font(self.ws.templates, family)
            self.fonts.add(family)

    @property
    def renderer(self):
        if self._renderer is None:          # Jinja: loaded where pages are rendered
            from . import render
            self._renderer = render.Renderer(self.ws.templates)
        return self._renderer

    def memorial(self, slug: str) -> Memorial:
        if slug not in self.memorials:
            self.memorials[slug] = self.ws.memorial(slug)
        return self.memorials[slug]

    def digest(self, memorial: Memorial, job: Job, allow_fallback: bool) -> str:
        """The hash of everything ``job``'s outputs are made from."""
        key = (job.name, job.monument, allow_fallback)
        if key not in self.digests:
            self.digests[key] = records.inputs_hash(self.ws, memorial, job, _languages(memorial, job),
                                                    allow_fallback, self.hashes)
        return self.digests[key]

    def page(self, memorial: Memorial, job: Job, allow_fallback: bool) -> Rendered:
        """The job's HTML as the PDF is made from it (no language switcher)."""
        key = (job.name, job.monument, allow_fallback)
        if key not in self.pages:
            try:
                self.pages[key] = render_job(self.ws, memorial, job, self.renderer,
                                             allow_fallback, switcher=False,
                                             verdicts=self.verdicts(memorial))
            except MemorialKitError as exc:
                self.pages[key] = exc
        found = self.pages[key]
        if isinstance(found, MemorialKitError):
            raise found
        return found


def _prepare_job(root: str, job: Job, request: BuildRequest, out: str, digest: str,
                 session: _RenderSession | None = None) -> _Prepared:
    """Everything a job needs before WeasyPrint: its HTML, or why it is not built."""
    found = _guarded(job, lambda: _prepare(session or _RenderSession(Workspace(Path(root))),
                                           job, request, Path(out), digest))
    return found if isinstance(found, _Prepared) else _Prepared(job, digest, found)


def _prepare(session: _RenderSession, job: Job, request: BuildRequest, out: Path,
             digest: str) -> _Prepared:
    ws, renderer = session.ws, session.renderer
    memorial = session.memorial(job.memorial)
    session.require_font(memorial.print.font)
    # The PDF is made without the language switcher (print hides it); only the HTML page,
    # when asked for, works out which languages the product is built in.
    refused = credit_refusal(ws, memorial, job)
    if refused:
        records.write_record(_record_path(ws, job, out), digest, [], status="skipped", reason=refused)
        return _Prepared(job, digest, JobResult(job.name, "skipped", reason=refused))
    rendered = session.page(memorial, job, request.allow_fallback)
    if rendered.blocked and not request.allow_fallback:
        count = len(rendered.blocked)
        reason = (f"{count} error{'s' if count > 1 else ''} in the messages it prints: nothing "
                  "'memorial-kit check' rejects is printed; fix them, or build with "
                  "--allow-fallback to print those messages in the source language")
        records.write_record(_record_path(ws, job, out), digest, [], status="skipped", reason=reason,
                findings=rendered.blocked)
        return _Prepared(job, digest, JobResult(job.name, "skipped", reason=reason,
                                                findings=rendered.blocked))
    if rendered.missing and not request.allow_fallback:
        reason = (f"{len(rendered.missing)} messages it prints are not translated (first: "
                  f"{rendered.missing[0]}); translate them or build with --allow-fallback")
        records.write_record(_record_path(ws, job, out), digest, [], status="skipped", reason=reason)
        return _Prepared(job, digest, JobResult(job.name, "skipped", reason=reason))
    unprintable = _glyph_refusal(ws, memorial, job, rendered.html)
    if unprintable:
        reason = ("it prints letters no font of templates/fonts.css has: they would print "
                  "as boxes or in a font the printer picks; declare a font for their script")
        records.write_record(_record_path(ws, job, out), digest, [], status="skipped",
                             reason=reason, findings=unprintable)
        return _Prepared(job, digest, JobResult(job.name, "skipped", reason=reason,
                                                findings=unprintable))
    page = switcher = None
    if "html" in job.formats(request.formats):
        switcher = _switcher(session, memorial, job, request.allow_fallback)
        context = dict(rendered.context,
                       alternates=alternates(ws, memorial, job, request.allow_fallback, session))
        page = renderer.render(f"{job.product}.html.j2", context,
                               asset_prefix="../../assets/").encode("utf-8")
    if job.edition:
        documents = press.documents(renderer, rendered, memorial, job.product, job.edition,
                                    LABEL_CHUNK_SHEETS)
    else:
        documents = _documents(renderer, rendered, job)
    standard = press.standard(ws, memorial, job.product, job.locales, job.edition, digest)
    return _Prepared(job, digest, None, documents, page, switcher, rendered.missing, standard)


def credit_refusal(ws: Workspace, memorial: Memorial, job: Job) -> str:
    """Why a product that prints the credit line cannot be built: a provenance the
    article did not state ('' when there is none)."""
    if job.product not in CREDITED_PRODUCTS:
        return ""
    missing = memorial.provenance.missing_for_credit()
    if not missing:
        return ""
    where = ", ".join(f"{ws.relative(memorial.manifest_path)}:{line} {key}" for key, line in missing)
    return (f"its credit line needs {where}, which the manifest leaves empty; "
            "fill them from the article's source (the kit never invents a licence)")


def _glyph_refusal(ws: Workspace, memorial: Memorial, job: Job, html: str) -> list[str]:
    """The glyph findings (as check prints them) of a page that prints a letter no
    declared font has: the same verdict as check's."""
    from .checks import glyphs
    single = len(memorial.monuments) == 1
    name = glyphs.product_name(job.product, tuple(job.locales), None if single else job.monument)
    return [f.lines()[0] for f in glyphs.build_findings(ws, memorial, tuple(job.locales),
                                                          name, html)]


# A label set of more sheets than this is laid out in chunks of this many sheets, on every
# core when the build is parallel, and joined.  The chunks do not depend on the machine,
# so a serial build (which joins the same chunks) gives the same bytes.
LABEL_CHUNK_SHEETS = 32


def _documents(renderer, rendered: "Rendered", job: Job) -> list[str]:
    """The HTML to print: the page, or for a large label set the page in chunks of sheets
    (memory stays bounded by a chunk)."""
    sheets, size = rendered.context.get("sheets", []), LABEL_CHUNK_SHEETS
    if job.product != "labels" or len(sheets) <= size:
        return [rendered.html]
    return _split_sheets(rendered.html, len(sheets), size) or [
        renderer.render("labels.html.j2", dict(rendered.context, sheets=sheets[i:i + size]))
        for i in range(0, len(sheets), size)]


def _print_job(root: str, prepared: _Prepared, request: BuildRequest,
               out: str) -> tuple[JobResult, dict]:
    """The job's PDF and PNG from its HTML; every output written, and its record.  With
    the result, the PNG's thumbnail for the contact sheet (path -> image)."""
    found = _guarded(prepared.job,
                     lambda: _print(Workspace(Path(root)), prepared, request, Path(out)))
    return found if isinstance(found, tuple) else (found, {})


def _print(ws: Workspace, prepared: _Prepared, request: BuildRequest,
           out: Path) -> tuple[JobResult, dict]:
    from . import printing
    job = prepared.job
    outputs: dict[str, bytes] = {}
    if prepared.page is not None:
        outputs["html"] = prepared.page
    pages, formats = 0, job.formats(request.formats)
    if "pdf" in formats or "png" in formats:
        if len(prepared.documents) > 1:
            printed = _print_in_chunks(ws, prepared, request.parallel)
        else:
            printed = printing.html_to_pdf(prepared.documents[0], ws.templates, job.name,
                                           prepared.standard)
        _check_fit(job, printed)
        pages = printed.pages
        if "pdf" in formats:
            outputs["pdf"] = printed.pdf
        if "png" in formats:
            outputs["png"], thumbnail = printing.preview(printed.pdf)
    written = []
    for fmt in formats:
        path = job.output(out, fmt)
        write_if_changed(path, outputs[fmt])
        written.append(path)
    records.write_record(_record_path(ws, job, out), prepared.digest, written, switcher=prepared.switcher,
            fallbacks=prepared.missing)
    thumbnails = {str(job.output(out, "png")): thumbnail} if "png" in outputs else {}
    return JobResult(job.name, "built", [ws.relative(p) for p in written],
                     fallbacks=prepared.missing, pages=pages), thumbnails


@dataclass
class Rendered:
    """A job's HTML as the PDF is made from it, what it printed in the source language, and
    the error findings of the messages it printed (those it may not print)."""
    html: str
    context: dict
    missing: list[str]
    blocked: list[str] = field(default_factory=list)


def render_job(ws: Workspace, memorial: Memorial, job: Job, renderer, allow_fallback: bool = False,
               switcher: bool = True, verdicts=None) -> Rendered:
    """Render ``job`` to HTML exactly as the build does (``check`` renders through this too).
    ``verdicts``: the :class:`verdict.Verdicts` of the memorial (default: read here)."""
    from . import render
    from .verdict import Verdicts
    verdicts = verdicts or Verdicts(ws, memorial)
    langs = {code: render.make_lang(ws, memorial, code, allow_fallback, verdicts.of(code))
             for code in job_languages(ws, memorial, job)}
    context = _context(memorial, job, langs, ws if switcher else None)
    html = renderer.render(f"{job.product}.html.j2", context)
    missing = fallback_list(langs)
    if missing and allow_fallback:      # the page says it is a fallback edition
        context["fallback_notice"] = {"lang": memorial.source_locale,
                                      "text": fallback_notice(len(missing), memorial.source_locale)}
        html = renderer.render(f"{job.product}.html.j2", context)
    return Rendered(html, context, missing, blocking_findings(langs))


def _print_in_chunks(ws: Workspace, prepared: _Prepared, parallel: bool):
    """A large label set's chunks laid out (on every core when the build is parallel) and
    joined into one PDF: the first chunk's metadata and language kept, pages in order."""
    from . import printing
    htmls = prepared.documents
    args = ([ws.templates] * len(htmls), [prepared.job.name] * len(htmls),
            [prepared.standard] * len(htmls))
    workers = min(len(htmls), os.cpu_count() or 1)
    if not parallel or workers <= 1:
        return printing.join(list(map(printing.html_to_pdf, htmls, *args)))
    with _interrupts_at_safe_points() as interrupted, \
            tempfile.TemporaryDirectory(prefix="memorial-kit-") as folder, \
            futures.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                        initializer=_worker_setup) as pool:
        try:
            handover = _Handover(pool, Path(folder))
            chunks = [handover.submit(printing.html_to_pdf, html, *more)
                      for html, *more in zip(htmls, *args)]
            _wait_all(chunks, interrupted)
            return printing.join([chunk.result() for chunk in chunks])
        except BaseException:
            _stop(pool)
            raise


SHEET_MARK = '<section class="sheet">'


def _split_sheets(html: str, count: int, size: int) -> list[str] | None:
    """The labels page cut into documents of ``size`` sheets each (the same head, the same
    end), or None when the page does not hold exactly ``count`` sheet sections."""
    pieces = html.split(SHEET_MARK)
    if len(pieces) != count + 1:
        return None
    head, sections = pieces[0], [SHEET_MARK + p for p in pieces[1:]]
    tail_at = sections[-1].rfind("</section>") + len("</section>")
    tail = sections[-1][tail_at:]
    sections[-1] = sections[-1][:tail_at]
    return [head + "".join(sections[i:i + size]) + tail for i in range(0, count, size)]


def _languages(memorial: Memorial, job: Job) -> list[str]:
    codes = list(job.locales)
    for monument in memorial.monuments:
        codes += [c for c in monument.carved_languages if c not in codes]
    return codes


def job_languages(ws: Workspace, memorial: Memorial, job: Job) -> list[str]:
    """The job's own languages and the carved ones that have a catalog to lend their text."""
    return [code for code in _languages(memorial, job)
            if code in job.locales or catalogs.has_catalog(ws, code, memorial)]


def _context(memorial: Memorial, job: Job, langs: dict, ws: Workspace | None = None) -> dict:
    from . import render
    carved = {code: langs[code] for m in memorial.monuments for code in m.carved_languages
              if code in langs}
    lang = langs[job.locales[0]]
    common = {}
    if ws is not None:
        common["alternates"] = alternates(ws, memorial, job, lang.allow_fallback)
    if job.product == "leaflet":
        return render.leaflet_context(memorial, lang, carved, **common)
    if job.product == "plaque":
        monument = memorial.monuments[0] if job.monument is None else memorial.monument(job.monument)
        return render.plaque_context(memorial, monument, lang, carved, **common)
    return render.labels_context(memorial, lang, langs[job.locales[1]], carved, **common)


def alternates(ws: Workspace, memorial: Memorial, job: Job, allow_fallback: bool,
               session: _RenderSession | None = None) -> list[dict]:
    """The web edition's language switcher for ``job``'s page (never printed)."""
    from . import render
    editions = _editions(session or _RenderSession(ws), memorial, job, allow_fallback)
    return render.edition_links(memorial, job.product, job.locales, editions, job.monument)


def _editions(session: _RenderSession, memorial: Memorial, job: Job,
              allow_fallback: bool) -> list[tuple]:
    """The languages (or label pairs) this product is built in, for the language switcher:
    the manifest's, less those a build skips for want of translations (the Latin leaflet)
    or cannot render.  Computed from the memorial alone, so that a page does not depend on
    which locales one run was asked for; worked out once per product in a session."""
    if job.product == "labels":
        candidates = [tuple(pair) for pair in memorial.label_pairs]
    else:
        candidates = [(code,) for code in memorial.locales]
    key = (memorial.slug, job.product, job.monument, allow_fallback)
    if key not in session.editions:
        session.editions[key] = {locales for locales in candidates if _ships(
            session, memorial, Job(job.memorial, job.product, locales, job.monument),
            allow_fallback)}
    return [locales for locales in candidates
            if locales in session.editions[key] or locales == tuple(job.locales)]


def _switcher(session: _RenderSession, memorial: Memorial, job: Job,
              allow_fallback: bool) -> list:
    """What a page's language switcher depends on, as its build record keeps it."""
    return ["-".join(locales) for locales in _editions(session, memorial, job, allow_fallback)]


def _ships(session: _RenderSession, memorial: Memorial, job: Job, allow_fallback: bool) -> bool:
    """Whether ``job`` is built: its build record says so while its inputs are unchanged
    (so an edition of many languages renders only the languages that changed), else its
    HTML is rendered to find out."""
    if session.out is not None:
        record = records.read_record(_record_path(session.ws, job, session.out))
        if record and record.get("inputs") == session.digest(memorial, job, allow_fallback):
            return record.get("status") == "built"
    return _renders(session, memorial, job, allow_fallback)


def _renders(session: _RenderSession, memorial: Memorial, job: Job, allow_fallback: bool) -> bool:
    """Whether ``job`` would be built: its HTML renders with every message translated."""
    try:
        rendered = session.page(memorial, job, allow_fallback)
    except MemorialKitError:
        return False
    return allow_fallback or not rendered.missing


def fallback_list(langs: dict) -> list[str]:
    """Each message the job's languages printed in the source language, once, and why."""
    seen, out = set(), []
    for lang in langs.values():
        for f in lang.fallbacks:
            key = (f.locale, f.domain, f.msgctxt, f.msgid)
            if key not in seen:
                seen.add(key)
                ctxt = f"[{f.msgctxt}] " if f.msgctxt else ""
                why = " (held back: it has errors)" if f.erroneous else ""
                out.append(f"{f.locale}/{f.domain}: {ctxt}{f.msgid[:60]}{why}")
    return out


def fallback_notice(count: int, source_locale: str) -> str:
    """What a fallback edition says of itself, on the page and in print (in the source
    language, as the passages it marks)."""
    from .locales import language_name
    return (f"Incomplete edition: {count} passage{'s' if count > 1 else ''} in "
            f"{language_name(source_locale, source_locale)} (marked), for want of a checked translation")


def blocking_findings(langs: dict) -> list[str]:
    """The error findings of every message the job's languages would print, once each."""
    out: list[str] = []
    for lang in langs.values():
        for f in lang.fallbacks:
            out += [line for line in f.findings if line not in out]
    return out


def _check_fit(job: Job, printed) -> None:
    if job.product == "plaque" and (printed.pages != 1 or printed.overflows):
        excess = f", {printed.overflows[0].by_mm} mm too tall" if printed.overflows else ""
        raise RenderError(f"the plaque in {job.locales[0]} does not fit on one page "
                          f"({printed.pages} pages{excess})",
                          hint="shorten the caption or the glosses, or enlarge print.plaque_mm")
    if job.product == "labels" and printed.overflows:
        worst = printed.overflows[0]
        raise RenderError(
            f"labels {'-'.join(job.locales)}: the text of {worst.box} is {worst.by_mm} mm "
            f"({worst.percent}%) taller than its card: {worst.text!r}",
            hint="shorten the translation; run 'memorial-kit check' for every overflow")


