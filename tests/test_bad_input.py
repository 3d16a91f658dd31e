"""Bad input is refused with its file and line, and changes nothing.

Each case of tests/data/bad/ is applied to a copy of a workspace:

* ``po/*.po`` replaces locales/lt/LC_MESSAGES/vorkuta-uprising.po,
* ``manifest/*.toml`` replaces seeds/vorkuta-uprising/memorial.toml,
* ``article/*.txt`` replaces seeds/vorkuta-uprising/article.txt,
* ``template/<case>/*`` is copied into templates/ (adding or replacing files),

then the commands that read it run as a user runs them, each in its own process (what
the user sees is the process's output and exit code, tracebacks included).  Each must exit 2
(a build whose product fails exits 1 and names the template file and line),
print ``path:line: error: message`` as the first line on stderr, a hint where
one helps, and leave every file of the workspace byte for byte as it was.
``tolerated/`` holds inputs that must be read: UTF-8 BOMs and CRLF line ends.

The workspace is built once per session from seeds/ and templates/ (extract,
init lt ru la, every message "translated" by copying the source text, carved
inscriptions copied from the manifest, compile), so the cases do not depend
on the state of the shipped locales/.
"""
from __future__ import annotations

import gettext
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import SEED, must_not_hang, run_kit_process, snapshot

DATA = Path(__file__).resolve().parent / "data" / "bad"
PO = "locales/lt/LC_MESSAGES/vorkuta-uprising.po"
MANIFEST = "seeds/vorkuta-uprising/memorial.toml"
ARTICLE = "seeds/vorkuta-uprising/article.txt"
TARGET = {"po": PO, "manifest": MANIFEST, "article": ARTICLE}




def apply_case(root: Path, case: str) -> None:
    kind, name = case.split("/", 1)
    source = DATA / case
    if kind == "template":
        for path in sorted(source.iterdir()):
            shutil.copy(path, root / "templates" / path.name)
    else:
        shutil.copy(source, root / TARGET[kind])


def without_dist(files: dict[str, bytes]) -> dict[str, bytes]:
    return {name: data for name, data in files.items() if not name.startswith("dist/")}


# ------------------------------------------------------------- the cases ---

@dataclass(frozen=True)
class Case:
    case: str                     # path under tests/data/bad/
    commands: tuple               # command lines (tuples of arguments)
    path: str                     # the file the error must name
    line: int | tuple[int, ...]   # its line (a tuple: any of these lines)
    words: str                    # regular expression the message must match
    hint: str | None = None       # regular expression the hint must match

    def __str__(self) -> str:
        return self.case


READ_PO = (("compile",), ("update", "lt"), ("stats", "lt"))
CHECK_PO = (("compile",), ("update", "lt"))
# The header starts on line 2; Plural-Forms is on line 9.  Either names the spot.
HEADER = (2, 9)

