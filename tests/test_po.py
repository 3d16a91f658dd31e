"""memorial_kit.po: GNU-exact PO writing, tolerant/strict reading, .mo output.

GNU gettext itself is the oracle: what we write must be what ``msgcat``
prints for it, ``msgfmt --check`` must accept it, and our .mo must answer
lookups like (and be byte-identical to) the one msgfmt makes.
"""
from __future__ import annotations

import ctypes
import gettext
import io
import random
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from memorial_kit.po import fast_reader, linebreak, mo_hash, reader
from memorial_kit.errors import CatalogError
from memorial_kit.po.reader import LineParser
from memorial_kit.po import (GNU_FORMATS, Entry, PoFile, read_po, read_po_file, write_mo,
                             write_po, write_po_file)

HAVE_GNU = shutil.which("msgcat") is not None and shutil.which("msgfmt") is not None
needs_gnu = pytest.mark.skipif(not HAVE_GNU, reason="GNU gettext (msgcat, msgfmt) not installed")

UNKNOWN_FLAGS = ("max-length:80", "read-only")
LT_PLURALS = ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "
              "(n%100<10 || n%100>=20) ? 1 : 2);")
HEADER_FIELDS = [
    ("Project-Id-Version", "vorkuta-uprising 1.0"),
    ("Report-Msgid-Bugs-To", "memorial@example.org"),
    ("POT-Creation-Date", "2024-05-01 10:00+0000"),
    ("PO-Revision-Date", "2024-05-02 11:00+0300"),
    ("Last-Translator", "Ona Petraitienė <ona@example.org>"),
    ("Language-Team", "Lithuanian <lt@example.org>"),
    ("Language", "lt"),
    ("MIME-Version", "1.0"),
    ("Content-Type", "text/plain; charset=UTF-8"),
    ("Content-Transfer-Encoding", "8bit"),
    ("Plural-Forms", LT_PLURALS),
]


def make_po(entries: list[Entry], fields=HEADER_FIELDS) -> PoFile:
    po = PoFile(entries=list(entries), header=None)
    po.set_header_fields(fields)
    po.header.translator_comments = ["Lithuanian translations for the Vorkuta memorial.",
                                     "This file is distributed under the same license."]
    return po


def gnu(*args: str, data: bytes) -> subprocess.CompletedProcess:
    """Run a gettext tool on ``data`` written to a temporary .po file."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.po"
        path.write_bytes(data)
        return subprocess.run([*args, str(path)], capture_output=True, cwd=tmp)


def msgcat(data: bytes, *options: str) -> bytes:
    result = gnu("msgcat", *options, "-o", "-", data=data)
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout


def without_unknown_flags(data: bytes) -> bytes:
    """What msgcat keeps of our output: GNU drops flags it does not know."""
    out = []
    for line in data.decode("utf-8").split("\n"):
        if line.startswith("#, "):
            flags = [f for f in line[3:].split(", ") if f not in UNKNOWN_FLAGS]
            if not flags:
                continue
            line = "#, " + ", ".join(flags)
        out.append(line)
    return "\n".join(out).encode("utf-8")


# ------------------------------------------------------------ strategies ---

LT = "aąbcčdeęėfghiįyjklmnoprsštuųūvzžAĄČĘĖĮŠŲŪŽ"
CYR = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяЖЩЯ"
WORD = st.text(alphabet=LT + CYR + "0123456789xqw", min_size=1, max_size=12)
LONG_WORD = st.text(alphabet=LT + "-/", min_size=40, max_size=90)
SEPARATORS = st.sampled_from([" ", " ", " ", " ", "-", "/", " — ", "—", " – ", ", ", ". ",
                              "\n", "\t", " «", "» ", " „", "“ ", "\"", "\\", "  ", "…",
                              "(", ") ", "!", "?", ": ", "\u00a0", "'", "‐"])


@st.composite
def texts(draw, min_words=0, max_words=14):
    n = draw(st.integers(min_words, max_words))
    parts = []
    for _ in range(n):
        parts.append(draw(st.one_of(WORD, WORD, WORD, LONG_WORD)))
        parts.append(draw(SEPARATORS))
    if parts and draw(st.booleans()):
        parts.pop()                     # sometimes end on a separator (spaces, \n...)
    return "".join(parts)


def comment_text(text: str) -> str:
    return " ".join(text.replace("\\", "/").split())


def match_newlines(model: str, text: str) -> str:
    """msgfmt --check wants msgid and msgstr to agree on a leading/final \\n."""
    if not text:
        return text
    core = text.strip("\n") or "x"
    return ("\n" if model.startswith("\n") else "") + core + ("\n" if model.endswith("\n") else "")


@st.composite
def entries(draw, index: int):
    msgid = draw(texts(min_words=1)) + f" #{index}"
    e = Entry(msgid=msgid)
    if draw(st.integers(0, 3)) == 0:
        e.msgctxt = draw(texts(min_words=1, max_words=4)).replace("\n", " ")
    if draw(st.integers(0, 3)) == 0:
        e.msgid_plural = match_newlines(msgid, draw(texts(min_words=1)))
        translated = draw(st.booleans())
        e.msgstr_plural = [match_newlines(e.msgid_plural, draw(texts(min_words=1)))
                           if translated else "" for _ in range(3)]
    elif draw(st.booleans()):
        e.msgstr = match_newlines(msgid, draw(texts(min_words=1)))
    if draw(st.integers(0, 3)) == 0:
        e.translator_comments = [comment_text(draw(texts(max_words=8))) for _ in range(2)]
    if draw(st.integers(0, 3)) == 0:
        e.extracted_comments = [comment_text(draw(texts(max_words=8)))]
    if draw(st.booleans()):
        n = draw(st.integers(1, 14))
        names = [draw(st.sampled_from(["article", "inscriptions-plaque", "ž"])) for _ in range(n)]
        e.references = [f"seeds/vorkuta-uprising/{name}.txt:{i * 37 + 1}"
                        for i, name in enumerate(names)]
    flags = draw(st.lists(st.sampled_from(["fuzzy", "python-format", "c-format", "no-c-format",
                                           "max-length:80", "read-only", "range: 1..3",
                                           "python-brace-format"]),
                          unique=True, max_size=4))
    if "c-format" in flags and "no-c-format" in flags:
        flags.remove("no-c-format")
    e.flags = flags
    if draw(st.integers(0, 4)) == 0:
        e.previous_msgid = draw(texts(min_words=1))
        if draw(st.booleans()):
            e.previous_msgctxt = draw(WORD)
        if e.msgid_plural is not None and draw(st.booleans()):
            e.previous_msgid_plural = draw(texts(min_words=1))
    if e.first_msgstr and draw(st.integers(0, 5)) == 0:
        e.obsolete = True
    return e


@st.composite
def catalogs(draw):
    n = draw(st.integers(1, 8))
    return make_po([draw(entries(i)) for i in range(n)])


def expected_flags(e: Entry) -> list[str]:
    """GNU's flag order: fuzzy (if translated), formats in GNU order, range, then ours."""
    out = ["fuzzy"] if "fuzzy" in e.flags and e.first_msgstr else []
    for name in GNU_FORMATS:
        for flag in (f"{name}-format", f"no-{name}-format"):
            if flag in e.flags:
                out.append(flag)
    if "range: 1..3" in e.flags and not e.obsolete:
        out.append("range: 1..3")
    return out + [f for f in e.flags if f in UNKNOWN_FLAGS]


