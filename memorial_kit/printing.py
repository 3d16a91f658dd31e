"""HTML -> PDF: the only module that touches WeasyPrint (a PDF's pages are made PNG in
:mod:`.previews`).

WeasyPrint fetches stylesheets, fonts and images through a URL fetcher; ours
serves only files inside the workspace's ``templates/`` folder and refuses
everything else (network, ``file://`` elsewhere, ``data:``), and a refused
fetch fails the build instead of leaving a gap on the printed page.
"""
from __future__ import annotations

import contextvars
import io
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import RenderError
from .geometry import PX_MM
from .quickload import load_weasyprint

weasyprint = load_weasyprint()
from weasyprint.text.fonts import FontConfiguration  # noqa: E402 (loaded just above)
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402


# Set while this thread prints a document for the kit (a context variable: each thread
# and task has its own).
_PRINTING = contextvars.ContextVar("memorial_kit_printing", default=False)


class _KitDocumentNotes(logging.Filter):
    """Drops WeasyPrint's warnings and progress notes about the documents the kit prints
    (its screen-only @media rules, which print ignores by design); its errors pass.  The
    loggers' levels stay as the program that imports the kit set them, and WeasyPrint's
    records about any other document pass as they would without the kit."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.ERROR or not _PRINTING.get()


_KIT_DOCUMENT_NOTES = _KitDocumentNotes()
for _name in ("weasyprint", "weasyprint.progress"):    # WeasyPrint's two loggers
    logging.getLogger(_name).addFilter(_KIT_DOCUMENT_NOTES)


class TemplatesOnlyFetcher(URLFetcher):
    """Serve ``file:`` URLs inside one folder; refuse and remember every other URL."""

    def __init__(self, folder: Path):
        super().__init__(allowed_protocols={"file"})
        self.folder = Path(folder).resolve()
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        path = self._allowed_path(url)
        if path is None:
            self.refused.append(url)
            raise ValueError(f"memorial-kit fetches only files inside {self.folder}: {url}")
        return URLFetcherResponse(url, body=path.read_bytes(),
                                  headers={"Content-Type": _media_type(path)})

    def _allowed_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(self.folder) or not path.is_file():
            return None
        return path


def _media_type(path: Path) -> str:
    return {".css": "text/css", ".ttf": "font/ttf", ".otf": "font/otf", ".png": "image/png",
            ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".woff2": "font/woff2"}.get(
        path.suffix.lower(), "application/octet-stream")


# --------------------------------------------------------------------------
# The user-agent stylesheet a document needs
# --------------------------------------------------------------------------
# WeasyPrint's user-agent stylesheet styles six pseudo-elements of every element (::marker,
# and the calls and markers of footnotes and notes), so WeasyPrint computes six styles
# more for each element, though only a list item, a footnote or a note ever shows one:
# about 4 % of a label sheet's printing.  A document that can have none of one kind is laid
# out with the stylesheet without that kind's rules, which makes the same boxes.  One
# that may load CSS the kit does not see (an @import, a linked stylesheet) gets the whole
# stylesheet, as does every document when WeasyPrint's stylesheet reads otherwise.
_PSEUDO_KINDS = {    # kind -> (its pseudo-elements, what shows a document may have one)
    "marker": (("marker",), re.compile(r"<(?:li|summary)\b|list-item", re.I)),
    "footnote": (("footnote-call", "footnote-marker"), re.compile(r"footnote", re.I)),
    "note": (("note-call", "note-marker", "note-callback"), re.compile(r"note\(", re.I)),
}
_CSS_ELSEWHERE = re.compile(r"@import|<link\b[^>]*\bstylesheet", re.I)


def unused_pseudo_kinds(*texts: str) -> frozenset[str]:
    """The kinds of pseudo-element no element of a document made of ``texts`` (its HTML
    and its other stylesheets) can have."""
    if any(_CSS_ELSEWHERE.search(text) for text in texts):
        return frozenset()
    return frozenset(kind for kind, (_, shown) in _PSEUDO_KINDS.items()
                     if not any(shown.search(text) for text in texts))


def _stock_ua():
    """WeasyPrint's user-agent stylesheet, its text and its counter styles (None for each
    if they have moved)."""
    from weasyprint import html as wp_html
    sheet, text = getattr(wp_html, "UA_STYLESHEET", None), getattr(wp_html, "UA", None)
    counters = getattr(wp_html, "UA_COUNTER_STYLE", None)
    found = sheet is not None and isinstance(text, str) and counters is not None
    return (sheet, text, counters) if found else (None, None, None)


def ua_text_without(text: str, kinds: frozenset[str]) -> tuple[str, int]:
    """The stylesheet ``text`` without its rules for every element's pseudo-elements of
    ``kinds`` (``::marker { ... }``), and how many rules went."""
    names = [name for kind in sorted(kinds) for name in _PSEUDO_KINDS[kind][0]]
    if not names:
        return text, 0
    rule = re.compile(rf"^::(?:{'|'.join(names)})[ \t]*\{{[^{{}}]*\}}[ \t]*\n?", re.M)
    return rule.subn("", text)


_UA_SHEETS: dict[frozenset, object] = {}


def ua_stylesheet(kinds: frozenset[str]):
    """The user-agent stylesheet without the rules of ``kinds``, made once per process;
    None: WeasyPrint's own (nothing to leave out, or its stylesheet reads otherwise)."""
    if kinds not in _UA_SHEETS:
        stock, text, counters = _stock_ua()
        pared, removed = ua_text_without(text, kinds) if text else ("", 0)
        names = frozenset(name for kind in kinds for name in _PSEUDO_KINDS[kind][0])
        if stock is None or not names or removed != len(names):
            _UA_SHEETS[kinds] = None
        else:       # the stock sheet's parse, pared; parsed anew if its matcher reads otherwise
            _UA_SHEETS[kinds] = (sheet_without(stock, names)
                                 or weasyprint.CSS(string=pared, counter_style=counters))
    return _UA_SHEETS[kinds]