CASES = [
    Case("po/unterminated-string.po", READ_PO, PO, 14, r"unterminated string", r'"\.\.\."'),
    Case("po/bad-escape.po", READ_PO, PO, 14, r"invalid escape sequence '\\q'", r"\\n \\t"),
    Case("po/escaped-nul.po", CHECK_PO, PO, 13, r"'\\0' is a NUL byte"),
    Case("po/duplicate-msgid.po", READ_PO, PO, 18,
         r"duplicate msgid 'Vorkuta uprising'; first defined at line 12", r"msgctxt"),
    Case("po/plural-count-mismatch.po", (("compile",),), PO, 15,
         r"2 msgstr\[n\] forms but Plural-Forms says nplurals=3", r"msgstr\[2\]"),
    Case("po/plural-index-out-of-order.po", CHECK_PO, PO, 15, r"msgstr\[2\] where msgstr\[1\]"),
    Case("po/plural-forms-malformed.po", CHECK_PO, PO, HEADER,
         r"is not 'nplurals=N; plural=EXPR;'", r"nplurals=2; plural=\(n != 1\);"),
    Case("po/plural-forms-out-of-range.po", CHECK_PO, PO, HEADER, r"gives 2 for n = 0"),
    Case("po/plural-forms-divides-by-zero.po", CHECK_PO, PO, HEADER, r"divides by zero"),
    Case("po/plural-forms-hostile.po", CHECK_PO, PO, HEADER, r"unknown identifier '__import__'"),
    Case("po/charset-says-latin1-bytes-are-utf8.po", READ_PO, PO, 16,
         r"contradict the declared charset", r"charset=UTF-8"),
    Case("po/charset-says-utf8-bytes-are-latin4.po", READ_PO, PO, 16,
         r"byte 0xb9 is not valid UTF-8", r"charset="),
    Case("po/unknown-charset.po", CHECK_PO, PO, 7, r"unknown charset 'KLINGON-8'", r"UTF-8"),
    Case("po/nul-byte.po", READ_PO, PO, 16, r"NUL byte", r"\.mo"),
    Case("po/huge-plural-index.po", READ_PO, PO, 15, r"is not a plural form index"),
    Case("po/unknown-keyword.po", CHECK_PO, PO, 13, r"unknown keyword 'msgstring'", r"msgid"),
    Case("po/msgstr-without-msgid.po", CHECK_PO, PO, 12, r"msgstr"),
    Case("po/missing-msgstr.po", CHECK_PO, PO, 15, r"without a msgstr", r'msgstr ""'),

    Case("manifest/not-toml.toml", (("extract",), ("build", "--format", "html")), MANIFEST, 6,
         r"not valid TOML"),
    Case("manifest/not-utf8.toml", (("extract",),), MANIFEST, 20, r"not valid UTF-8",
         r"UTF-8"),
    Case("manifest/nul-byte.toml", (("extract",),), MANIFEST, 13, r"NUL byte"),
    Case("manifest/nested-too-deeply.toml", (("extract",),), MANIFEST, 33, r"nested too deeply"),
    Case("manifest/missing-memorial-table.toml", (("extract",),), MANIFEST, 1,
         r"missing \[memorial\] table", r"\[memorial\]"),
    Case("manifest/missing-domain.toml", (("extract",), ("update", "lt")), MANIFEST, 3,
         r"missing required key 'domain' in \[memorial\]", r"domain ="),
    Case("manifest/unknown-locale.toml", (("extract",), ("compile",)), MANIFEST, 7,
         r"'xx' is not a locale code", r"CLDR"),
    Case("manifest/locale-path-traversal.toml", (("extract",),), MANIFEST, 7,
         r"'\.\./\.\./ru' is not a locale code"),
    Case("manifest/source-locale-not-listed.toml", (("extract",),), MANIFEST, (6, 7),
         r"source locale 'de' must be one of the locales"),
    Case("manifest/missing-article.toml",
         (("extract",), ("build", "--locale", "lt", "--format", "html")), MANIFEST, 9,
         r"the article 'artikel.txt' does not exist in seeds/vorkuta-uprising",
         r"next to memorial.toml"),
    Case("manifest/article-outside-folder.toml", (("extract",),), MANIFEST, 9,
         r"must be a file name in the memorial's folder"),
    Case("manifest/inscription-not-in-article.toml", (("extract",),), MANIFEST, 31,
         r"'Tevyne Lietuva verkia' of face 'back' does not occur verbatim",
         r"letter for letter"),
    Case("manifest/inscription-locale-not-listed.toml", (("extract",),), MANIFEST, 31,
         r"carved in 'de', which is not one of the locales", r"memorial.locales"),
    Case("manifest/gloss-not-in-article.toml", (("extract",),), MANIFEST, 30,
         r"gloss .Fatherland Lithuania weeps.", r"gloss_in_article"),
    Case("manifest/duplicate-monument-id.toml", (("extract",),), MANIFEST, 34,
         r"two monuments have the id 'yurshor'"),
    Case("manifest/duplicate-monument-face.toml", (("extract",),), MANIFEST, 28,
         r"two faces of the monument have the id 'front'"),
    Case("manifest/face-not-printed.toml", (("extract",),), MANIFEST, 57,
         r"'north' is not a face the templates print",
         r"front, back, obverse, reverse, left, right, side, top, base, pedestal, plinth"),
    Case("manifest/wrong-type.toml", (("extract",),), MANIFEST, 44,
         r"labels.items.title must be a string, not a whole number"),
    Case("manifest/label-unknown-monument.toml", (("extract",),), MANIFEST, 46,
         r"label 'yurshor' names an unknown monument 'jurshor'"),
    Case("manifest/label-bad-placeholder.toml", (("extract",),), MANIFEST, 39,
         r"'\{strikers.__class__\}' is not a placeholder", r"\{name\}"),
    Case("manifest/label-fact-never-printed.toml", (("extract",),), MANIFEST, 40,
         r"facts \['killed'\] it never prints"),
    Case("manifest/print-size-not-a-size.toml", (("extract",),), MANIFEST, 34,
         r"print.plaque_mm must be \[width, height\]"),

    Case("article/no-title.txt", (("extract",),), ARTICLE, 1, r"must start with its title"),
    Case("article/empty.txt", (("extract",),), ARTICLE, 1, r"the article is empty",
         r"= Title ="),
    Case("article/inscription-missing.txt",
         (("extract",), ("build", "--locale", "lt", "--format", "html")), MANIFEST, 61,
         r"'Tėvynė Lietuva verkia' of face 'back' does not occur verbatim in "
         r"seeds/vorkuta-uprising/article.txt", r"letter for letter"),
    Case("article/duplicate-infobox-key.txt", (("extract",),), ARTICLE, 13,
         r"infobox key 'Place' repeats line 6"),
    Case("article/bad-heading.txt", (("extract",),), ARTICLE, 20, r"'==Heading=='"),
    Case("article/infobox-after-lead.txt", (("extract",),), ARTICLE, 34,
         r"infobox must come right after the title"),
    Case("article/nothing-left-after-cleaning.txt", (("extract",),), ARTICLE, 27,
         r"this paragraph has no text once wiki leftovers are removed", r"delete the line"),
    Case("article/nul-byte.txt", (("extract",),), ARTICLE, 18, r"NUL byte"),
    Case("article/not-utf8.txt", (("extract",),), ARTICLE, 28, r"not valid UTF-8 \(byte 0xe2\)",
         r"UTF-8"),

    Case("template/syntax-error", (("extract",),), "templates/leaflet.html.j2", 7,
         r"template syntax error: unexpected '\}'"),
    Case("template/syntax-error-in-macros", (("extract",),), "templates/macros.html.j2", 8,
         r"template syntax error: .*'endmacro'"),
]