def fields(e: Entry) -> dict:
    return {k: getattr(e, k) for k in (
        "msgid", "msgstr", "msgid_plural", "msgstr_plural", "msgctxt", "translator_comments",
        "extracted_comments", "references", "flags", "previous_msgctxt", "previous_msgid",
        "previous_msgid_plural", "obsolete")}


# ------------------------------------------------------- the GNU oracle ---

@needs_gnu
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(catalogs())
def test_generated_catalogs_are_what_msgcat_writes(po):
    data = write_po(po)
    assert msgcat(data) == without_unknown_flags(data)
    check = gnu("msgfmt", "--check", "--check-format", "-o", "/dev/null", data=data)
    assert check.returncode == 0, check.stderr.decode()

    back = read_po(data)
    active = [e for e in po.entries if not e.obsolete]
    obsolete = [e for e in po.entries if e.obsolete]
    assert len(back.entries) == len(po.entries)
    for want, got in zip(active + obsolete, back.entries):
        want_fields = fields(want)
        want_fields["flags"] = expected_flags(want)
        assert fields(got) == want_fields
    assert back.header_fields() == HEADER_FIELDS
    assert write_po(back) == data


@needs_gnu
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(catalogs(), st.sampled_from([["--width=60"], ["--no-wrap"], ["--width=120"]]))
def test_other_gnu_layouts_read_back_to_the_same_catalog(po, options):
    canonical = msgcat(write_po(po))
    other = msgcat(canonical, *options)
    assert [fields(e) for e in read_po(other).entries] == \
        [fields(e) for e in read_po(canonical).entries]
    assert write_po(read_po(other)) == canonical


@needs_gnu
@pytest.mark.parametrize("width", [40, 60, 79, 100])
def test_page_width_matches_msgcat_width_option(width):
    text = ("Vorkutos sukilimas — 1953 m. liepos 19 d. – rugpjūčio 1 d. vykęs politinių "
            "kalinių streikas „Rečlago“ lageryje; jame dalyvavo ir lietuviai (tūkstančiai). ")
    po = make_po([Entry(msgid=text * 3, msgstr=text.upper() * 3,
                        references=[f"seeds/vorkuta-uprising/article.txt:{i}" for i in range(40)])])
    data = write_po(po, width=width)
    assert msgcat(data, f"--width={width}") == data


SAMPLES = [
    "A hyphenated-word-that-goes-on-and-on-and-on-without-any-space-at-all-until-it-overflows",
    "Slashes/between/words/are/break/points/too/in/the/unicode/line/breaking/algorithm/x",
    "Em dashes—break after them—and en dashes – also do, as UAX #14 says; quotes «like "
    "these» and „these“ do not",
    "Пример текста на русском языке, который достаточно длинный, чтобы перенести строку.",
    "Lietuviškos raidės: ąčęėįšųūž ĄČĘĖĮŠŲŪŽ – ilgas sakinys, kurį reikia perkelti į kitą.",
    "x" * 120 + " a word longer than the whole line",
    "trailing spaces at the end of a long string that is long enough to wrap here      ",
    "tabs\tbetween\twords\tare\tescaped\tand\tnever\tsplit\tinside\tthe\tescape\tsequence\tx",
    "quotes \"inside\" and back\\slashes \\ and \"escapes\" near the wrap column \"here\" ok",
    "line one\nline two is here\n\nline four after an empty line\n",
    "ends with newline only\n",
    "\nstarts with a newline",
    "寬字符的中文文本也有自己的換行規則，寬度是兩列，所以這一行會更早換行，對吧？好的。",
    "combining accents: e\u0301e\u0301e\u0301e\u0301 and a zero\u200bwidth\u200bspace in a long "
    "line that wraps",
    "Control \a\b\f\v\r characters get escapes, \x01 stays raw, and the line goes on longer",
]


