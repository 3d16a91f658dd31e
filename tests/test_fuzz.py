"""Hypothesis fuzzing of the three readers of untrusted text.

Whatever bytes a translator's tool, an editor or an attacker leaves in a .po
file, an article or a memorial.toml, the readers either return a model or
raise one of the kit's own errors (MemorialKitError and subclasses), which the
command line turns into ``path:line: error: ...`` and exit code 2.  Any other
exception (IndexError, KeyError, TypeError, RecursionError...) is a crash with
a traceback: a bug.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from memorial_kit.article import parse_article
from memorial_kit.errors import MemorialKitError
from memorial_kit.manifest import load_memorial
from memorial_kit.plurals import parse_plural_forms
from memorial_kit.po import read_po, write_po

from conftest import ROOT

SEED_FOLDER = ROOT / "seeds" / "vorkuta-uprising"
MANIFEST = (SEED_FOLDER / "memorial.toml").read_text("utf-8")
ARTICLE = (SEED_FOLDER / "article.txt").read_text("utf-8")
GOOD_PO = (ROOT / "tests" / "data" / "bad" / "tolerated" / "good-bom-crlf.po").read_bytes()

# FUZZ_SCALE=20 python3 -m pytest tests/test_fuzz.py hunts longer than the default run.
SCALE = float(os.environ.get("FUZZ_SCALE", "1"))


def fuzz(examples: int) -> settings:
    return settings(max_examples=max(1, int(examples * SCALE)), deadline=None,
                    suppress_health_check=list(HealthCheck))


def _kit_errors_only(call, *args):
    """Run ``call``; a MemorialKitError is fine, anything else fails the test."""
    try:
        return call(*args)
    except MemorialKitError as exc:
        assert exc.message, "an error must say what is wrong"
        if exc.line is not None:
            assert exc.line >= 1
        return None


# ---------------------------------------------------------------- read_po ---

PO_WORDS = ['msgid', 'msgstr', 'msgctxt', 'msgid_plural', 'msgstr[0]', 'msgstr[1]',
            'msgstr[2]', 'msgstr[9999999999999999999]', '#~', '#|', '#~|', '#,', '#:', '#.',
            '# ', '"', '""', '"\\', '\\', '\\n', '\\x', '\\xff', '\\377', '\\0', '\\u0041',
            'fuzzy', 'c-format', 'range: 1..2', 'range: 9..1', '\n', '\r\n', '\r', ' ', '\t',
            '\ufeff', 'charset=', 'charset=UTF-8', 'charset=ISO-8859-4', 'charset=CHARSET',
            'charset=utf-16', 'charset=cp1252', 'charset=idna', 'charset=rot13',
            'charset=base64', 'charset=zlib', 'charset=hex',
            'Content-Type: text/plain; ', 'Plural-Forms: nplurals=3; plural=n%3;',
            'Plural-Forms: nplurals=2; plural=', 'nplurals=', '((((((((', '?', ':',
            '\x85', '\u2028', 'é', 'ė', '日本', '\x00', '\x1b', 'file.py:12']

po_text = st.lists(st.sampled_from(PO_WORDS) | st.text(max_size=6), max_size=40).map("".join)
po_encoding = st.sampled_from(["utf-8", "latin-1", "utf-16"])


@fuzz(600)
@given(po_text, po_encoding)
@example('msgid ""\nmsgstr "Content-Type: text/plain; charset=rot13\\n"\n', "utf-8")
@example('msgid ""\nmsgstr "Content-Type: text/plain; charset=utf-16\\n"\n', "utf-8")
@example('msgid "a"\nmsgstr "\\xff"\n', "utf-8")
@example('msgid "a"\nmsgstr[0] "b"\n', "utf-8")
@example('msgid "a"\nmsgid_plural "b"\nmsgstr[99999999999999999999] "c"\n', "utf-8")
def test_read_po_raises_only_kit_errors(text, encoding):
    data = text.encode(encoding, errors="replace")
    po = _kit_errors_only(read_po, data, "fuzz.po")
    if po is not None:
        # What was read can be written again, or refused with a kit error.
        _kit_errors_only(write_po, po)


@fuzz(200)
@given(st.binary(max_size=300))
def test_read_po_random_bytes(data):
    _kit_errors_only(read_po, data, "fuzz.po")


@fuzz(200)
@given(st.data())
def test_read_po_mutated_real_catalog(data):
    """Small edits to a valid catalog: bytes deleted, inserted or replaced."""
    raw = bytearray(GOOD_PO)
    for _ in range(data.draw(st.integers(1, 4))):
        pos = data.draw(st.integers(0, len(raw)))
        action = data.draw(st.sampled_from(["delete", "insert", "replace"]))
        chunk = data.draw(st.sampled_from([b'"', b"\\", b"\n", b"\r", b"#~ ", b"msgstr[1] ",
                                           b"\x00", b"\xff", b"\xc4", b"#| ", b"msgctxt "])
                          | st.binary(min_size=1, max_size=3))
        if action == "delete":
            del raw[pos:pos + len(chunk)]
        elif action == "insert":
            raw[pos:pos] = chunk
        else:
            raw[pos:pos + len(chunk)] = chunk
    _kit_errors_only(read_po, bytes(raw), "fuzz.po")


# ---------------------------------------------------------- parse_article ---

ARTICLE_LINES = ARTICLE.split("\n")
article_pieces = st.sampled_from(["= Title =", "==Heading==", "== ==", "=", "==", "===",
                                  "Infobox", "- Key: Value", "- Key:", "- : v", "-", "- ",
                                  "-x", "", " ", "\t", "text *23px", ",,", " , ", "  ",
                                  "5 killed", "57 killed", "1,000,000 killed",
                                  "the sculptors and", "\u00a0", "\u2028", "\x0c", "\x1c"])


@fuzz(400)
@given(st.lists(article_pieces | st.text(max_size=12) | st.sampled_from(ARTICLE_LINES),
                max_size=25))
def test_parse_article_raises_only_kit_errors(lines):
    _kit_errors_only(parse_article, "\n".join(lines), "fuzz.txt")


@fuzz(150)
@given(st.text(max_size=200))
def test_parse_article_random_text(text):
    _kit_errors_only(parse_article, text, "fuzz.txt")


# ------------------------------------------------------------ load_memorial ---

MANIFEST_LINES = MANIFEST.split("\n")
toml_values = st.sampled_from([
    '"x"', '""', '"../x"', '"article.txt"', '"missing.txt"', '".hidden"', '"en"', '"lt"',
    '"xx"', '"../../etc"', "1", "-1", "0", "1.5", "nan", "inf", "true", "[]", "[1]", '["en"]',
    '["lt", "en"]', "{}", "{ a = 1 }", "1953-07-19", "1953-07-19T10:00:00", "10:00:00",
    "[1953-07-19, 1953-08-01]", "[1953-08-01]", '[["ru", "en"]]', '[["ru"]]', "[[]]",
    '"{x}"', '"{"', '"}"', '"{0}"', '"{x.y}"', '"{x!r}"', '"Tėvynė Lietuva verkia"',
    "[600, 400]", "[1, 1]", "[1e308, 1e308]", '"A4"', '"A0"', "99999999999999999999"])
toml_keys = st.sampled_from([
    "title", "domain", "source_locale", "locales", "article", "online_base_url", "id",
    "name", "caption", "sculpture", "design", "plaque", "gloss", "gloss_in_article",
    "inscriptions", "faces", "monuments", "pairs", "items", "text", "facts", "formats",
    "rows", "date", "monument", "skip", "structured", "labels", "plaque_mm", "label_mm",
    "sheet", "bleed_mm", "font", "leaflet", "killed", "start", "end", "lt", "en", "Date",
    "publisher", "licence", "licence_url", "url"])
toml_headers = st.sampled_from([
    "[memorial]", "[provenance]", "[infobox]", "[facts]", "[print]", "[[monuments]]",
    "[[monuments.faces]]", "[labels]", "[[labels.items]]", "[names.lt]", "[names]",
    "[monuments]", "[labels.items]", "[memorial.x]", "[[memorial]]"])


@st.composite
def mutated_manifest(draw):
    lines = list(MANIFEST_LINES)
    for _ in range(draw(st.integers(1, 3))):
        pos = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "replace-value", "insert-key", "insert-header",
                                     "duplicate", "garbage"]))
        if kind == "delete":
            del lines[pos]
        elif kind == "replace-value":
            line = lines[pos]
            if "=" in line and not line.lstrip().startswith("#"):
                lines[pos] = line.split("=", 1)[0] + "= " + draw(toml_values)
        elif kind == "insert-key":
            lines.insert(pos, f"{draw(toml_keys)} = {draw(toml_values)}")
        elif kind == "insert-header":
            lines.insert(pos, draw(toml_headers))
        elif kind == "duplicate":
            lines.insert(pos, lines[pos])
        else:
            lines.insert(pos, draw(st.text(max_size=10)))
    return "\n".join(lines)


@st.composite
def small_manifest(draw):
    """A manifest written from scratch out of the schema's own words."""
    out = []
    for _ in range(draw(st.integers(0, 12))):
        if draw(st.booleans()):
            out.append(draw(toml_headers))
        out.append(f"{draw(toml_keys)} = {draw(toml_values)}")
    return "\n".join(out)