# The manifest in CASES above replaced by a case is tests/data/bad/tolerated/minimal-memorial.toml
# with one change; the shipped one is used for the article cases.


def _first_line_pattern(case: Case) -> re.Pattern:
    lines = case.line if isinstance(case.line, tuple) else (case.line,)
    return re.compile(rf"^{re.escape(case.path)}:(?:{'|'.join(map(str, lines))}): error: ")


@pytest.mark.parametrize("case", CASES, ids=str)
def test_bad_input_is_refused_with_its_place_and_changes_nothing(ws, case):
    apply_case(ws, case.case)
    before = snapshot(ws)
    for command in case.commands:
        result = run_kit_process(ws, *command)
        shown = f"{' '.join(command)}:\n{result.stderr}"
        assert result.returncode == 2, shown
        lines = result.stderr.splitlines()
        assert lines and _first_line_pattern(case).match(lines[0]), shown
        assert re.search(case.words, lines[0]), shown
        assert "Traceback" not in result.stderr, shown
        if case.hint is not None:
            assert len(lines) > 1 and lines[1].startswith("  hint: "), shown
            assert re.search(case.hint, lines[1]), shown
        after = snapshot(ws)
        assert after == before, f"{' '.join(command)} changed " + ", ".join(
            sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k)))


def test_the_corpus_is_all_used():
    """Every file of the corpus is a case of this module (or of test_safety.py)."""
    used = {c.case for c in CASES} | {c.case for c in BUILD_CASES} | {
        "template/external-urls"}
    found = {str(p.relative_to(DATA)) for kind in ("po", "manifest", "article")
             for p in (DATA / kind).iterdir()}
    found |= {str(p.relative_to(DATA)) for p in (DATA / "template").iterdir()}
    assert found == used