@needs_gnu
@pytest.mark.parametrize("text", SAMPLES)
def test_wrapping_samples_match_msgcat(text):
    po = make_po([Entry(msgid=text, msgstr=text, msgctxt=text[:30].replace("\n", " "),
                        previous_msgid=text),
                  Entry(msgid="obsolete " + text, msgstr=text, obsolete=True,
                        previous_msgid=text)])
    data = write_po(po)
    assert msgcat(data) == data


def test_wrapping_rules_by_example():
    po = make_po([Entry(msgid="short", msgstr="trumpas"),
                  Entry(msgid="two\nlines", msgstr=""),
                  Entry(msgid="word " * 20, msgstr="")])
    text = write_po(po).decode()
    assert 'msgid "short"\nmsgstr "trumpas"\n' in text
    assert 'msgid ""\n"two\\n"\n"lines"\nmsgstr ""\n' in text
    # 77 columns of text at most: break after the space, before the next word
    assert 'msgid ""\n"word word word word word word word word word word word word word word word "\n' \
           '"word word word word word "\n' in text
    assert not text.endswith("\n\n")


@needs_gnu
def test_format_directives_are_never_split():
    pieces = {"python-format": ["%(my name)s", "%(a)d", "%%", "%(x y z)r", "%(n)5.2f"],
              "c-format": ["% d", "%'d", "%-10s", "%5.2f", "%%", "%lld", "% -5d", "%zu"]}
    rng = random.Random(4)
    entries = []
    for i in range(60):
        flag = rng.choice(sorted(pieces))
        words = [rng.choice(pieces[flag]) if rng.random() < 0.3 else
                 rng.choice(["aaa", "bbbbbb", "c", "dd-ee", "ąčę", "x/y"])
                 for _ in range(rng.randint(8, 30))]
        text = rng.choice([" ", "", "-"]).join(words)
        entries.append(Entry(msgid=f"{text} {i}", msgstr=text, flags=[flag]))
    data = write_po(make_po(entries), width=40)
    assert msgcat(data, "--width=40") == data


def test_references_flags_and_comments_as_gnu_writes_them():
    e = Entry(msgid="x", msgstr="y",
              references=["./a.c:1", "a.c:1", "a.c:1", "b.c", "dir/file.txt:0012"],
              flags=["max-length:80", "python-format", "fuzzy", "c-format", "no-wrap", "wrap",
                     "possible-lisp-format", "impossible-sh-format"],
              translator_comments=["", "  indented", "two\nlines"], extracted_comments=[""])
    text = write_po(make_po([e])).decode()
    assert ("#\n#   indented\n# two\n# lines\n#.\n#: a.c:1 a.c:1 b.c dir/file.txt:12\n"
            "#, fuzzy, c-format, python-format, lisp-format, max-length:80\n") in text
    # fuzzy is dropped on an untranslated entry, as GNU does
    assert "#, fuzzy" not in write_po(make_po([Entry(msgid="x", flags=["fuzzy"])])).decode()


def test_obsolete_entries_go_last_and_empty_ones_are_dropped():
    po = make_po([Entry(msgid="old", msgstr="senas", obsolete=True),
                  Entry(msgid="gone", obsolete=True),
                  Entry(msgid="new", msgstr="naujas")])
    text = write_po(po).decode()
    assert text.index('msgid "new"') < text.index('#~ msgid "old"')
    assert "gone" not in text


def test_writer_refuses_what_gnu_cannot_read_back():
    for bad in (Entry(msgid="x", references=["file name.txt:3"]),
                Entry(msgid="x", flags=["two words"]),
                Entry(msgid="x", extracted_comments=["a\nb"]),
                Entry(msgid="x", translator_comments=["ends with \\"]),
                Entry(msgid="x", previous_msgctxt="c"),
                Entry(msgid="x", msgstr_plural=["a"])):
        with pytest.raises(CatalogError):
            write_po(make_po([bad]))
    latin = make_po([Entry(msgid="žodis")], fields=[("Content-Type", "text/plain; charset=ASCII")])
    with pytest.raises(CatalogError, match="ASCII"):
        write_po(latin)


@needs_gnu
def test_single_byte_charset_is_kept_and_wrapped_alike():
    fields = [(k, v.replace("UTF-8", "ISO-8859-13")) for k, v in HEADER_FIELDS]
    text = "Lietuviškas sakinys su raidėmis ąčęėįšųūž, kuris yra pakankamai ilgas perkelti. " * 2
    po = make_po([Entry(msgid="sentence", msgstr=text)], fields=fields)
    data = write_po(po)
    assert "ž".encode("iso-8859-13") in data and "ž".encode() not in data
    assert msgcat(data) == data
    assert read_po(data).entries[0].msgstr == text


# --------------------------------------------------- other tools' files ---

@needs_gnu
def test_polib_output_reads_back_fully():
    polib = pytest.importorskip("polib")
    rng = random.Random(11)
    for _ in range(5):
        po = _plain_catalog(rng)
        data = write_po(po)
        pol = str(polib.pofile(data.decode(), wrapwidth=78)).encode()
        ours = read_po(pol)
        assert [fields(e) for e in ours.entries] == [fields(e) for e in read_po(data).entries]
        assert without_unknown_flags(write_po(ours)) == msgcat(pol)


