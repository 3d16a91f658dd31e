"""What printing changes in the process that imports it: nothing of the standard library,
no logger's level, no environment variable; only WeasyPrint's notes about the kit's own
documents are dropped.  How the kit's documents are styled: the user-agent rules they need,
and their own stylesheets parsed once per process."""
import logging
import os
import re
import threading
import time

import pytest

from conftest import COUNT_LIBRARY_PROBES, run_python
from memorial_kit import printing

IMPORT_THE_KIT = COUNT_LIBRARY_PROBES + """
import logging, os
before = dict(os.environ)
import memorial_kit.printing
assert ctypes.util.find_library is find_library
assert "gobject-2.0" in asked             # WeasyPrint's lookups went to the process's own
assert dict(os.environ) == before
print(logging.getLogger("weasyprint").level, logging.getLogger("weasyprint.progress").level,
      logging.getLogger("fontTools").level)
"""

# A page with an @media rule WeasyPrint does not parse (the kit's pages have such rules
# for screens), so that it logs a warning about it.
PAGE = """<!DOCTYPE html><html lang="en"><head><title>t</title>
<style>@media screen and (max-width: 59.99rem) { p { color: red } }</style></head>
<body><p>Vorkuta</p></body></html>"""


def test_importing_the_kit_patches_nothing_and_sets_no_level():
    out = run_python(IMPORT_THE_KIT)
    assert out.stdout.split() == ["0", "0", "0"]         # NOTSET: as the program left them


@pytest.fixture
def weasyprint_records():
    """The records WeasyPrint's loggers pass on, at every level."""
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    logger = logging.getLogger("weasyprint")
    handler, level = Keep(level=logging.DEBUG), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield records
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_warnings_about_the_kits_documents_are_dropped(weasyprint_records, workspace):
    printed = printing.html_to_pdf(PAGE, workspace / "templates", "t")
    assert printed.pages == 1
    assert weasyprint_records == []


def test_warnings_about_other_documents_pass(weasyprint_records):
    import weasyprint
    weasyprint.HTML(string=PAGE).render()               # the program's own document
    messages = [r.getMessage() for r in weasyprint_records if r.levelno == logging.WARNING]
    assert any("max-width: 59.99rem" in message for message in messages)
    assert any(r.name == "weasyprint.progress" for r in weasyprint_records)


def test_a_warning_in_another_thread_passes_while_the_kit_prints(weasyprint_records, workspace):
    from weasyprint.logger import LOGGER
    printing_now, logged = threading.Event(), threading.Event()
    fetch = printing.TemplatesOnlyFetcher.fetch

    def slow_fetch(self, url, headers=None):            # holds the kit's render open
        printing_now.set()
        logged.wait(30)
        return fetch(self, url, headers)

    page = PAGE.replace("<title>", '<link rel="stylesheet" href="print.css"><title>')
    thread = threading.Thread(target=lambda: printing.html_to_pdf(page, workspace / "templates", "t"))
    try:
        printing.TemplatesOnlyFetcher.fetch = slow_fetch
        thread.start()
        assert printing_now.wait(30)
        LOGGER.warning("the program's own note")
    finally:
        logged.set()
        thread.join(60)
        printing.TemplatesOnlyFetcher.fetch = fetch
    assert [r.getMessage() for r in weasyprint_records] == ["the program's own note"]


def test_errors_about_the_kits_documents_pass(weasyprint_records, workspace):
    page = PAGE.replace("<title>", '<link rel="stylesheet" href="https://example.invalid/a.css">'
                                   "<title>")
    with pytest.raises(printing.RenderError, match="refused to fetch https://example.invalid/a.css"):
        printing.html_to_pdf(page, workspace / "templates", "t")
    assert [r.levelno for r in weasyprint_records] == [logging.ERROR]