def test_hostile_plural_forms_runs_nothing(ws, tmp_path):
    """plural=__import__("os").system("touch /tmp/pwned") is refused, never run."""
    pwned = Path("/tmp/pwned")
    existed = pwned.exists()
    hostile = (DATA / "po" / "plural-forms-hostile.po").read_text("utf-8")
    assert 'system(\\"touch /tmp/pwned\\")' in hostile
    # the same expression, aimed at a file this test owns
    mine = tmp_path / "pwned"
    (ws / PO).write_text(hostile.replace("/tmp/pwned", str(mine)), "utf-8")
    for command in (("compile",), ("update", "lt"), ("stats", "lt"),
                    ("build", "--locale", "lt", "--format", "html", "--product", "leaflet")):
        run_kit_process(ws, *command)
    assert not mine.exists()
    assert pwned.exists() == existed


def test_a_10_mb_line_is_read_as_msgfmt_reads_it(ws):
    """GNU msgfmt reads a 10 MB msgstr line; so does the kit (the bound is the file's size)."""
    header = (DATA / "po" / "plural-count-mismatch.po").read_text("utf-8").split("\n")[:11]
    huge = "Vorkutos sukilimas " * 550_000                       # 10.45 MB
    text = "\n".join(header) + f'\nmsgid "Vorkuta uprising"\nmsgstr "{huge}"\n'
    (ws / PO).write_text(text, "utf-8")
    result = run_kit_process(ws, "stats", "--json")
    assert result.returncode == 0, result.stderr


def test_a_10_mb_plural_forms_header_is_refused_quickly(ws):
    """Spaces after 'nplurals=' made the header pattern backtrack quadratically: 20,000
    took 0.35 s, so 10 MB over continuation lines (each under the line limit) hung."""
    header = (DATA / "po" / "plural-count-mismatch.po").read_text("utf-8").split("\n")[:8]
    spaces = "\n".join(['"' + " " * 500_000 + '"'] * 20)
    text = "\n".join(header) + f'\n"Plural-Forms: nplurals="\n{spaces}\n"2; plural=(n != 1);\\n"\n'
    (ws / PO).write_text(text, "utf-8")
    with must_not_hang():
        result = run_kit_process(ws, "compile")
    assert result.returncode == 2, result.stderr
    assert re.match(rf"^{re.escape(PO)}:(2|9): error: Plural-Forms is \d+ characters long",
                    result.stderr), result.stderr


# ---------------------------------------------------------------- builds ---

@dataclass(frozen=True)
class BuildCase:
    case: str
    path: str
    line: int
    words: str

    def __str__(self) -> str:
        return self.case


BUILD_CASES = [
    BuildCase("template/syntax-error", "templates/leaflet.html.j2", 7,
              r"template syntax error: unexpected '\}'"),
    BuildCase("template/syntax-error-in-macros", "templates/macros.html.j2", 8,
              r"template syntax error"),
    BuildCase("template/unknown-variable", "templates/leaflet.html.j2", 9,
              r"unknown variable: 'curator_note' is undefined"),
    BuildCase("template/unknown-variable-in-macro", "templates/macros.html.j2", 4,
              r"unknown variable: .*'editor'"),
    BuildCase("template/unsafe-attribute", "templates/leaflet.html.j2", 5,
              r"unsafe template operation: .*'__globals__'"),
]