def _plain_catalog(rng: random.Random) -> PoFile:
    words = ["Vorkuta", "sukilimas", "kaliniai", "lageris", "—", "„Rečlagas“", "streikas",
             "1953", "liepos", "mėn.", "ilgas-sudurtinis-žodis", "Сопротивление", "лагерь"]
    out = []
    for i in range(12):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 30)))
        e = Entry(msgid=f"{text} {i}", msgstr=text.upper() if rng.random() < 0.7 else "",
                  references=[f"seeds/vorkuta-uprising/article.txt:{rng.randint(1, 400)}"
                              for _ in range(rng.randint(0, 9))],
                  translator_comments=["checked by Ona"] if rng.random() < 0.3 else [],
                  extracted_comments=["heading"] if rng.random() < 0.3 else [],
                  flags=rng.sample(["fuzzy", "python-format", "max-length:80"], rng.randint(0, 2)))
        if rng.random() < 0.3:
            e.msgctxt = "plaque"
        if rng.random() < 0.2:
            e.msgid_plural, e.msgstr, e.msgstr_plural = f"{text} (many)", "", ["a", "b", "c"]
        if rng.random() < 0.2 and e.first_msgstr:
            e.previous_msgid = "old " + text
        out.append(e)
    return make_po(out)


@needs_gnu
def test_babel_output_reads_back_fully():
    from babel.messages.catalog import Catalog, Message
    from babel.messages.pofile import write_po as babel_write_po

    catalog = Catalog(locale="lt", project="memorial", version="1", charset="utf-8")
    long = ("Vorkutos sukilimas — 1953 m. liepos mėn. politinių kalinių streikas Vorkutos "
            "lageriuose, „Rečlage“, kuriame dalyvavo ir lietuviai – tūkstančiai vyrų.")
    catalog.add("Uprising", "Sukilimas", locations=[("seeds/vorkuta-uprising/article.txt", 3)],
                flags=["fuzzy"], auto_comments=["heading"], user_comments=["checked"],
                context="title")
    catalog.add(long, long.upper(), flags=["max-length:80"],
                locations=[("seeds/vorkuta-uprising/article.txt", i) for i in range(1, 30)])
    catalog.add(("%(n)d prisoner", "%(n)d prisoners"),
                ("%(n)d kalinys", "%(n)d kaliniai", "%(n)d kalinių"), flags=["python-format"])
    catalog.obsolete["old"] = Message("old text", "senas tekstas")
    buf = io.BytesIO()
    babel_write_po(buf, catalog, include_previous=True)
    data = buf.getvalue()

    po = read_po(data)
    first = po.get("title", "Uprising")
    assert (first.msgstr, first.flags, first.references) == \
        ("Sukilimas", ["fuzzy"], ["seeds/vorkuta-uprising/article.txt:3"])
    assert (first.translator_comments, first.extracted_comments) == (["checked"], ["heading"])
    assert po.get(None, long).flags == ["max-length:80"]
    assert po.get(None, "%(n)d prisoner").msgstr_plural[2] == "%(n)d kalinių"
    assert po.get(None, "old text").obsolete
    assert without_unknown_flags(write_po(po)) == msgcat(data)


def test_crlf_and_bom_are_read():
    data = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            '# komentaras\n#: a.txt:3\nmsgid "Vorkuta"\nmsgstr ""\n"Vorkuta, "\n"Komija"\n')
    plain = read_po(data.encode())
    for variant in (data.replace("\n", "\r\n").encode(), b"\xef\xbb\xbf" + data.encode(),
                    b"\xef\xbb\xbf" + data.replace("\n", "\r\n").encode()):
        po = read_po(variant)
        assert [fields(e) for e in po.entries] == [fields(e) for e in plain.entries]
        assert po.entries[0].msgstr == "Vorkuta, Komija" and po.entries[0].line == 7
        assert po.charset == "UTF-8"


def test_tolerant_forms():
    data = ('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            '#,fuzzy,python-format\n#:a.txt:1   b.txt : 2\n#.no space\n#no space\n'
            'msgid "a" "b"\nmsgstr "c\\\n'
            'd"\n\n   msgid "\\x41\\101\\305\\276"\n   msgstr ""\n').encode()
    po = read_po(data)
    first, second = po.entries
    assert first.flags == ["fuzzy", "python-format"]
    assert first.references == ["a.txt:1", "b.txt:2"]
    assert first.extracted_comments == ["no space"] and first.translator_comments == ["no space"]
    assert (first.msgid, first.msgstr) == ("ab", "cd")
    assert second.msgid == "AAž"


# -------------------------------------------------------- broken input ---

