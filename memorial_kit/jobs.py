"""One job: a product of one memorial in one language (or one language pair, for labels).

Its render context and HTML (Jinja2: the page, or why it is not built), its printing
(WeasyPrint: PDF, PNG, with the fit measured) and its build record.  The build runs jobs
through here, and ``check`` renders a product through :func:`render_job` exactly as the
build does.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import geometry, press, records, translations
from .errors import MemorialKitError, RenderError
from .fsutil import write_if_changed
from .memorial import Memorial
from .parallel import on_workers
from .paths import check_output_path
from .pdfstandards import PdfStandard
from .workspace import Workspace

if TYPE_CHECKING:
    from .build import BuildRequest

# The products that reproduce the article's text, so cannot be printed without its credit
# line (the plaque, which quotes only its carved texts, leaves the line out instead).
CREDITED_PRODUCTS = ("leaflet", "labels")


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

    def formats(self, asked: tuple[str, ...]) -> tuple[str, ...]:
        """The formats this job writes: an edition is a PDF only."""
        return tuple(f for f in asked if f == "pdf" or not self.edition)

    def output(self, out: Path, fmt: str) -> Path:
        """Where the job writes ``fmt``: an error if that is outside ``out``, resolved."""
        return check_output_path(out, self.path(out, fmt), f"the {self.name} product")

    def path(self, out: Path, fmt: str) -> Path:
        """Where the job's ``fmt`` is in ``out``, unchecked: to read or to name, not to
        write (the triage looks up the outputs of every job of an edition)."""
        if self.edition:
            return press.output_path(out, self.memorial, self.product, self.locales,
                                     self.monument, self.edition)
        if self.product == "labels":
            stem = out / self.memorial / "labels" / "-".join(self.locales)
        else:
            stem = out / self.memorial / self.locales[0] / self.product_name
        return stem.with_suffix(f".{fmt}")


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
    from .language import make_lang
    from .verdict import Verdicts
    verdicts = verdicts or Verdicts(ws, memorial)
    langs = {code: make_lang(ws, memorial, code, allow_fallback, verdicts.of(code))
             for code in job_languages(ws, memorial, job)}
    context = _context(memorial, job, langs, ws if switcher else None)
    html = renderer.render(f"{job.product}.html.j2", context)
    missing = fallback_list(langs)
    if missing and allow_fallback:      # the page says it is a fallback edition
        context["fallback_notice"] = {"lang": memorial.source_locale,
                                      "text": fallback_notice(len(missing), memorial.source_locale)}
        html = renderer.render(f"{job.product}.html.j2", context)
    return Rendered(html, context, missing, blocking_findings(langs))


def _languages(memorial: Memorial, job: Job) -> list[str]:
    codes = list(job.locales)
    for monument in memorial.monuments:
        codes += [c for c in monument.carved_languages if c not in codes]
    return codes


def job_languages(ws: Workspace, memorial: Memorial, job: Job) -> list[str]:
    """The job's own languages and the carved ones that have a catalog to lend their text."""
    return [code for code in _languages(memorial, job)
            if code in job.locales or translations.has_catalog(ws, code, memorial)]


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
               session: RenderSession | None = None) -> list[dict]:
    """The web edition's language switcher for ``job``'s page (never printed)."""
    from . import render
    editions = _editions(session or RenderSession(ws), memorial, job, allow_fallback)
    return render.edition_links(memorial, job.product, job.locales, editions, job.monument)


