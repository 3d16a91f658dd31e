"""Which products x locales to build, in parallel, and only what changed.

A job is one product of one memorial in one language (or one language pair,
for labels; jobs.py).  Each job's inputs (catalogs, templates, fonts, manifest, seed,
kit version, options) are hashed; a job whose hash and outputs are unchanged
is not rebuilt (the triage, here).  The jobs to do are rendered and printed in this
process, or on every core (parallel.py); the output is byte-identical either way.
Then the index page and the contact sheets (site.py).  Every output is written atomically.
"""
from __future__ import annotations

import collections
import concurrent.futures as futures
import functools
import os
import sys
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from . import pdfstandards, press, processes, records, translations
from .errors import UsageError
from .fsutil import file_lock, sweep_temporaries
from .jobs import (Job, JobResult, RenderSession, failed, job_languages, prepare_job,
                   print_job, record_path, switcher_of)
from .locales import PSEUDO_LOCALES, PSEUDO_RTL_LOCALE, check_locale
from .memorial import Memorial
from .parallel import EXPECTED_COST, Stages, run_parallel
from .paths import check_out_folder, check_output_files, refuse_outside_links
from .site import PRODUCTS, asset_paths, contact_sheet_in, copy_assets, write_index
from .workspace import TEMPLATE_DOMAIN, Workspace

# the press and archive editions of those products (press.py)
ALL_PRODUCTS = PRODUCTS + press.EDITIONS


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
# --------------------------------------------------------------------------
# Running jobs
# --------------------------------------------------------------------------
def run_build(ws: Workspace, request: BuildRequest, progress=None) -> BuildReport:
    out = check_out_folder(ws.root, Path(request.out).resolve() if request.out else ws.dist)
    refuse_outside_links(ws.root)           # again: a long-running caller (serve) made ws earlier
    jobs = plan(ws, request)
    if "pdf" in request.formats:
        pdfstandards.build_time()           # a bad SOURCE_DATE_EPOCH: refused before any write
    check_output_files(out, [out / "index.html"] + asset_paths(ws, out) +
                       [out / slug / "contact-sheet.png" for slug in {j.memorial for j in jobs}] +
                       [job.path(out, fmt)     # resolved and checked there, once each
                        for job in jobs for fmt in job.formats(request.formats)])
    processes.install()                     # workers end with this process
    with processes.private_temp(ws.state), \
            file_lock(ws.state / "locks" / "build", wait=True, what="the build outputs"):
        sweep_temporaries(out)              # those of a build killed while writing
        copy_assets(ws, out)
        session = RenderSession(ws, out)   # the memorials triage loads are rendered
        done, todo = _triage(ws, jobs, request, out, session)
        with processes.worker_deaths_reported():
            results = _run_jobs(ws, todo, request, out, progress, done, session,
                                finish=functools.partial(_finish, ws, request, out, session))
    order = {job.name: n for n, job in enumerate(jobs)}
    return BuildReport(sorted(results, key=lambda r: order[r.job]),
                       ws.relative(out / "index.html"))


def _finish(ws: Workspace, request: BuildRequest, out: Path, session: "RenderSession",
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
                kept = records.records_folder(ws, out)
                sheets.append((out / memorial.slug, memorial.title, memorial.locales, mine,
                               kept / "thumbnails" / memorial.slug,
                               kept / "sheet-bands" / memorial.slug))
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
            session: "RenderSession"):
    """Jobs whose inputs are unchanged (answered from their records, in this process,
    without starting workers or importing WeasyPrint) and the jobs to run, with digests
    and formats: a job whose inputs are unchanged but whose page's language switcher
    would change (a language's product became printable, or stopped being so) gets its
    page made again, and nothing else."""
    done, todo = [], []
    shown = _shown_in(ws, out)
    for job in jobs:
        memorial = session.memorial(job.memorial)
        digest = session.digest(memorial, job, request.allow_fallback)
        wanted = [job.path(out, fmt) for fmt in job.formats(request.formats)]
        record = None if request.force else records.up_to_date(record_path(ws, job, out),
                                                               digest, wanted)
        if record is None:
            todo.append((job, digest, request.formats))
        elif record.get("status") == "skipped":
            done.append(JobResult(job.name, "skipped", reason=record.get("reason", ""),
                                  findings=record.get("findings", [])))
        elif "html" in job.formats(request.formats) and record.get("switcher") != switcher_of(
                session, memorial, job, request.allow_fallback):
            todo.append((job, digest, ("html",)))
        else:
            done.append(JobResult(job.name, "unchanged", [shown(p) for p in wanted],
                                  fallbacks=record.get("fallbacks", [])))
    _check_catalogs(session, [job for job, _, _ in todo])
    return done, todo