HEAD = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
BROKEN = [
    ("unterminated", HEAD + 'msgid "abc\nmsgstr ""\n', 5, "unterminated string"),
    ("bad escape", HEAD + 'msgid "a\\qb"\nmsgstr ""\n', 5, "escape"),
    ("unknown keyword", HEAD + 'msgid "a"\nmsgstring ""\n', 6, "unknown keyword"),
    ("msgstr first", 'msgstr "x"\n', 1, "out of order"),
    ("plural before msgid", HEAD + 'msgid_plural "b"\n', 5, "out of order"),
    ("duplicate", HEAD + 'msgid "a"\nmsgstr ""\n\nmsgid "b"\nmsgstr ""\n\nmsgid "a"\nmsgstr ""\n',
     11, "first defined at line 5"),
    ("duplicate in context", HEAD + 'msgctxt "c"\nmsgid "a"\nmsgstr ""\n\n'
     'msgctxt "c"\nmsgid "a"\nmsgstr ""\n', 10, "first defined at line 6"),
    ("msgstr and msgstr[n]", HEAD + 'msgid "a"\nmsgstr ""\nmsgstr[0] ""\n', 7, "both"),
    ("msgstr[n] and msgstr", HEAD + 'msgid "a"\nmsgid_plural "b"\nmsgstr[0] ""\nmsgstr ""\n',
     8, "both"),
    ("plural without msgstr[n]", HEAD + 'msgid "a"\nmsgid_plural "b"\nmsgstr ""\n', 7,
     "msgid_plural"),
    ("msgstr[n] without plural", HEAD + 'msgid "a"\nmsgstr[0] ""\n', 6, "without msgid_plural"),
    ("index gap", HEAD + 'msgid "a"\nmsgid_plural "b"\nmsgstr[0] ""\nmsgstr[2] ""\n', 8,
     "msgstr[1] was expected"),
    ("index from 1", HEAD + 'msgid "a"\nmsgid_plural "b"\nmsgstr[1] ""\n', 7,
     "msgstr[0] was expected"),
    ("missing msgstr", HEAD + 'msgid "a"\n\nmsgid "b"\nmsgstr ""\n', 7, "without msgstr"),
    ("missing msgstr at end", HEAD + 'msgid "a"\n', 5, "without a msgstr"),
    ("garbage after string", HEAD + 'msgid "a" x\nmsgstr ""\n', 5, "unexpected text"),
    ("string without keyword", '"a"\n', 1, "without a keyword"),
    ("inconsistent #~", HEAD + '#~ msgid "a"\nmsgstr ""\n', 6, "#~"),
    ("comment inside entry", HEAD + 'msgid "a"\n# x\nmsgstr ""\n', 6, "comment"),
]


@pytest.mark.parametrize("name,text,line,words", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_input_names_the_line(name, text, line, words):
    with pytest.raises(CatalogError) as info:
        read_po(text.encode(), path="lt.po")
    err = info.value
    assert (err.path, err.line) == ("lt.po", line)
    assert words in err.message
    assert "\n" not in str(err)
    assert str(err).startswith(f"lt.po:{line}: ")


CHARSET_CASES = [
    ("NUL byte", HEAD.encode() + b'msgid "a\0"\nmsgstr ""\n', 5, "NUL"),
    ("not UTF-8", HEAD.encode() + b'msgid "\xfeodis"\nmsgstr ""\n', 5, "not valid UTF-8"),
    ("not ASCII", HEAD.replace("UTF-8", "ASCII").encode() + 'msgid "žodis"\nmsgstr ""\n'.encode(),
     5, "not valid ASCII"),
    ("UTF-8 bytes in ISO-8859-13", HEAD.replace("UTF-8", "ISO-8859-13").encode()
     + 'msgid "žodis čia"\nmsgstr ""\n'.encode(), 5, "contradict"),
    ("unknown charset", HEAD.replace("UTF-8", "KLINGON-8").encode() + b'msgid "a"\nmsgstr ""\n',
     3, "unknown charset"),
]


@pytest.mark.parametrize("name,data,line,words", CHARSET_CASES, ids=[c[0] for c in CHARSET_CASES])
def test_bytes_that_contradict_the_file_are_refused(name, data, line, words):
    with pytest.raises(CatalogError) as info:
        read_po(data, path="lt.po")
    assert info.value.line == line and words in info.value.message
    assert "\n" not in str(info.value)


def test_other_charsets_are_decoded_per_header():
    data = HEAD.replace("UTF-8", "ISO-8859-13").encode() + 'msgid "žodis"\nmsgstr "ąčę"\n'.encode(
        "iso-8859-13")
    assert read_po(data).entries[0].msgstr == "ąčę"


# ------------------------------------------------------------- the model ---

def test_model_helpers(tmp_path):
    e = Entry(msgid="a", msgstr="b", flags=["python-format"])
    assert e.key == (None, "a") and e.translated and not e.fuzzy
    e.fuzzy = True
    assert e.flags == ["fuzzy", "python-format"] and not e.translated
    e.fuzzy = False
    assert e.flags == ["python-format"]
    assert not Entry(msgid="a", msgid_plural="b", msgstr_plural=["x", ""]).translated
    po = make_po([e, Entry(msgid="a", msgctxt="c", msgstr="d")])
    assert po.get("c", "a").msgstr == "d" and po.get(None, "zz") is None
    po.entries.append(Entry(msgid="zz"))
    assert po.get(None, "zz") is not None
    assert po.charset == "UTF-8" and po.header_value("language") == "lt"
    path = tmp_path / "lt.po"
    write_po_file(po, path)
    again = read_po_file(path)
    assert again.path == str(path) and write_po(again) == path.read_bytes()


def test_a_large_catalog_is_read_with_its_lines():
    entries = [Entry(msgid=f"Message {i} about the uprising in the Vorkuta camps",
                     msgstr=f"Pranešimas {i} apie sukilimą Vorkutos lageriuose, kuriame "
                            "dalyvavo ir lietuviai",
                     references=[f"seeds/vorkuta-uprising/article.txt:{i}"],
                     flags=["fuzzy"] if i % 5 == 0 else [])
               for i in range(10_000)]
    data = write_po(make_po(entries))
    po = read_po(data)
    assert len(po.entries) == 10_000
    lines = data.decode().split("\n")
    for entry in po.entries[::997]:
        assert lines[entry.line - 1] == f'msgid "{entry.msgid}"'
    assert _read_both(data.decode()), "the whole-entry reader takes GNU's layout"


# ------------------------------------------------------------------- .mo ---

@needs_gnu
def test_mo_matches_msgfmt_lookups_and_bytes(tmp_path):
    rng = random.Random(5)
    po = _plain_catalog(rng)
    po.entries += [Entry(msgid="Uprising", msgctxt="title", msgstr="Sukilimas"),
                   Entry(msgid="day", msgid_plural="days", msgstr_plural=["diena", "dienos",
                                                                          "dienų"]),
                   Entry(msgid="half", msgid_plural="halves", msgstr_plural=["pusė", "", ""]),
                   Entry(msgid="fuzzy one", msgstr="neaiškus", flags=["fuzzy"]),
                   Entry(msgid="gone", msgstr="dingęs", obsolete=True)]
    data = write_po(po)
    ours = write_mo(po)
    (tmp_path / "lt.po").write_bytes(data)
    subprocess.run(["msgfmt", "-o", str(tmp_path / "gnu.mo"), str(tmp_path / "lt.po")],
                   check=True)
    theirs = (tmp_path / "gnu.mo").read_bytes()
    a = gettext.GNUTranslations(io.BytesIO(ours))
    b = gettext.GNUTranslations(io.BytesIO(theirs))
    for e in po.entries:
        if e.msgid == "half":
            continue        # msgfmt keeps half-translated plurals; we leave them out
        for n in range(30) if e.msgid_plural is not None else [None]:
            assert _lookup(a, e, n) == _lookup(b, e, n)
    assert a.ngettext("day", "days", 10) == "dienų" and a.ngettext("half", "halves", 1) == "half"
    assert a.pgettext("title", "Uprising") == "Sukilimas" and a.gettext("gone") == "gone"
    po.entries = [e for e in po.entries if e.msgid != "half"]
    (tmp_path / "lt.po").write_bytes(write_po(po))
    subprocess.run(["msgfmt", "-o", str(tmp_path / "gnu.mo"), str(tmp_path / "lt.po")],
                   check=True)
    assert write_mo(po) == (tmp_path / "gnu.mo").read_bytes()


def _lookup(t: gettext.GNUTranslations, e: Entry, n: int | None) -> str:
    if n is None:
        return t.pgettext(e.msgctxt, e.msgid) if e.msgctxt else t.gettext(e.msgid)
    if e.msgctxt:
        return t.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n)
    return t.ngettext(e.msgid, e.msgid_plural, n)