def _editions(session: RenderSession, memorial: Memorial, job: Job,
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


def switcher_of(session: RenderSession, memorial: Memorial, job: Job,
              allow_fallback: bool) -> list:
    """What a page's language switcher depends on, as its build record keeps it."""
    return ["-".join(locales) for locales in _editions(session, memorial, job, allow_fallback)]


def _ships(session: RenderSession, memorial: Memorial, job: Job, allow_fallback: bool) -> bool:
    """Whether ``job`` is built: its build record says so while its inputs are unchanged
    (so an edition of many languages renders only the languages that changed), else its
    HTML is rendered to find out."""
    if session.out is not None:
        record = records.read_record(record_path(session.ws, job, session.out))
        if record and record.get("inputs") == session.digest(memorial, job, allow_fallback):
            return record.get("status") == "built"
    return _renders(session, memorial, job, allow_fallback)


def _renders(session: RenderSession, memorial: Memorial, job: Job, allow_fallback: bool) -> bool:
    """Whether ``job`` would be built: what its build would decide (its HTML renders, and
    nothing holds it back)."""
    if credit_refusal(session.ws, memorial, job):
        return False
    try:
        return session.held_back(memorial, job, allow_fallback) is None
    except MemorialKitError:
        return False


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


def held_back(ws: Workspace, memorial: Memorial, job: Job, rendered: Rendered,
              allow_fallback: bool) -> tuple[str, list[str]] | None:
    """Why ``job``, rendered as ``rendered``, is not printed (the reason, and the findings
    behind it), or None: its build and every page's language switcher ask this alike."""
    if rendered.blocked and not allow_fallback:
        count = len(rendered.blocked)
        return (f"{count} error{'s' if count > 1 else ''} in the messages it prints: nothing "
                "'memorial-kit check' rejects is printed; fix them, or build with "
                "--allow-fallback to print those messages in the source language",
                list(rendered.blocked))
    if rendered.missing and not allow_fallback:
        return (f"{len(rendered.missing)} messages it prints are not translated (first: "
                f"{rendered.missing[0]}); translate them or build with --allow-fallback", [])
    unprintable = _glyph_refusal(ws, memorial, job, rendered.html)
    if unprintable:
        return ("it prints letters no font of templates/fonts.css has: they would print "
                "as boxes or in a font the printer picks; declare a font for their script",
                unprintable)
    return None


def _glyph_refusal(ws: Workspace, memorial: Memorial, job: Job, html: str) -> list[str]:
    """The glyph findings (as check prints them) of a page that prints a letter no
    declared font has: the same verdict as check's."""
    from .checks import glyphs
    single = len(memorial.monuments) == 1
    name = glyphs.product_name(job.product, tuple(job.locales), None if single else job.monument)
    return [f.lines()[0] for f in glyphs.build_findings(ws, memorial, tuple(job.locales),
                                                          name, html)]


@dataclass
class Prepared:
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


class RenderSession:
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
        self.refusals: dict[tuple, tuple | None] = {}
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

    def held_back(self, memorial: Memorial, job: Job, allow_fallback: bool):
        """:func:`held_back` of the job's page, worked out once."""
        key = (job.name, job.monument, allow_fallback)
        if key not in self.refusals:
            self.refusals[key] = held_back(self.ws, memorial, job,
                                           self.page(memorial, job, allow_fallback), allow_fallback)
        return self.refusals[key]

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


def prepare_job(root: str, job: Job, request: BuildRequest, out: str, digest: str,
                 session: RenderSession | None = None) -> Prepared:
    """Everything a job needs before WeasyPrint: its HTML, or why it is not built."""
    found = _guarded(job, lambda: _prepare(session or RenderSession(Workspace(Path(root))),
                                           job, request, Path(out), digest))
    return found if isinstance(found, Prepared) else Prepared(job, digest, found)


def _prepare(session: RenderSession, job: Job, request: BuildRequest, out: Path,
             digest: str) -> Prepared:
    ws, renderer = session.ws, session.renderer
    memorial = session.memorial(job.memorial)
    session.require_font(memorial.print.font)
    # The PDF is made without the language switcher (print hides it); only the HTML page,
    # when asked for, works out which languages the product is built in.
    refused = credit_refusal(ws, memorial, job)
    if refused:
        records.write_record(record_path(ws, job, out), digest, [], status="skipped", reason=refused)
        return Prepared(job, digest, JobResult(job.name, "skipped", reason=refused))
    rendered = session.page(memorial, job, request.allow_fallback)
    held = session.held_back(memorial, job, request.allow_fallback)
    if held is not None:
        reason, findings = held
        records.write_record(record_path(ws, job, out), digest, [], status="skipped", reason=reason,
                             findings=findings)
        return Prepared(job, digest, JobResult(job.name, "skipped", reason=reason,
                                                findings=findings))
    page = switcher = None
    if "html" in job.formats(request.formats):
        switcher = switcher_of(session, memorial, job, request.allow_fallback)
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
    return Prepared(job, digest, None, documents, page, switcher, rendered.missing, standard)


# A label set of more sheets than this is laid out in chunks of at most this many sheets,
# on every core when the build is parallel, and joined.  The chunks do not depend on the
# machine, so a serial build (which joins the same chunks) gives the same bytes.
LABEL_CHUNK_SHEETS = 32


def _documents(renderer, rendered: "Rendered", job: Job) -> list[str]:
    """The HTML to print: the page, or for a large label set the page in chunks of sheets
    (memory stays bounded by a chunk)."""
    sheets, size = rendered.context.get("sheets", []), LABEL_CHUNK_SHEETS
    if job.product != "labels" or len(sheets) <= size:
        return [rendered.html]
    return _split_sheets(rendered.html, len(sheets), size) or [
        renderer.render("labels.html.j2", dict(rendered.context, sheets=sheets[start:end]))
        for start, end in geometry.chunk_bounds(len(sheets), size)]


SHEET_MARK = '<section class="sheet">'


def _split_sheets(html: str, count: int, size: int) -> list[str] | None:
    """The labels page cut into the documents of :func:`geometry.chunk_bounds` (the same
    head, the same end), or None when the page does not hold exactly ``count`` sheet
    sections."""
    pieces = html.split(SHEET_MARK)
    if len(pieces) != count + 1:
        return None
    head, sections = pieces[0], [SHEET_MARK + p for p in pieces[1:]]
    tail_at = sections[-1].rfind("</section>") + len("</section>")
    tail = sections[-1][tail_at:]
    sections[-1] = sections[-1][:tail_at]
    return [head + "".join(sections[start:end]) + tail
            for start, end in geometry.chunk_bounds(count, size)]


def print_job(root: str, prepared: Prepared, request: BuildRequest,
               out: str) -> tuple[JobResult, dict]:
    """The job's PDF and PNG from its HTML; every output written, and its record.  With
    the result, the PNG's thumbnail for the contact sheet (path -> image)."""
    found = _guarded(prepared.job,
                     lambda: _print(Workspace(Path(root)), prepared, request, Path(out)))
    return found if isinstance(found, tuple) else (found, {})


def _print(ws: Workspace, prepared: Prepared, request: BuildRequest,
           out: Path) -> tuple[JobResult, dict]:
    from . import previews, printing
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
            outputs["png"], thumbnail = previews.preview(printed.pdf)
    written = []
    for fmt in formats:
        path = job.output(out, fmt)
        write_if_changed(path, outputs[fmt])
        written.append(path)
    records.write_record(record_path(ws, job, out), prepared.digest, written, switcher=prepared.switcher,
            fallbacks=prepared.missing)
    thumbnails = {str(job.output(out, "png")): thumbnail} if "png" in outputs else {}
    return JobResult(job.name, "built", [ws.relative(p) for p in written],
                     fallbacks=prepared.missing, pages=pages), thumbnails


def _print_in_chunks(ws: Workspace, prepared: Prepared, parallel: bool):
    """A large label set's chunks laid out (on every core when the build is parallel) and
    joined into one PDF: the first chunk's metadata and language kept, pages in order."""
    from . import printing
    htmls = prepared.documents
    # each chunk is laid out once and printed once: no layout of it is kept
    args = ([ws.templates] * len(htmls), [prepared.job.name] * len(htmls),
            [prepared.standard] * len(htmls), [False] * len(htmls))
    workers = min(len(htmls), os.cpu_count() or 1)
    if not parallel or workers <= 1:
        return printing.join(list(map(printing.html_to_pdf, htmls, *args)))
    return printing.join(on_workers(printing.html_to_pdf, list(zip(htmls, *args)), workers))


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


def _guarded(job: Job, work):
    """What ``work()`` returns, or the job's failure with the reason."""
    try:
        return work()
    except MemorialKitError as exc:
        return failed(job, str(exc) + (f" (hint: {exc.hint})" if exc.hint else ""))
    except Exception as exc:  # a fault in one job must not hide the others' results
        return failed(job, f"internal error: {type(exc).__name__}: {exc}")


def failed(job: Job, reason: str) -> JobResult:
    return JobResult(job.name, "failed", reason=reason)


def record_path(ws: Workspace, job: Job, out: Path) -> Path:
    return records.record_path(ws, job.name, out)