@pytest.mark.parametrize("case", BUILD_CASES, ids=str)
def test_template_faults_fail_the_product_naming_file_and_line(ws, case):
    apply_case(ws, case.case)
    before = snapshot(ws)
    result = run_kit_process(ws, "build", "--locale", "lt", "--format", "html", "--product", "leaflet")
    assert result.returncode == 1, result.stdout + result.stderr
    failed = [line for line in result.stdout.splitlines() if line.startswith("failed")]
    assert len(failed) == 1, result.stdout
    assert re.match(rf"^failed +vorkuta-uprising/leaflet/lt: {re.escape(case.path)}:"
                    rf"{case.line}: {case.words}", failed[0]), failed[0]
    assert "Traceback" not in result.stdout + result.stderr
    after = snapshot(ws)
    assert without_dist(after) == without_dist(before)
    assert not (ws / "dist" / "vorkuta-uprising" / "lt" / "leaflet.html").exists()


# --------------------------------------------------- what must be read ---

def test_po_with_bom_and_crlf_is_read(ws):
    from memorial_kit.po import read_po
    raw = (DATA / "tolerated" / "good-bom-crlf.po").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    plain = raw[3:].replace(b"\r\n", b"\n")
    assert read_po(raw).entries == read_po(plain).entries
    assert read_po(raw).header.msgstr == read_po(plain).header.msgstr
    (ws / PO).write_bytes(raw)
    for command in (("compile",), ("stats", "lt")):
        result = run_kit_process(ws, *command)
        assert result.returncode == 0, result.stderr
    with open(ws / PO.replace(".po", ".mo"), "rb") as handle:
        translations = gettext.GNUTranslations(handle)
    assert translations.gettext("Vorkuta uprising") == "Vorkutos sukilimas"
    assert translations.gettext("Background") == "Priešistorė"
    result = run_kit_process(ws, "update", "lt")
    assert result.returncode == 0, result.stderr
    merged = read_po((ws / PO).read_bytes())
    assert merged.get(None, "Background").msgstr == "Priešistorė"


@pytest.mark.parametrize("target, plain, tolerated", [
    (ARTICLE, None, "article-bom-crlf.txt"),
    (MANIFEST, "minimal-memorial.toml", "memorial-bom-crlf.toml"),
])
def test_bom_and_crlf_are_read_as_the_plain_file(ws, target, plain, tolerated):
    """The article and the manifest with a UTF-8 BOM and CRLF line ends (as Windows
    editors save them) give the very template their plain versions give."""
    if plain:
        shutil.copy(DATA / "tolerated" / plain, ws / target)
    result = run_kit_process(ws, "extract")
    assert result.returncode == 0, result.stderr
    pot = (ws / "locales" / "vorkuta-uprising.pot").read_bytes()
    raw = (DATA / "tolerated" / tolerated).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    (ws / target).write_bytes(raw)
    result = run_kit_process(ws, "extract")
    assert result.returncode == 0, result.stderr
    assert (ws / "locales" / "vorkuta-uprising.pot").read_bytes() == pot


@pytest.mark.parametrize("text", [
    "= Title" + " " * 1_000_000 + "x",
    "= T =\n\n==Heading" + " " * 1_000_000 + "x",
    "= T =\n\n- item" + " " * 1_000_000 + "x",
    "= T =\n\nInfobox\n- Key" + " " * 1_000_000 + "x",
    "= T =\n\n" + "1," * 500_000,
    "= T =\n\nInfobox\n- Casualties2: " + "1," * 500_000 + "\n\n57 killed",
    "= T =\n\nInfobox\n- Casualties2: 5 killed\n\n" + "1" * 5000 + " killed",
], ids=["title", "heading", "item", "infobox", "commas", "infobox-commas", "5000-digits"])
def test_a_megabyte_article_line_is_parsed_in_linear_time(text):
    """The line patterns once took time quadratic in a run of spaces or of '1,'
    (an hour for a megabyte); a 5000-digit count crashed int()."""
    from memorial_kit.article import parse_article
    from memorial_kit.errors import SourceError
    with must_not_hang():
        try:
            parse_article(text, "big.txt")
        except SourceError:
            pass