@needs_gnu
def test_large_mo_is_byte_identical_to_msgfmt(tmp_path):
    """Several thousand keys of every length: the hash table is built in groups of lanes."""
    rng = random.Random(11)
    words = ["žemė", "laisvė", "Vorkuta", "1953", "\t", "a", "", "kalnas", "日本"]
    entries = []
    for i in range(5000):
        msgid = f"{i} " + " ".join(rng.choice(words) for _ in range(rng.choice([0, 1, 3, 40])))
        entries.append(Entry(msgid=msgid, msgstr=msgid.upper()))
    po = make_po(entries)
    (tmp_path / "lt.po").write_bytes(write_po(po))
    subprocess.run(["msgfmt", "-o", str(tmp_path / "gnu.mo"), str(tmp_path / "lt.po")],
                   check=True)
    assert write_mo(po) == (tmp_path / "gnu.mo").read_bytes()
    assert gettext.GNUTranslations(io.BytesIO(write_mo(po))).gettext(entries[-1].msgid) == \
        entries[-1].msgstr


def test_lane_hashing_equals_the_byte_loop():
    rng = random.Random(4)
    keys = [bytes(rng.randrange(256) for _ in range(rng.choice([0, 1, 7, 8, 9, 33, 300])))
            for _ in range(3000)]
    keys += [b"\xff" * n for n in range(40)] + [b"\x0f" + b"\xff" * 12, b""]
    # long keys: smaller groups (the byte columns stay bounded), the longest alone
    keys += [bytes([rng.randrange(256)]) * 3000 for _ in range(400)] + [b"y" * 50_000]
    assert mo_hash.hashpjw_all(keys) == [mo_hash.hashpjw(key) for key in keys]
    assert mo_hash.hashpjw_all([]) == []


# ------------------------------------- the line-breaking tables themselves ---

def _libunistring():
    try:
        lib = ctypes.CDLL("libunistring.so.2")
        lib.u8_width_linebreaks_v2          # noqa: B018 - the symbol msgcat 0.21 uses
    except (OSError, AttributeError):
        return None
    return lib


@pytest.mark.skipif(_libunistring() is None, reason="libunistring 1.x not installed")
def test_line_breaking_equals_libunistring_on_random_unicode():
    """Our tables + algorithm against the C library msgcat calls, all scripts."""
    lib = _libunistring()
    props, _, _ = linebreak._unicode_tables()
    by_class: dict[int, list[int]] = {}
    for cp in range(0x30000):
        if not 0xD800 <= cp < 0xE000 and cp:
            by_class.setdefault(props[cp], []).append(cp)
    rng = random.Random(3)
    pool = [cp for cps in by_class.values() for cp in rng.sample(cps, min(len(cps), 30))]
    pool += [ord(c) for c in " aZ09-‐/.,;:!?«»„“\"'()—–…\t\u00ad\u200b\u200d\u05d0\u05be"]
    for _ in range(3000):
        cps = [rng.choice(pool) for _ in range(rng.randint(1, 30))]
        text = "".join(map(chr, cps)).encode()
        overrides = bytearray()
        ours_over = []
        for cp in cps:
            o = rng.choice([0, 0, 0, 1])
            ours_over.append(o)
            overrides += bytes([o]) + b"\x01" * (len(chr(cp).encode()) - 1)
        width, start = rng.randint(1, 20), rng.randint(0, 10)
        out = ctypes.create_string_buffer(len(text))
        lib.u8_width_linebreaks_v2(text, ctypes.c_size_t(len(text)), width, start, 0,
                                   bytes(overrides), b"UTF-8", out)
        offsets, pos = [], 0
        for cp in cps:
            offsets.append(pos)
            pos += len(chr(cp).encode())
        expected = [i for i, off in enumerate(offsets) if out.raw[off] == 2]
        assert sorted(set(linebreak.width_linebreaks(cps, ours_over, width, start, False))) == \
            expected, [hex(c) for c in cps]