def sheet_without(sheet, pseudo_elements: frozenset[str]):
    """A copy of the parsed ``sheet`` without its rules for ``pseudo_elements``, made by
    leaving their selectors out of its matcher: the same rules as parsing the sheet's text
    without them, in the same order, but no parse (90 ms for the user-agent sheet, once in
    each process and again for each other set of kinds).  None if the matcher does not
    read as cssselect2's (selectors as (test, specificity, order, pseudo-element,
    declarations), in lists and in dicts of lists), or no rule was left out."""
    import copy

    import cssselect2
    matcher = getattr(sheet, "matcher", None)
    if type(matcher) is not cssselect2.Matcher:
        return None
    pared, removed = copy.copy(matcher), 0
    for name, value in vars(matcher).items():
        if isinstance(value, int) and not isinstance(value, bool):
            continue                # the count of selectors added: orders stay as they were
        groups = value if isinstance(value, dict) else {None: value}
        kept = {key: _entries_without(entries, pseudo_elements)
                for key, entries in groups.items()}
        if None in kept.values():
            return None
        removed += sum(len(entries) - len(kept[key]) for key, entries in groups.items())
        setattr(pared, name, kept if isinstance(value, dict) else kept[None])
    if not removed:
        return None
    copied = copy.copy(sheet)
    copied.matcher = pared
    return copied


def _entries_without(entries, pseudo_elements: frozenset[str]) -> list | None:
    """A matcher's list of selectors without those for ``pseudo_elements``; None if it is
    not such a list."""
    if not isinstance(entries, list) or not all(
            isinstance(entry, tuple) and len(entry) == 5 for entry in entries):
        return None
    return [entry for entry in entries if entry[3] not in pseudo_elements]


