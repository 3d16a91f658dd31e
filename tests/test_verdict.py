"""One verdict: whatever `check` reports as an error is never printed.

Each error kind is injected into a copy of the shipped catalogs; `check` must report it
with its code, file and line, and `build` must refuse exactly the products that print
that message (exit 1, the finding's line in its output) and leave their files in dist/
as they were.  A property test: for generated catalog edits, build prints a product if
and only if check's coverage says it can ship.
"""
import contextlib
import html.parser
import io
import re
import shutil
import subprocess
import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from memorial_kit import po
from memorial_kit.checks import run_checks
from memorial_kit.cli import main
from memorial_kit.workspace import Workspace

from conftest import copy_workspace, run_kit, snapshot

DOMAIN = "vorkuta-uprising"


def catalog(locale: str, domain: str = DOMAIN) -> str:
    return f"locales/{locale}/LC_MESSAGES/{domain}.po"


def job(product: str, locales: str) -> str:
    return f"{DOMAIN}/{product}/{locales}"


EVERY_JOB = {job("leaflet", c) for c in ("en", "lt", "ru", "la")} | {
    job("plaque", c) for c in ("en", "lt", "ru", "la")} | {job("labels", "ru-en"),
                                                           job("labels", "lt-en")}


@pytest.fixture(scope="module")
def built_root(tmp_path_factory):
    """The shipped edition, built as HTML (every product; the Latin leaflet is skipped)."""
    root = copy_workspace(tmp_path_factory.mktemp("verdict") / "ws")
    assert main(["--root", str(root), "-q", "build", "--format", "html", "--serial"]) == 0
    return root


@pytest.fixture
def root(built_root, tmp_path):
    target = tmp_path / "ws"
    shutil.copytree(built_root, target)
    return target


def edit(root, path, msgctxt, msgid_start, change, fuzzy=None):
    """Change one entry's msgstr (every form) with ``change``; return (line, msgctxt, msgid)."""
    full = root / path
    parsed = po.read_po(full.read_bytes(), path)
    entry = next(e for e in parsed.entries if e.msgctxt == msgctxt and not e.obsolete
                 and e.msgid.startswith(msgid_start))
    if entry.msgid_plural is not None:
        entry.msgstr_plural = [change(form) for form in entry.msgstr_plural]
    else:
        entry.msgstr = change(entry.msgstr)
    if fuzzy:
        entry.flags = list(entry.flags) + ["fuzzy"]
    full.write_bytes(po.write_po(parsed))
    again = po.read_po(full.read_bytes(), path).get(entry.msgctxt, entry.msgid)
    return again.line, entry.msgctxt, entry.msgid


