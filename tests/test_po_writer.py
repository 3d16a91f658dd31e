"""memorial_kit.po.writer: catalogs written exactly as GNU msgcat writes them.

GNU gettext is the oracle: what we write must be what ``msgcat`` prints for it, and
``msgfmt --check`` must accept it.
"""
from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from memorial_kit.errors import CatalogError
from memorial_kit.po import GNU_FORMATS, Entry, read_po, write_po
from po_cases import (HEADER_FIELDS, UNKNOWN_FLAGS, fields, gnu, make_po, msgcat, needs_gnu,
                      without_unknown_flags)


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