# -- the fast line-break path agrees with the full state machine -------------------------
_BREAK_ALPHABET = list("abcXYZ ,.;:!?()[]{}«»„“”\"'-–—/\\%$€0123456789 ėžščąįЖжЯя中文אב־"
                       "\u00a0\u200b\u0301\u200d\U0001F1F1\U0001F1F9\u3000\u30fc")


@settings(max_examples=400, deadline=None)
@given(text=st.lists(st.sampled_from(_BREAK_ALPHABET), max_size=200).map("".join),
       cjk=st.booleans(), width=st.integers(3, 60), column=st.integers(0, 70),
       prohibit=st.lists(st.booleans(), max_size=200))
def test_fast_breaks_equal_the_full_machine(text, cjk, width, column, prohibit):
    fast = linebreak._possible_breaks_fast(text, cjk)
    if fast is not None:
        assert fast == linebreak._possible_breaks([ord(c) for c in text], cjk)
    overrides = [linebreak.PROHIBITED if i < len(prohibit) and prohibit[i] else 0
                 for i in range(len(text))]
    full = linebreak.width_linebreaks([ord(c) for c in text], list(overrides), width, column, cjk)
    assert linebreak.width_linebreaks(None, list(overrides), width, column, cjk, text) == full


# -- the whole-entry reader agrees with the line reader --------------------------------
def _read_both(text: str) -> bool:
    """Read ``text`` both ways; they must agree.  True if the whole-entry path took it."""
    fast = fast_reader.read_whole_entries(LineParser(text, "utf-8", "x.po"))
    try:
        slow, error = LineParser(text, "utf-8", "x.po").parse_lines(), None
    except CatalogError as exc:
        slow, error = None, exc
    if fast is not None:
        assert error is None, f"the line reader refuses what the fast path took: {error}"
        assert fast == slow
        assert fast.header_lines == slow.header_lines
    return fast is not None


_GNU_LINES = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"',
              '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"', "# a comment", "#", "#x",
              "#. extracted", "#.", "#: file.txt:12 other:3", "#: a : 4 b: 5", "#: a:b",
              "#: a:007 b:0 b:0 c:1", "#: x:1\u00a0y:2 :5 d:6", "#: e:1  e:1",
              "#, fuzzy, python-format", "#, range: 1..5", "#! no-wrap", '#| msgid "old"',
              '#| "more"', '#| msgctxt "c"', '#~| msgid "gone"', 'msgctxt "ctx"',
              'msgid "one"', 'msgid "two \\"quoted\\" \\n"', 'msgid_plural "many"',
              'msgstr "translated"', 'msgstr[0] "a"', 'msgstr[1] "b"', 'msgstr[3] "d"', '""',
              '"continued"', '"esc \\t\\\\"', '#~ msgid "old one"', '#~ msgstr "x"',
              '#~ "cont"', '#~ msgid_plural "p"', '#~ msgstr[0] "y"', '#~ msgstr[1] "z"',
              '#~ msgctxt "k"', "", "", "", "# File: a.c, line: 3", 'msgid "a" "b"',
              '  msgid "x"', 'msgstr "bad \\q"', 'msgstr "\\303\\251"', "# ends \\",
              'msgid "dup"', 'msgstr "dup"', 'msgstr "ė ž \\"š\\""', "#~ # old comment",
              'msgid "tab\tinside"', "\f", 'msgstr "a"\r']


@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
@given(lines=st.lists(st.sampled_from(_GNU_LINES), max_size=30),
       final_newline=st.booleans())
def test_whole_entry_reader_equals_line_reader(lines, final_newline):
    _read_both("\n".join(lines) + ("\n" if final_newline else ""))


_ENTRY_TEXT = st.lists(st.sampled_from(list('ab ė\n\t"\\%{}') + ["Žemė", "\u00a0", "word "]),
                       max_size=40).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(entries=st.lists(st.tuples(_ENTRY_TEXT, _ENTRY_TEXT, st.booleans(), st.booleans(),
                                  st.sampled_from([None, "ctx", "a\nb"]),
                                  st.lists(st.sampled_from(["fuzzy", "python-format",
                                                            "max-length:40"]), max_size=2)),
                        max_size=12, unique_by=lambda t: (t[4], t[0])))
def test_what_the_writer_writes_takes_the_whole_entry_path(entries):
    catalog = make_po([])
    for msgid, msgstr, plural, obsolete, msgctxt, flags in entries:
        entry = Entry(msgid=msgid or "x", msgctxt=msgctxt, flags=list(flags),
                      obsolete=obsolete and bool(msgstr), references=["a.txt:3", "b.txt"],
                      translator_comments=["note"] if msgstr else [],
                      previous_msgid="was " + msgid if "fuzzy" in flags else None)
        if plural:
            entry.msgid_plural, entry.msgstr_plural = msgid + "s", [msgstr, msgstr + "!"]
        else:
            entry.msgstr = msgstr
        catalog.entries.append(entry)
    text = write_po(catalog).decode("utf-8")
    assert _read_both(text), "GNU-shaped output must not need the line reader"