@pytest.mark.parametrize("data", [
    b"# File:" + b" " * 200_000 + b"x\nmsgid \"a\"\nmsgstr \"b\"\n",
    b"# File: x.c, line:" + b"9" * 5000 + b"\nmsgid \"a\"\nmsgstr \"b\"\n",
    b"#: file.c:" + b"9" * 5000 + b"\nmsgid \"a\"\nmsgstr \"b\"\n",
    b"#: file.c: " + b"9" * 5000 + b"\nmsgid \"a\"\nmsgstr \"b\"\n",
    b"#, range: 1.." + b"9" * 5000 + b"\nmsgid \"a\"\nmsgstr \"b\"\n",
], ids=["solaris-spaces", "solaris-digits", "reference-digits", "reference-digits-2",
        "range-digits"])
def test_po_comments_with_huge_runs_are_read_quickly(data):
    """'# File:' and spaces took cubic time (4000 spaces: 12 s); 5000-digit line
    numbers and ranges crashed int() with ValueError."""
    from memorial_kit.po import read_po, write_po
    with must_not_hang():
        po = read_po(data, "huge.po")
        assert po.entries[0].msgstr == "b"
        write_po(po)


def test_a_manifest_of_20000_labels_loads_in_linear_time(tmp_path):
    """Finding each label's line once rescanned (and copied) the file from the top."""
    from memorial_kit.manifest import load_memorial
    folder = tmp_path / "seeds" / "vorkuta-uprising"
    folder.mkdir(parents=True)
    shutil.copy(SEED, folder / "article.txt")
    labels = "".join(f'\n[[labels.items]]\nid = "l{i}"\ntitle = "Label {i}"\ntext = "Text {i}."\n'
                     for i in range(20000))
    (folder / "memorial.toml").write_text(
        (DATA / "tolerated" / "minimal-memorial.toml").read_text("utf-8") + labels, "utf-8")
    with must_not_hang():
        memorial = load_memorial(folder, tmp_path)
    assert len(memorial.labels) == 20002
    lines = (folder / "memorial.toml").read_text("utf-8").split("\n")
    assert lines[memorial.labels[-1].line - 1] == 'id = "l19999"'


def test_backslash_newline_continues_a_line_as_in_gnu_gettext():
    """GNU's lexer drops every backslash-newline, however many follow each other."""
    from memorial_kit.po import read_po
    data = b'msgid "a"\nmsgstr "b\\\nc\\\r\nd"\n\nmsgid "x"\nmsgstr "y"\n'
    po = read_po(data, "continued.po")
    assert [(e.msgid, e.msgstr, e.line) for e in po.entries] == [("a", "bcd", 1), ("x", "y", 6)]
    if shutil.which("msgcat"):
        import subprocess
        out = subprocess.run(["msgcat", "-"], input=data.replace(b"\r", b""),
                             capture_output=True, check=True).stdout
        assert b'msgstr "bcd"' in out


# ------------------------------------------------ compile is all or nothing ---

def test_failed_compile_writes_no_mo_file(ws):
    """A bad catalog stops compile before any .mo is written, those of good ones included."""
    for mo in ws.rglob("*.mo"):
        mo.unlink()
    shutil.copy(DATA / "po" / "bad-escape.po", ws / PO)
    before = snapshot(ws)
    result = run_kit_process(ws, "compile")
    assert result.returncode == 2
    assert snapshot(ws) == before, sorted(set(snapshot(ws)) - set(before))