def _shown_in(ws: Workspace, out: Path):
    """A function naming an output of ``out`` as ``ws.relative`` does, for outputs checked
    to stay inside ``out`` (the triage names every output of an edition: it resolves the
    folder once, not each file)."""
    folder = ws.relative(out)
    return lambda path: os.path.join(folder, os.path.relpath(path, out))


def _check_catalogs(session: "RenderSession", jobs: list[Job]) -> None:
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
                    translations.load_translations(ws, code, domain, memorial.source_locale)


def _run_jobs(ws, todo, request, out, progress, done: list[JobResult],
              session: "RenderSession", finish) -> list[JobResult]:
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
    cores = os.cpu_count() or 1
    todo = _soonest_first(sorted(todo, key=lambda item: EXPECTED_COST[item[0].product],
                                 reverse=True), session, cores)
    args = [(str(ws.root), job, _with_formats(request, formats), str(out), digest)
            for job, digest, formats in todo]
    if not request.parallel or cores <= 1 or not _worth_processes(args):
        for arg in args:
            prepared = prepare_job(*arg, session=session)
            report(prepared.result or print_job(arg[0], prepared, arg[2], arg[3]))
        finish(results, _run_now, thumbnails)
    else:
        stages = Stages(prepare_job, print_job, failed)
        run_parallel(args, request, min(len(args), cores), session, stages, report,
                     lambda run, index: finish(results, run, thumbnails, index))
    return results


def _soonest_first(todo: list, session: "RenderSession", count: int) -> list:
    """``todo`` in the order a parallel build renders it.  First ``count`` jobs, one for
    each worker to start on: each time the one whose HTML is ready soonest, that is, the
    one that asks for the fewest verdicts of languages not asked for yet (a page's
    language switcher asks for every language's, the source language has none), the
    longest of those.  Then the jobs that ask only for their own languages' verdicts and
    share no layout (a press edition): the renderer works out a language's verdict when a
    job first asks for it, so these keep the workers supplied while it works out those a
    switcher asks for (33 languages: 2.5 s).  The other jobs keep their order, the
    longest first, an archive copy beside the product whose pages it prints."""
    todo, front, asked = list(todo), [], set()
    for _ in range(min(count, len(todo))):
        first = min(range(len(todo)), key=lambda n: (len(_verdicts_asked(todo[n], session)
                                                         - asked), n))
        asked |= _verdicts_asked(todo[first], session)
        front.append(todo.pop(first))
    layouts = collections.Counter(_layout(job) for job, _, _ in front + todo)
    fills = [_fills_in(item, layouts) for item in todo]
    return (front + [item for item, fill in zip(todo, fills) if fill]
            + [item for item, fill in zip(todo, fills) if not fill])


def _layout(job) -> tuple | None:
    """What a job's pages are laid out from, shared by the jobs with the same (a product
    and its archive copy); None for an edition laid out apart."""
    if press.laid_out_apart(job.edition):
        return None
    return (job.memorial, job.product, job.monument, job.locales)


def _fills_in(item, layouts: dict) -> bool:
    """Whether a job asks only for its own languages' verdicts (it has no page with a
    language switcher) and shares its layout with no other job."""
    job, _, formats = item
    layout = _layout(job)
    return "html" not in job.formats(formats) and (layout is None or layouts[layout] == 1)


def _verdicts_asked(item, session: "RenderSession") -> set:
    """The languages whose verdicts a job's HTML asks for."""
    job, _, formats = item
    memorial = session.memorial(job.memorial)
    asked = set(memorial.locales) if "html" in job.formats(formats) else set(job.locales)
    return asked - {memorial.source_locale}


def _worth_processes(args: list) -> bool:
    """Whether the jobs gain from other processes: several do; one alone does while this
    process has WeasyPrint to load, for its HTML is rendered meanwhile in another.  (A
    large label set's sheets are printed on every core either way.)"""
    return len(args) > 1 or (len(args) == 1 and "weasyprint" not in sys.modules)


def _report(result: JobResult, progress, done: int = 0, total: int = 0) -> JobResult:
    if progress is not None:
        for line in result.lines():
            progress(line, done, total)
    return result


def _with_formats(request: BuildRequest, formats: tuple[str, ...]) -> BuildRequest:
    return request if formats == request.formats else replace(request, formats=formats)