def test_a_file_of_comments_is_read_in_one_pass():
    """The whole-entry path gives up where the first non-entry starts; scanning on from
    every later line would make this file (no entry, 100,000 comment lines) take minutes."""
    text = "# a comment with no entry after it\n" * 100_000
    assert fast_reader.read_whole_entries(LineParser(text, "utf-8", "x.po")) is None
    # ... and, being non-empty with no entry, is refused rather than read as an empty catalog
    with pytest.raises(CatalogError, match="holds no entry"):
        read_po(text.encode())


def test_shipped_catalogs_take_the_whole_entry_path():
    from conftest import ROOT
    files = sorted((ROOT / "locales").rglob("*.po")) + sorted((ROOT / "locales").rglob("*.pot"))
    assert files
    for path in files:
        assert _read_both(path.read_text("utf-8")), path


# ------------------------------------------- what msgfmt reads, the kit reads ---

GNU_HEAD = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
            '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n')


def _same_as_msgcat(tmp_path, text: str, name: str = "x.po") -> bytes:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    gnu = subprocess.run(["msgcat", str(path)], capture_output=True, check=True).stdout
    ours = write_po(read_po(path.read_bytes(), str(path)))
    assert ours == gnu
    return ours


@pytest.mark.skipif(shutil.which("msgcat") is None, reason="needs GNU gettext")
@pytest.mark.parametrize("text", [
    GNU_HEAD + 'msgid "a"\nmsgstr "' + "Vorkutos sukilimas " * 55_000 + '"\n',    # 1 MB line
    GNU_HEAD + "# " + "x" * 10_000_000 + '\nmsgid "a"\nmsgstr "b"\n',           # 10 MB comment
], ids=["1 MB msgstr line", "10 MB comment line"])
def test_long_lines_read_as_msgfmt_reads_them(tmp_path, text):
    _same_as_msgcat(tmp_path, text)
    result = subprocess.run(["msgfmt", "-o", "/dev/null", str(tmp_path / "x.po")])
    assert result.returncode == 0


def test_a_catalog_over_the_size_bound_is_refused(monkeypatch):
    monkeypatch.setattr(reader, "MAX_CATALOG_BYTES", 1024 * 1024)
    with pytest.raises(CatalogError, match="larger than the 1 MB a catalog may be"):
        read_po((GNU_HEAD + "# " + "x" * 1_100_000 + "\n").encode(), "big.po")


@pytest.mark.skipif(shutil.which("msgcat") is None, reason="needs GNU gettext")
@pytest.mark.parametrize("text", [
    'msgid "2" msgstr "2"\n',
    'msgid "3"\n"x" msgstr "y"\n',
    'msgctxt "c" msgid "a" msgstr "b"\n',
    'msgid "one" msgid_plural "many" msgstr[0] "x" msgstr[1] "y"\n',
    '#~ msgid "old" msgstr "gone"\n',
], ids=["msgid msgstr", "continuation then msgstr", "msgctxt msgid msgstr", "plural",
        "obsolete"])
def test_several_keywords_on_one_line_read_as_gnu_reads_them(tmp_path, text):
    _same_as_msgcat(tmp_path, GNU_HEAD + text)


@pytest.mark.skipif(shutil.which("msgcat") is None, reason="needs GNU gettext")
def test_domain_directives_read_and_written_as_msgcat_does(tmp_path):
    text = (GNU_HEAD + 'msgid "a"\nmsgstr "A"\n\n# dropped: before a directive\n'
            'domain "other"\n\nmsgid "b"\nmsgstr "B"\n\n'
            'domain "messages"\nmsgid "c"\nmsgstr "C"\n\ndomain "third"\nmsgid "a"\nmsgstr "A3"\n')
    _same_as_msgcat(tmp_path, text)
    po = read_po(text.encode())
    assert [e.msgid for e in po.entries] == ["a", "c"]
    assert {name: [e.msgstr for e in entries] for name, entries in po.domains.items()} == \
        {"other": ["B"], "third": ["A3"]}


def test_a_kit_catalog_takes_its_own_domains_entries_and_refuses_others():
    text = GNU_HEAD + 'msgid "a"\nmsgstr "A"\n\ndomain "shop"\nmsgid "b"\nmsgstr "B"\n'
    po = read_po(text.encode(), "shop.po").only_domain("shop")
    assert [e.msgid for e in po.entries] == ["a", "b"] and po.domains == {}
    with pytest.raises(CatalogError) as info:
        read_po(text.encode(), "other.po").only_domain("other")
    assert info.value.line == 9 and "one domain per file" in info.value.message


def test_a_kit_command_names_a_foreign_domain_directive(tmp_path):
    from conftest import copy_workspace, run_kit
    ws = copy_workspace(tmp_path / "ws")
    path = ws / "locales" / "lt" / "LC_MESSAGES" / "memorial-kit.po"
    path.write_bytes(path.read_bytes() + b'\ndomain "elsewhere"\nmsgid "x"\nmsgstr "y"\n')
    result = run_kit(ws, "compile", "lt")
    assert result.returncode == 2
    assert "memorial-kit.po:" in result.stderr and "'domain \"elsewhere\"' directive" in \
        result.stderr