def build(root, *args) -> tuple[int, str, dict]:
    """build --format html, serial, in this process: (exit code, output, job -> status)."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(["--root", str(root), "build", "--format", "html", "--serial", *args])
    text = buffer.getvalue()
    return code, text, {name: status for status, name in
                        re.findall(r"^(built|unchanged|skipped|failed)\s+(\S+): ", text, re.M)}


def outputs(root, job_name: str) -> dict:
    memorial, product, locales = job_name.split("/")
    if product == "labels":
        files = [root / "dist" / memorial / "labels" / f"{locales}.html"]
    else:
        files = [root / "dist" / memorial / locales / f"{product}.html"]
    return {str(p): p.read_bytes() for p in files if p.exists()}


# Each error kind: (where and how it is injected, the code, the jobs that print it).
CASES = {
    "format-python": (catalog("lt", "memorial-kit"), None, "Text: “",
                      lambda s: s.replace(", %(url)s", ""), {job("leaflet", "lt"),
                                                            job("plaque", "lt")}),
    "format-python-plural": (catalog("lt", "memorial-kit"), None, "%(num)s person",
                             lambda s: s.replace("%(num)s ", ""), {job("leaflet", "lt")}),
    "format-brace": (catalog("lt"), "label: rechlag, text", "Rechlag",
                     lambda s: s.replace("{year_1946}", "1946"), {job("labels", "lt-en")}),
    "whitespace": (catalog("ru"), None, "The uprising, initially", lambda s: s + "\n",
                   {job("leaflet", "ru")}),
    "inscription-changed": (catalog("lt"), "inscription: yurshor, back face", "Fatherland",
                            lambda s: s.replace("ė", "e"), EVERY_JOB),
    "inscription-missing": (catalog("lt"), "inscription: yurshor, front face", "Fatherland",
                            lambda s: s, {job("leaflet", "lt"), job("plaque", "lt"),
                                          job("labels", "lt-en")}),
    "number-changed": (catalog("ru"), None, "On 31 July", lambda s: s.replace("135", "35"),
                       {job("leaflet", "ru")}),
    "number-added": (catalog("lt"), "label: noble, text", "A notable",
                     lambda s: s + " 1954", {job("labels", "lt-en")}),
    "markup": (catalog("lt", "memorial-kit"), None, "Facts", lambda s: f"<b>{s}</b>",
               {job("leaflet", "lt")}),
    "glyph-missing": (catalog("ru"), "label: noble, title", "John", lambda s: s + " \U00013000",
                      {job("labels", "ru-en")}),
    "date-changed": (catalog("ru"), None, "On 31 July", lambda s: s.replace("31 июля", "31 июня"),
                     {job("leaflet", "ru")}),
    "inscription-quoted": (catalog("ru"), None, "In Yurshor",
                           lambda s: s.replace("Lietuva verkia", "Lietuva verkja"),
                           {job("leaflet", "ru")}),
    "omission-length": (catalog("lt"), None, "The uprising, initially",
                        lambda s: s[:len(s) // 3], {job("leaflet", "lt")}),
    "invisible-character": (catalog("ru"), "label: noble, title", "John",
                            lambda s: "\u202e" + s + "\u202c", {job("labels", "ru-en")}),
    "max-length": (catalog("ru"), "label: mendriks, text", "A Latvian", lambda s: s * 70,
                   {job("labels", "ru-en")}),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_error_is_reported_where_it_is_and_stops_exactly_its_products(root, name):
    path, msgctxt, start, change, refused = CASES[name]
    code = name.removesuffix("-plural")
    line, ctxt, msgid = edit(root, path, msgctxt, start, change,
                             fuzzy=(name == "inscription-missing"))
    locale = path.split("/")[1]
    findings = run_checks(Workspace(root), [locale], render=False)
    hits = [f for f in findings if f.code == code and f.severity == "error"]
    assert [(f.path, f.line, f.msgctxt, f.msgid) for f in hits][:1] == [(path, line, ctxt, msgid)], \
        [f.lines() for f in findings if f.severity == "error"]
    before = {name_: outputs(root, name_) for name_ in refused}
    exit_code, text, statuses = build(root)
    assert exit_code == 1, text
    # the Latin leaflet is never printed: it lacks translations (and may print the error)
    skipped = {n for n, s in statuses.items() if s == "skipped"}
    assert skipped == refused | {job("leaflet", "la")}, text
    for name_ in refused:
        assert outputs(root, name_) == before[name_]       # the good edition stays
    assert {n for n, s in statuses.items() if s in ("built", "unchanged")} == EVERY_JOB - skipped
    assert re.search(rf"^{re.escape(path)}:{line}: error: \[{code}\] ", text, re.M), text


def test_a_catalog_wide_error_stops_every_product_of_that_catalog(root):
    path = root / catalog("lt")
    path.write_text(path.read_text("utf-8").replace(
        '"Content-Type: text/plain; charset=UTF-8\\n"\n', ""), "utf-8")
    findings = run_checks(Workspace(root), ["lt"], render=False)
    header = [f for f in findings if f.code == "header-missing"]
    line = po.read_po(path.read_bytes(), "x").header.line
    assert [(f.path, f.line, f.severity) for f in header] == [(catalog("lt"), line, "error")]
    exit_code, text, statuses = build(root)
    assert exit_code == 1
    assert {n for n, s in statuses.items() if s == "skipped"} == {
        job("leaflet", "lt"), job("plaque", "lt"), job("labels", "lt-en"), job("leaflet", "la")}


def test_a_refusal_is_reported_again_by_a_rebuild_that_changes_nothing(root):
    edit(root, catalog("ru"), None, "On 31 July", lambda s: s.replace("135", "35"))
    first = build(root, "--locale", "ru")
    again = build(root, "--locale", "ru")
    assert first[0] == again[0] == 1
    assert "[number-changed]" in again[1] and again[2][job("leaflet", "ru")] == "skipped"


def test_with_fallback_an_erroneous_message_is_printed_in_the_source_language(root):
    edit(root, catalog("lt", "memorial-kit"), None, "Facts", lambda s: f"<b>{s}</b>")
    exit_code, text, statuses = build(root, "--locale", "lt", "--allow-fallback")
    assert exit_code == 0 and statuses[job("leaflet", "lt")] == "built"
    assert "fallback to English: lt/memorial-kit: Facts (held back: it has errors)" in text
    page = (root / "dist" / DOMAIN / "lt" / "leaflet.html").read_text("utf-8")
    assert '<h2><span lang="en" class="fallback">Facts</span></h2>' in page
    assert 'aria-label="Facts"' in page and "Faktai" not in page
    assert 'class="fallback-notice" lang="en"' in page


# --------------------------------------------------------------------------
# Property: build prints a product iff check's coverage says it can ship
# --------------------------------------------------------------------------
def _entries(locale: str, domain: str) -> list[tuple]:
    from conftest import ROOT
    parsed = po.read_po((ROOT / catalog(locale, domain)).read_bytes(), "x")
    return [(locale, domain, e.msgctxt, e.msgid) for e in parsed.entries
            if e.translated and not e.obsolete and e.msgid]


ENTRIES = _entries("lt", DOMAIN) + _entries("lt", "memorial-kit") + _entries("ru", DOMAIN)
MUTATIONS = {
    "nothing": lambda s: s,
    "a digit changed": lambda s: re.sub(r"\d", lambda m: str((int(m.group()) + 1) % 10), s, count=1),
    "a placeholder dropped": lambda s: re.sub(r"%\([a-z_]+\)s|\{[a-z_0-9]+\}", "", s, count=1),
    "markup added": lambda s: s + " <i>x</i>",
    "a bidi override": lambda s: "\u202e" + s,
    "emptied": lambda s: "",
    "cut to a quarter": lambda s: s[:max(1, len(s) // 4)],
}


def _can_ship(findings, locale: str) -> set[str]:
    message = next(f.message for f in findings if f.code == "coverage" and f.locale == locale)
    first = message.split(": ", 1)[1].split("; ")[0]
    return set(first[:-len(" can ship")].split(", ")) if first.endswith(" can ship") else set()


def _printed(statuses: dict, locale: str) -> set[str]:
    out = set()
    for name, status in statuses.items():
        _, product, locales = name.split("/")
        if locale in locales.split("-") and status in ("built", "unchanged"):
            out.add(product if product != "labels" else f"labels {locales}")
    return out


@settings(max_examples=6, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=st.sampled_from(ENTRIES), mutation=st.sampled_from(sorted(MUTATIONS)))
@example(target=next(e for e in ENTRIES if e[0] == "ru" and re.search(r"\d", e[3])),
         mutation="a digit changed")
@example(target=next(e for e in ENTRIES if e[1] == "memorial-kit" and "%(" in e[3]),
         mutation="a placeholder dropped")
@example(target=next(e for e in ENTRIES if e[1] == "memorial-kit"), mutation="emptied")
def test_build_prints_a_product_iff_check_says_it_can_ship(built_root, tmp_path_factory,
                                                           target, mutation):
    root = tmp_path_factory.mktemp("property") / "ws"
    shutil.copytree(built_root, root)
    locale, domain, msgctxt, msgid = target
    edit(root, catalog(locale, domain), msgctxt, msgid, MUTATIONS[mutation])
    findings = run_checks(Workspace(root), [locale], render=False)
    exit_code, text, statuses = build(root, "--locale", locale)
    assert _printed(statuses, locale) == _can_ship(findings, locale), text
    errors = [f for f in findings if f.severity == "error"]
    refused = [n for n, s in statuses.items() if s == "skipped"]
    assert (exit_code == 1) == bool(errors and refused), text


# --------------------------------------------------------------------------
# Fallback editions: no markup as text anywhere, and marked as such
# --------------------------------------------------------------------------
class _Attributes(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values, self.styles, self._in_style = [], [], False

    def handle_starttag(self, tag, attrs):
        self.values += [value or "" for _, value in attrs]
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def test_fallback_editions_print_no_markup_as_text_and_are_marked(root):
    edit(root, catalog("lt", "memorial-kit"), None, "Facts", lambda s: f"<b>{s}</b>")
    edit(root, catalog("ru", "memorial-kit"), None, "Page %(page)s",
         lambda s: s.replace("%(pages)s", ""))
    result = run_kit(root, "build", "--format", "html,pdf", "--allow-fallback")
    assert result.returncode == 0, result.stdout + result.stderr
    pdfs = sorted((root / "dist").rglob("*.pdf"))       # the press and archive editions too
    products = [p for p in pdfs if "press" not in p.parts and not p.name.endswith(".archive.pdf")]
    pages = sorted(p for p in (root / "dist").rglob("*.html") if p.name != "index.html")
    assert len(products) == len(EVERY_JOB) == len(pages)
    for pdf in pdfs:
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        for bad in ("<", "&lt;", '">'):
            assert bad not in text, (pdf, bad)
    for page in pages:
        parsed = _Attributes()
        parsed.feed(page.read_text("utf-8"))
        for value in parsed.values:
            assert not any(bad in value for bad in ("<", "&lt;", '">')), (page, value)
        for css in parsed.styles:
            for content in re.findall(r"content:([^;]*);", css):
                assert "<" not in content and "\\3c" not in content, (page, content)
    footer = subprocess.run(["pdftotext", str(root / "dist" / DOMAIN / "ru" / "leaflet.pdf"), "-"],
                            capture_output=True, text=True, check=True).stdout
    assert "Page 1 of " in footer and "Incomplete edition: 1 passage in English" in footer
    index = (root / "dist" / "index.html").read_text("utf-8")
    marked = re.findall(r'href="(vorkuta-uprising/[^"]+\.html)"[^\n]*class="fallback-edition"', index)
    assert {m.split("/")[1] + "/" + m.split("/")[2] for m in marked} >= {
        "lt/leaflet.html", "ru/leaflet.html", "la/leaflet.html"}
    assert "en/leaflet.html" not in " ".join(marked)
    la = (root / "dist" / DOMAIN / "la" / "leaflet.html").read_text("utf-8")
    assert '<p class="fallback-notice" lang="en">Incomplete edition:' in la
    assert unicodedata.normalize("NFC", la) == la


def test_a_catalog_that_cannot_load_stops_the_build_before_anything_is_written(root):
    # msgstr[n] forms that do not match Plural-Forms: check's error, and gettext cannot load it
    path = root / catalog("lt", "memorial-kit")
    parsed = po.read_po(path.read_bytes(), "x")
    entry = next(e for e in parsed.entries if e.msgid_plural)
    entry.msgstr_plural = entry.msgstr_plural[:2]
    path.write_bytes(po.write_po(parsed))
    line = po.read_po(path.read_bytes(), "x").get(entry.msgctxt, entry.msgid).line
    findings = run_checks(Workspace(root), ["lt"], render=False)
    assert [(f.path, f.line) for f in findings if f.code == "plural-forms"] \
        == [(catalog("lt", "memorial-kit"), line)]
    before = snapshot(root / "dist")
    exit_code, text, _ = build(root)
    assert exit_code == 2 and snapshot(root / "dist") == before


def test_a_missing_catalog_is_an_error_and_its_products_are_not_built(root):
    (root / catalog("ru", "memorial-kit")).unlink()
    findings = run_checks(Workspace(root), render=False)
    missing = [f for f in findings if f.code == "catalog-missing"]
    assert [(f.path, f.severity) for f in missing] == [(catalog("ru", "memorial-kit"), "error")]
    ru = {n: outputs(root, n) for n in EVERY_JOB if n.endswith(("/ru", "/ru-en"))}
    exit_code, text, statuses = build(root)
    assert exit_code == 1, text
    assert {n for n, s in statuses.items() if s == "failed"} == set(ru), text
    assert {n: outputs(root, n) for n in ru} == ru