def test_printing_leaves_the_environment_alone_and_the_clock_out_of_the_bytes(
        monkeypatch, workspace):
    """Subset fonts carry no time of writing (WeasyPrint subsets with HarfBuzz), so the
    kit sets no SOURCE_DATE_EPOCH for them: a render never writes to os.environ, which
    other threads of the process read."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    writes = []

    class Watched(type(os.environ)):
        def __setitem__(self, key, value):
            writes.append(key)
            super().__setitem__(key, value)

        def __delitem__(self, key):
            writes.append(key)
            super().__delitem__(key)

    watched = Watched(os.environ._data, os.environ.encodekey, os.environ.decodekey,
                      os.environ.encodevalue, os.environ.decodevalue)
    monkeypatch.setattr(os, "environ", watched)
    page = PAGE.replace("<p>", "<p><b>Bold</b> <i>italic</i> Воркута ").replace(
        "<title>", '<link rel="stylesheet" href="fonts.css"><title>')
    printing._LAID_OUT.clear()
    now = printing.html_to_pdf(page, workspace / "templates", "t").pdf
    printing._LAID_OUT.clear()
    later = time.time() + 10 * 365 * 86400
    monkeypatch.setattr(time, "time", lambda: later)
    assert printing.html_to_pdf(page, workspace / "templates", "t").pdf == now
    assert writes == []


# ------------------------------------------- the user-agent stylesheet a document needs ---
EVERY_ELEMENTS_PSEUDO = ("marker", "footnote-call", "footnote-marker", "note-call",
                         "note-marker", "note-callback")


def test_the_pared_sheet_loses_only_the_rules_for_every_elements_pseudo_elements():
    from weasyprint import html as wp_html
    stock = wp_html.UA.splitlines()
    pared, removed = printing.ua_text_without(wp_html.UA, frozenset({"marker", "footnote", "note"}))
    assert removed == 6
    gone = [line for line in stock if line not in pared.splitlines()]
    assert sorted(line.split(" ", 1)[0] for line in gone) == sorted(
        f"::{name}" for name in EVERY_ELEMENTS_PSEUDO)
    assert [line for line in stock if line not in gone] == pared.splitlines()
    marker_only, removed = printing.ua_text_without(wp_html.UA, frozenset({"marker"}))
    assert removed == 1 and "::footnote-call" in marker_only and "::marker" not in marker_only


def _rules(sheet) -> list:
    """A parsed sheet's rules as its matcher holds them: where, specificity, pseudo-element
    and declarations, in the order they were added."""
    found = []
    for name, value in sorted(vars(sheet.matcher).items()):
        for key, entries in (value.items() if isinstance(value, dict) else [(None, value)]
                             if isinstance(value, list) else []):
            found += [(entry[2], name, key, entry[1], entry[3], _shown(entry[4]))
                      for entry in entries]
    return [rule[1:] for rule in sorted(found)]


def _shown(value):
    """A rule's declarations as text (tinycss2's tokens compare by identity)."""
    if isinstance(value, (list, tuple)):
        return tuple(_shown(item) for item in value)
    return value.serialize() if hasattr(value, "serialize") else repr(value)


@pytest.mark.parametrize("kinds", [{"marker", "footnote", "note"}, {"footnote", "note"},
                                   {"marker"}, {"note"}])
def test_a_pared_sheet_is_the_stock_parse_without_those_rules_and_parses_nothing(
        monkeypatch, kinds):
    import weasyprint
    stock, text, counters = printing._stock_ua()
    stock_rules = _rules(stock)
    parsed_text, _ = printing.ua_text_without(text, frozenset(kinds))
    expected = weasyprint.CSS(string=parsed_text, counter_style=counters)
    monkeypatch.setattr(printing, "_UA_SHEETS", {})
    parses = []
    monkeypatch.setattr(weasyprint, "CSS", lambda *a, **k: parses.append(k))
    pared = printing.ua_stylesheet(frozenset(kinds))
    assert parses == []
    assert _rules(pared) == _rules(expected)
    assert len(_rules(pared)) == len(stock_rules) - len(
        [name for kind in kinds for name in printing._PSEUDO_KINDS[kind][0]])
    assert _rules(stock) == stock_rules                  # the stock sheet is left as it was
    assert pared.matcher.order == stock.matcher.order and pared.page_rules is stock.page_rules


def test_a_matcher_that_reads_otherwise_is_not_pared_and_the_text_is_parsed(monkeypatch):
    import cssselect2
    import weasyprint
    stock = printing._stock_ua()[0]
    odd = cssselect2.Matcher()
    odd.other_selectors = [("test", (0, 0, 1), 1, "marker")]        # four fields, not five
    assert printing.sheet_without(type("Sheet", (), {"matcher": odd})(), {"marker"}) is None
    assert printing.sheet_without(type("Sheet", (), {"matcher": object()})(), {"marker"}) \
        is None
    assert printing.sheet_without(stock, frozenset({"first-letter-of-nothing"})) is None
    monkeypatch.setattr(printing, "_UA_SHEETS", {})
    monkeypatch.setattr(printing, "sheet_without", lambda sheet, names: None)
    parsed = printing.ua_stylesheet(frozenset({"marker"}))
    assert isinstance(parsed, weasyprint.CSS) and parsed.matcher is not stock.matcher
    assert [rule for rule in _rules(parsed) if rule[3] == "marker"] == []
    assert len(_rules(parsed)) == len(_rules(stock)) - 1


@pytest.mark.parametrize("html, css, needed", [
    ("<p>Vorkuta</p>", "", set()),
    ("<ol><li>one</li></ol>", "", {"marker"}),
    ("<UL><LI>one</LI></UL>", "", {"marker"}),
    ("<details><summary>more</summary></details>", "", {"marker"}),
    ('<p style="display: list-item">one</p>', "", {"marker"}),
    ("<style>.x { display: block list-item }</style>", "", {"marker"}),
    ("<style>aside { float: footnote }</style>", "", {"footnote"}),
    ("<p>Vorkuta</p>", "aside { float: footnote }", {"footnote"}),
    ("<style>aside { position: note() }</style>", "", {"note"}),
    ('<p class="fallback-notice">notice</p>', "", set()),
    ('<link rel="stylesheet" href="more.css">', "", {"marker", "footnote", "note"}),
    ("<style>@import url(more.css);</style>", "", {"marker", "footnote", "note"}),
])
def test_a_document_keeps_the_rules_of_every_pseudo_element_it_may_have(html, css, needed):
    assert printing.unused_pseudo_kinds(html, css) == {"marker", "footnote", "note"} - needed


def _styled_pseudo(monkeypatch, html: str, templates) -> set:
    """The pseudo-elements WeasyPrint computes a style for while printing ``html``."""
    from weasyprint import css as wp_css
    seen, compute = set(), wp_css.StyleFor.set_computed_styles

    def counting(self, element, parent, root=None, pseudo_type=None, *args, **kwargs):
        seen.add(pseudo_type)
        return compute(self, element, parent, root, pseudo_type, *args, **kwargs)
    monkeypatch.setattr(wp_css.StyleFor, "set_computed_styles", counting)
    printing._LAID_OUT.clear()
    printing.html_to_pdf(html, templates, "t", keep=False)
    monkeypatch.undo()
    return seen - {None}


def _stock_and_pared(monkeypatch, html: str, templates) -> tuple[bytes, bytes]:
    printing._LAID_OUT.clear()
    pared = printing.html_to_pdf(html, templates, "t", keep=False).pdf
    monkeypatch.setattr(printing, "ua_stylesheet", lambda kinds: None)
    stock = printing.html_to_pdf(html, templates, "t", keep=False).pdf
    monkeypatch.undo()
    return stock, pared


def _product_page(ws, memorial, product: str, locales: tuple[str, ...]) -> str:
    from memorial_kit.jobs import Job, render_job
    from memorial_kit.render import Renderer
    job = Job(memorial.slug, product, locales)
    return render_job(ws, memorial, job, Renderer(ws.templates), switcher=False).html


@pytest.mark.parametrize("product, locales", [
    ("labels", ("lt", "en")), ("plaque", ("lt",)), ("leaflet", ("ru",))])
def test_each_product_prints_the_same_bytes_with_the_pared_sheet(monkeypatch, prepared,
                                                                 product, locales):
    from memorial_kit.workspace import Workspace
    ws = Workspace(prepared)
    html = _product_page(ws, ws.memorial("vorkuta-uprising"), product, locales)
    lists = {"marker"} if re.search(r"<li\b", html) else set()     # the leaflet's sources
    assert _styled_pseudo(monkeypatch, html, ws.templates) & set(EVERY_ELEMENTS_PSEUDO) == lists
    stock, pared = _stock_and_pared(monkeypatch, html, ws.templates)
    assert stock == pared


def test_a_right_to_left_label_sheet_prints_the_same_bytes_with_the_pared_sheet(
        monkeypatch, scripts_memorial):
    ws, memorial = scripts_memorial
    html = _product_page(ws, memorial, "labels", memorial.label_pairs[0])
    assert 'dir="rtl"' in html
    stock, pared = _stock_and_pared(monkeypatch, html, ws.templates)
    assert stock == pared


LISTS_AND_NOTES = """<!DOCTYPE html><html lang="en"><head><title>t</title><style>
aside { float: footnote }  .n { position: note() }</style></head>
<body><ol style="list-style-type: lower-alpha; text-transform: uppercase">
<li>Mine 29</li><li>Mine 7</li></ol>
<p>The strike<aside>Rechlag, July 1953.</aside> ended on 1 August.<span class="n">See
the article.</span></p></body></html>"""


def test_a_document_with_lists_footnotes_and_notes_keeps_their_styles(monkeypatch, workspace):
    templates = workspace / "templates"
    assert _styled_pseudo(monkeypatch, LISTS_AND_NOTES, templates) >= set(EVERY_ELEMENTS_PSEUDO)
    stock, kept = _stock_and_pared(monkeypatch, LISTS_AND_NOTES, templates)
    assert kept == stock
    # the rules matter: without the marker's, a list's "a." prints as "A."; without the
    # footnote's, WeasyPrint cannot print the document at all
    lists = LISTS_AND_NOTES.replace("aside { float: footnote }  .n { position: note() }", "")
    stock_list, _ = _stock_and_pared(monkeypatch, lists, templates)
    monkeypatch.setattr(printing, "unused_pseudo_kinds",
                        lambda *texts: frozenset({"marker", "footnote", "note"}))
    printing._LAID_OUT.clear()
    assert printing.html_to_pdf(lists, templates, "t", keep=False).pdf != stock_list
    with pytest.raises(printing.RenderError, match="WeasyPrint failed"):
        printing.html_to_pdf(LISTS_AND_NOTES, templates, "t", keep=False)


# --------------------------------------------------------------------------
# Author stylesheets kept between the kit's documents
# --------------------------------------------------------------------------
def _styled(*sheets: str, body: str = "<p>Vorkuta</p>") -> str:
    styles = "".join(f"<style>{sheet}</style>" for sheet in sheets)
    return (f'<!DOCTYPE html><html lang="en"><head><title>t</title>{styles}</head>'
            f"<body>{body}</body></html>")


@pytest.fixture
def parsed(monkeypatch):
    """The texts WeasyPrint parses as stylesheets from now on, no sheet kept before."""
    import weasyprint
    texts, parse = [], weasyprint.CSS

    def counting(*args, **kwargs):
        texts.append(kwargs.get("string"))
        return parse(*args, **kwargs)
    monkeypatch.setattr(weasyprint, "CSS", counting)
    printing._PARSED_SHEETS.clear()
    printing._LAID_OUT.clear()
    yield texts
    printing._PARSED_SHEETS.clear()


def test_the_products_parse_fonts_and_print_css_once_and_print_the_same_bytes(parsed, prepared):
    from memorial_kit.workspace import Workspace
    ws = Workspace(prepared)
    memorial = ws.memorial("vorkuta-uprising")
    pages = [_product_page(ws, memorial, product, locales) for product, locales in
             [("labels", ("lt", "en")), ("plaque", ("ru",)), ("leaflet", ("lt",))]]
    kept = [printing.html_to_pdf(page, ws.templates, "t", keep=False).pdf for page in pages]
    fonts_css = (ws.templates / "fonts.css").read_text(encoding="utf-8")
    assert len(parsed) >= 3 * 4 - 4      # four sheets a page; the kept ones parsed once
    assert sum(fonts_css.strip() in (text or "") for text in parsed) == 1
    assert sum(".sheet:last-child" in (text or "") for text in parsed) == 1     # print.css
    fresh = []
    for page in pages:
        printing._PARSED_SHEETS.clear()
        fresh.append(printing.html_to_pdf(page, ws.templates, "t", keep=False).pdf)
    assert kept == fresh


# "State": a sheet that takes part of the document's state (here a counter style) is
# parsed for each document, as WeasyPrint does, with the document's list of @page rules.
STATE = "@counter-style star { system: cyclic; symbols: '*'; suffix: ' ' } "
A5, A6 = (148.0, 210.0), (105.0, 148.0)


@pytest.mark.parametrize("sheets, size", [
    (("@page { size: A5 }", STATE + "@page { size: A6 }"), A6),
    ((STATE + "@page { size: A6 }", "@page { size: A5 }"), A5),
    (("@page { size: A5 }", STATE + "@page { size: A6 }", "@page { margin: 1cm }"), A6),
    (("@page { size: A5 }", STATE, "@page { size: A6 }"), A6),
    ((STATE + "@page { size: A6 }", "@page { size: A5 }", STATE), A5),
    ((STATE + "@page :first { size: A6 }", "@page { size: A5 }"), A6),  # specificity first
])
def test_kept_sheets_keep_the_order_of_the_page_rules(parsed, workspace, sheets, size):
    templates = workspace / "templates"
    html = _styled(*sheets)
    sizes = [printing.html_to_pdf(html, templates, "t", keep=False).page_size_mm
             for _ in range(2)]             # the second with the kept sheets
    assert sizes == [size, size]
    kept = [sheet for sheet in sheets if STATE not in sheet]
    assert all(parsed.count(sheet) == 1 for sheet in kept)
    assert all(parsed.count(sheet) == 2 for sheet in sheets if STATE in sheet)


def test_a_sheet_sharing_the_documents_state_is_parsed_for_each_document(parsed, workspace):
    templates = workspace / "templates"
    lists = _styled(STATE + "ol { list-style-type: star }",
                    body="<ol><li>Mine 29</li><li>Mine 7</li></ol>")
    imports = _styled("@import url(fonts.css); p { font-family: 'DejaVu Serif' }")
    for html in (lists, imports):
        pdfs = {printing.html_to_pdf(html, templates, "t", keep=False).pdf for _ in range(2)}
        assert len(pdfs) == 1
    assert not printing._PARSED_SHEETS
    assert len(parsed) >= 4


def test_a_refused_fetch_fails_every_document_not_only_the_first(parsed, workspace):
    templates = workspace / "templates"
    html = _styled("@font-face { font-family: Far; src: url(https://example.org/far.ttf) }"
                   " p { font-family: Far }")
    for _ in range(2):
        with pytest.raises(printing.RenderError, match="refused to fetch https://example.org"):
            printing.html_to_pdf(html, templates, "t", keep=False)
    assert not printing._PARSED_SHEETS


def test_an_error_logged_while_parsing_keeps_the_sheet_out(parsed, workspace, monkeypatch):
    import weasyprint
    templates = workspace / "templates"
    parse = weasyprint.CSS

    def logging_an_error(*args, **kwargs):
        logging.getLogger("weasyprint").error("a font could not be loaded")
        return parse(*args, **kwargs)
    monkeypatch.setattr(weasyprint, "CSS", logging_an_error)
    printing.html_to_pdf(_styled("p { color: #333 }"), templates, "t", keep=False)
    assert not printing._PARSED_SHEETS
    monkeypatch.setattr(weasyprint, "CSS", parse)
    printing.html_to_pdf(_styled("p { color: #333 }"), templates, "t", keep=False)
    assert len(printing._PARSED_SHEETS) == 1


def test_other_documents_parse_their_sheets_as_weasyprint_does(parsed):
    import weasyprint
    html = _styled("p { color: #333 }")
    for _ in range(2):
        weasyprint.HTML(string=html).render()
    assert parsed.count("p { color: #333 }") == 2
    assert not printing._PARSED_SHEETS


# --------------------------------------------------------------------------
# C arrays whose type is parsed once
# --------------------------------------------------------------------------
def test_the_kits_arrays_are_made_from_their_items_and_print_the_same_bytes(monkeypatch,
                                                                            workspace):
    from weasyprint.pdf import fonts as wp_fonts
    from weasyprint.text.ffi import ffi
    assert isinstance(wp_fonts.ffi, printing.ArraysFromItems) and wp_fonts.ffi.unsized is ffi
    templates, asked = workspace / "templates", []

    class Recording:
        def __getattr__(self, name):
            return getattr(ffi, name)

        def new(self, cdecl, init=None):
            asked.append(cdecl)
            return ffi.new(cdecl, init)
    monkeypatch.setattr(wp_fonts, "ffi", printing.ArraysFromItems(Recording()))
    pages = [_styled(body=f"<p>{text}</p>")
             for text in ("Vorkuta", "Mine 29 “Yurshor”: the strike ended on 1 August 1953")]
    printing._LAID_OUT.clear()
    made = [printing.html_to_pdf(page, templates, "t", keep=False).pdf for page in pages]
    assert asked.count("hb_codepoint_t[]") >= 2 * len(pages)    # each font's glyphs, twice
    assert [cdecl for cdecl in asked if re.fullmatch(r"hb_codepoint_t\[\d+\]", cdecl)] == []
    monkeypatch.setattr(wp_fonts, "ffi", ffi)        # cffi's own: each length a type of its own
    printing._LAID_OUT.clear()
    assert [printing.html_to_pdf(page, templates, "t", keep=False).pdf for page in pages] == made


def test_an_array_is_made_as_asked_unless_the_kit_prints_and_its_items_fill_it():
    from weasyprint.text.ffi import ffi
    asked = []
    new = printing.ArraysFromItems(
        type("Asked", (), {"new": lambda self, cdecl, init=None: asked.append(cdecl)})()).new
    new("hb_codepoint_t[3]", [1, 2, 3])                 # not while the kit prints
    printing_now = printing._PRINTING.set(True)
    try:
        new("hb_codepoint_t[3]", (7, 8, 9))
        new("unsigned int [2]", [1, 2])
        new("hb_codepoint_t[4]", [1, 2, 3])             # fewer items: the rest are zero
        new("hb_tag_t[100]")
        new("hb_codepoint_t[3]", iter([1, 2, 3]))
        new("char[]", b"Vorkuta")
        new("hb_codepoint_t *", [1])
    finally:
        printing._PRINTING.reset(printing_now)
    assert asked == ["hb_codepoint_t[3]", "hb_codepoint_t[]", "unsigned int[]",
                     "hb_codepoint_t[4]", "hb_tag_t[100]", "hb_codepoint_t[3]", "char[]",
                     "hb_codepoint_t *"]
    sized, unsized = ffi.new("hb_codepoint_t[3]", [5, 6, 7]), ffi.new(
        "hb_codepoint_t[]", [5, 6, 7])
    assert list(sized) == list(unsized) == [5, 6, 7]
    assert ffi.sizeof(sized) == ffi.sizeof(unsized) == 3 * ffi.sizeof("hb_codepoint_t")
    empty = ffi.new("hb_codepoint_t[]", [])
    assert len(empty) == 0 and ffi.sizeof(empty) == 0
    assert "new" not in vars(ffi)                      # WeasyPrint's instance, as it was