class _KitHTML(weasyprint.HTML):
    """WeasyPrint's HTML document, styled with ``ua`` in place of its user-agent sheet."""

    def __init__(self, *args, ua=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._kit_ua = ua

    def _ua_stylesheets(self, *args, **kwargs):
        sheets = super()._ua_stylesheets(*args, **kwargs)
        if self._kit_ua is None:
            return sheets
        stock = _stock_ua()[0]
        return [self._kit_ua if sheet is stock else sheet for sheet in sheets]


# The common case, every kind unused (a label sheet, a plaque), made before any fork.
ua_stylesheet(frozenset(_PSEUDO_KINDS))


# --------------------------------------------------------------------------
# Author stylesheets parsed once per process
# --------------------------------------------------------------------------
# WeasyPrint parses every <style> of every document it lays out: for the kit's pages that
# is fonts.css and print.css, 17 KB and about 25 ms a document (5.6 % of the instructions
# that prepare and print the shipped edition's 20 jobs in one process).  Those
# two are <style> elements of their own in base.html.j2, with the same text in every
# document of a memorial, so the parse of such a sheet is kept and given to the next
# document of the kit that has it (its @font-face fonts are already in the font
# configuration it was parsed with, which is part of the key).  A sheet is kept only when
# its parse took nothing from the document: no @import, @layer, @counter-style or colour
# profile (those share the document's state), no fetch refused and no error logged (a
# document parsed afresh reports them again).  Its @page rules join the document's list
# in their place, as WeasyPrint's own parse adds them, so the cascade is the same.
_PARSED_SHEETS: dict[tuple, object] = {}
_PARSED_SHEETS_KEPT = 16
_INHERITED_SHEETS: list[dict] = []
_DOCUMENT_STATE = re.compile(r"@(?:import|layer|counter-style|color-profile)\b|\bcolor\(",
                             re.I)


class _ErrorsLogged(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def author_sheet(*args, **kwargs):
    """WeasyPrint's ``CSS(...)`` as its stylesheet finder calls it for a document's
    <style> and <link> elements: for a <style> of a document the kit prints, the kept
    parse of the same text when there is one (see above)."""
    text, fetcher = kwargs.get("string"), kwargs.get("url_fetcher")
    if (args or not isinstance(text, str) or not isinstance(fetcher, TemplatesOnlyFetcher)
            or kwargs.get("page_rules") is None or _DOCUMENT_STATE.search(text)):
        return weasyprint.CSS(*args, **kwargs)
    key = (text, kwargs.get("base_url"), kwargs.get("media_type"), kwargs.get("font_config"))
    sheet = _PARSED_SHEETS.pop(key, None) or _parsed_alone(kwargs, fetcher)
    if sheet is None:                   # it took something from the document: as WeasyPrint
        return weasyprint.CSS(**kwargs)
    _PARSED_SHEETS[key] = sheet         # the most recently used last
    while len(_PARSED_SHEETS) > _PARSED_SHEETS_KEPT:
        del _PARSED_SHEETS[next(iter(_PARSED_SHEETS))]
    kwargs["page_rules"].extend(sheet.page_rules)
    return sheet


def _parsed_alone(kwargs: dict, fetcher: TemplatesOnlyFetcher):
    """The sheet parsed with @page rules and layers of its own, or None if its parse
    refused a fetch or logged an error."""
    refused, errors = len(fetcher.refused), _ErrorsLogged()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(errors)
    try:
        sheet = weasyprint.CSS(**dict(kwargs, page_rules=None, layers=None))
    finally:
        logger.removeHandler(errors)
    return sheet if len(fetcher.refused) == refused and not errors.count else None


def _use_kept_sheets() -> None:
    """Let WeasyPrint's stylesheet finder make its sheets through :func:`author_sheet`,
    if it reads as the kit knows it (else it parses every sheet, as before)."""
    import inspect

    from weasyprint import css as wp_css
    wanted = {"string", "base_url", "url_fetcher", "media_type", "font_config",
              "counter_style", "page_rules", "layers"}
    if (getattr(wp_css, "CSS", None) is weasyprint.CSS and hasattr(wp_css, "find_stylesheets")
            and wanted <= set(inspect.signature(weasyprint.CSS).parameters)):
        wp_css.CSS = author_sheet


_use_kept_sheets()


# --------------------------------------------------------------------------
# C arrays whose type is parsed once
# --------------------------------------------------------------------------
# To subset each font of a PDF, WeasyPrint asks cffi for arrays of glyph numbers by their
# length ("hb_codepoint_t[1933]"), and cffi parses the text of each type it has not seen,
# with every type WeasyPrint declares (7 ms).  Nearly every font of every PDF has a length
# of its own: 44 parses, 4.7 % of the shipped edition's serial build.  An array made from
# its items is the same array when its type leaves the length to them ("hb_codepoint_t[]"),
# a type cffi parses once; so for the kit's documents that is how WeasyPrint's font
# subsetting makes such arrays.  The rest of WeasyPrint keeps cffi's instance as it is.
_SIZED_ARRAY = re.compile(r"([A-Za-z_]\w*(?: \w+)*) ?\[(\d+)\]")


class ArraysFromItems:
    """A cffi instance whose ``new`` makes an array of as many items as it is given as
    "T[]", while the kit prints; everything else is the instance's own."""

    def __init__(self, ffi):
        self.unsized = ffi

    def __getattr__(self, name):
        return getattr(self.unsized, name)

    def new(self, cdecl, init=None):
        if isinstance(init, (list, tuple)) and isinstance(cdecl, str) and _PRINTING.get():
            sized = _SIZED_ARRAY.fullmatch(cdecl)
            if sized and int(sized[2]) == len(init):
                return self.unsized.new(f"{sized[1]}[]", init)
        return self.unsized.new(cdecl, init)


def _make_arrays_from_items() -> None:
    """Give WeasyPrint's font subsetting (weasyprint.pdf.fonts) the cffi instance above,
    if it has cffi's (else its arrays are made as before)."""
    import cffi
    from weasyprint.pdf import fonts as wp_fonts
    if isinstance(getattr(wp_fonts, "ffi", None), cffi.FFI):
        wp_fonts.ffi = ArraysFromItems(wp_fonts.ffi)


_make_arrays_from_items()


# --------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------
@dataclass
class Overflow:
    """Content that runs past the box it must fit in."""
    box: str             # e.g. "label uprising", "page 1 margin"
    text: str            # the start of the text that overflows
    by_mm: float
    percent: float


@dataclass
class Printed:
    pdf: bytes
    pages: int
    page_size_mm: tuple[float, float]
    overflows: list[Overflow] = field(default_factory=list)


_FONT_CONFIGS: dict[Path, tuple[tuple, FontConfiguration]] = {}
_FONT_CONFIGS_KEPT = 4
_INHERITED_CONFIGS: list[dict] = []


def _after_fork_in_child() -> None:
    # A forked worker makes its own configurations.  The inherited ones stay referenced,
    # never freed: freeing one would delete its temporary folder, which the parent uses.
    _INHERITED_CONFIGS.append(dict(_FONT_CONFIGS))
    _FONT_CONFIGS.clear()
    _INHERITED_SHEETS.append(dict(_PARSED_SHEETS))     # they hold the parent's configurations
    _PARSED_SHEETS.clear()


os.register_at_fork(after_in_child=_after_fork_in_child)


def font_config(templates: Path) -> FontConfiguration:
    """WeasyPrint's font configuration for ``templates``: one per folder and state of its
    files, so that a process loads the @font-face fonts once, not once per document (and
    never a font of another folder, nor one since changed)."""
    folder = templates.resolve()
    state = tuple(sorted((str(path), info.st_mtime_ns, info.st_size)
                         for path in folder.rglob("*") if path.is_file()
                         for info in [path.stat()]))
    known = _FONT_CONFIGS.pop(folder, None)
    if known is None or known[0] != state:
        known = (state, FontConfiguration())
    _FONT_CONFIGS[folder] = known               # the most recently used last
    while len(_FONT_CONFIGS) > _FONT_CONFIGS_KEPT:     # each keeps its fonts in a temp folder
        del _FONT_CONFIGS[next(iter(_FONT_CONFIGS))]
    return known[1]


def html_to_pdf(html: str, templates: Path, what: str, standard=None,
                keep: bool = True) -> Printed:
    """Lay out and write ``html`` (assets relative to ``templates``) as PDF; as the
    ``standard`` says (a :class:`pdfstandards.PdfStandard`) when one is given.  ``keep``:
    keep the layout for another standard of the same HTML (False for a part of a document
    that nothing prints again, such as a chunk of a large label set)."""
    printing = _PRINTING.set(True)
    try:
        document = _laid_out(html, templates, what, standard.css if standard else "", keep)
        if standard is None:
            pdf = document.write_pdf(uncompressed_pdf=False, pdf_identifier=b"memorial-kit",
                                     custom_metadata=True)
        else:
            pdf = standard.write(document, identifier=b"memorial-kit")
    except RenderError:
        raise
    except Exception as exc:  # WeasyPrint has no error hierarchy of its own
        raise RenderError(f"{what}: WeasyPrint failed: {exc}") from exc
    finally:
        _PRINTING.reset(printing)
    first = document.pages[0]
    size = (round(first.width * PX_MM, 2), round(first.height * PX_MM, 2))
    return Printed(pdf, len(document.pages), size, find_overflows(document))


# The last documents laid out in this process: a product and its edition printed from the
# same HTML (the leaflet and its archive copy, one after the other on one worker) share
# one layout, which costs twice what writing the PDF does.  Writing a document leaves it
# as it was (pdfstandards restores what it sets), so a kept one gives the same bytes.
_LAID_OUT: dict[tuple, object] = {}
_LAID_OUT_KEPT = 2


def _laid_out(html: str, templates: Path, what: str, css: str = "", keep: bool = True):
    """``html`` laid out by WeasyPrint, once, with ``css`` as a user stylesheet (a press
    page's bleed and crop marks); kept for the next call with the same HTML if ``keep``."""
    import hashlib
    config = font_config(templates)
    key = (id(config), css, hashlib.sha256(html.encode("utf-8")).digest())
    document = _LAID_OUT.pop(key, None)
    if document is None:
        fetcher = TemplatesOnlyFetcher(templates)
        base_url = templates.resolve().as_uri() + "/"
        stylesheets = [weasyprint.CSS(string=css, base_url=base_url, url_fetcher=fetcher,
                                      font_config=config)] if css else None
        ua = ua_stylesheet(unused_pseudo_kinds(html, css))
        document = _KitHTML(string=html, base_url=base_url, url_fetcher=fetcher, ua=ua).render(
            font_config=config, stylesheets=stylesheets)
        if fetcher.refused:
            raise RenderError(f"{what}: refused to fetch {', '.join(sorted(set(fetcher.refused)))}",
                              hint="products may use only files inside templates/")
    if keep:
        _LAID_OUT[key] = document               # the most recently used last
        while len(_LAID_OUT) > _LAID_OUT_KEPT:
            del _LAID_OUT[next(iter(_LAID_OUT))]
    return document


def find_overflows(document) -> list[Overflow]:
    """Boxes of class "fit" (labels' trim areas, the plaque) whose content is taller than they are,
    and lines that run past the right edge of their page's content area."""
    found = []
    for number, page in enumerate(document.pages, 1):
        root = page._page_box
        content_right = root.content_box_x() + root.width
        for box, owner in _with_owner(root, f"page {number}"):
            if "fit" in _class(box).split():
                found.extend(_box_overflow(box, owner))
            elif type(box).__name__ == "LineBox" and box.width:
                right = box.position_x + _line_width(box)
                if right - content_right > 0.5:
                    found.append(Overflow(f"{owner} margin", _text(box)[:60],
                                          round((right - content_right) * PX_MM, 1),
                                          round(100 * (right - content_right) / root.width, 1)))
    return found


def _with_owner(root, page_name: str):
    """Every box with the id of its nearest ancestor element that has one."""
    stack = [(root, page_name)]
    while stack:
        box, owner = stack.pop()
        element = getattr(box, "element", None)
        if element is not None and hasattr(element, "get") and element.get("id"):
            owner = element.get("id")
        yield box, owner
        stack.extend((child, owner) for child in reversed(getattr(box, "children", []) or []))


def _box_overflow(box, owner: str) -> list[Overflow]:
    inner_bottom = box.content_box_y() + box.height
    bottom = inner_bottom
    for child in _descendants(box):
        if child is box or type(child).__name__ not in ("LineBox", "BlockBox"):
            continue
        if "label-credit" in _class(child).split():
            continue
        bottom = max(bottom, child.position_y + child.margin_height() - (child.margin_bottom or 0))
    excess = bottom - inner_bottom
    if excess <= 0.5:
        return []
    return [Overflow(owner, _text(box)[:60], round(excess * PX_MM, 1),
                     round(100 * excess / box.height, 1))]


def _descendants(box):
    stack = [box]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(getattr(current, "children", []) or []))


def _class(box) -> str:
    element = getattr(box, "element", None)
    return element.get("class", "") if element is not None and hasattr(element, "get") else ""


def _line_width(line) -> float:
    right = line.position_x
    for child in line.children:
        right = max(right, child.position_x + child.margin_width())
    return right - line.position_x


def _text(box) -> str:
    parts = []
    for child in _descendants(box):
        text = getattr(child, "text", None)
        if isinstance(text, str):
            parts.append(text)
    return " ".join(" ".join(parts).split())


def join(parts: list[Printed]) -> Printed:
    """One PDF of ``parts`` in order: the first part's document (its metadata and
    language) with the others' pages appended."""
    import pypdfium2
    if len(parts) == 1:
        return parts[0]
    base = pypdfium2.PdfDocument(parts[0].pdf)
    try:
        for part in parts[1:]:
            other = pypdfium2.PdfDocument(part.pdf)
            try:
                base.import_pages(other)
            finally:
                other.close()
        buffer = io.BytesIO()
        base.save(buffer)
    finally:
        base.close()
    return Printed(_fixed_id(buffer.getvalue()), sum(p.pages for p in parts), parts[0].page_size_mm,
                   [o for p in parts for o in p.overflows])


_TRAILER_ID_RE = re.compile(rb"(/ID\s*\[\s*\([^)]*\)\s*<)([0-9A-Fa-f]{32})(>\s*\])")


def _fixed_id(pdf: bytes) -> bytes:
    """PDFium writes a random second file identifier; the same pages get the same one."""
    import hashlib
    match = None
    for match in _TRAILER_ID_RE.finditer(pdf):  # noqa: B007 - the last one is wanted
        pass
    if match is None:
        return pdf
    digest = hashlib.md5(pdf[:match.start()]).hexdigest().upper().encode()
    return pdf[:match.start(2)] + digest + pdf[match.end(2):]


def page_count(pdf: bytes) -> int:
    import pypdfium2
    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()