@pytest.fixture(scope="module")
def memorial_folder():
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "seeds" / "vorkuta-uprising"
        folder.mkdir(parents=True)
        shutil.copy(SEED_FOLDER / "article.txt", folder / "article.txt")
        yield folder


def _load(folder: Path, text: str):
    (folder / "memorial.toml").write_text(text, "utf-8", errors="surrogatepass")
    return _kit_errors_only(load_memorial, folder, folder.parent.parent)


@fuzz(250)
@given(text=mutated_manifest())
def test_load_memorial_mutated_real_manifest(memorial_folder, text):
    _load(memorial_folder, text)


@fuzz(150)
@given(text=small_manifest())
def test_load_memorial_from_schema_words(memorial_folder, text):
    _load(memorial_folder, text)


@fuzz(300)
@given(st.text(alphabet=st.sampled_from(list("n0123456789 ()!?:|&=<>%+-*/;")), max_size=40)
       | st.lists(st.sampled_from(["n", "1", "0", "(", ")", "?", ":", "%", "==", "!=", "&&",
                                   "||", "!", "/", "-", "<=", " "]), max_size=30).map("".join))
def test_plural_forms_raise_only_kit_errors(expression):
    forms = _kit_errors_only(parse_plural_forms, f"nplurals=3; plural={expression};")
    if forms is not None:
        for n in (0, 1, 2, 5, 11, 21, 101, 1000, 10**6):
            index = _kit_errors_only(forms, n)      # beyond 0..1000 a rule may still fail
            assert index is None or 0 <= index < 3


def test_the_real_manifest_loads(memorial_folder):
    assert _load(memorial_folder, MANIFEST) is not None
