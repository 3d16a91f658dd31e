"""memorial_kit.po.reader and fast_reader: what GNU gettext reads, the kit reads (other
tools' files, GNU's tolerated forms, charsets), broken input refused with its line, and
the whole-entry reader giving the line reader's catalog on any input.
"""
from __future__ import annotations

import io
import random
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from memorial_kit.errors import CatalogError
from memorial_kit.po import Entry, fast_reader, read_po, reader, write_po
from memorial_kit.po.reader import LineParser
from po_cases import (fields, make_po, msgcat, needs_gnu, plain_catalog, read_both,
                      without_unknown_flags)


# --------------------------------------------------- other tools' files ---

@needs_gnu
def test_polib_output_reads_back_fully():
    polib = pytest.importorskip("polib")
    rng = random.Random(11)
    for _ in range(5):
        po = plain_catalog(rng)
        data = write_po(po)
        pol = str(polib.pofile(data.decode(), wrapwidth=78)).encode()
        ours = read_po(pol)
        assert [fields(e) for e in ours.entries] == [fields(e) for e in read_po(data).entries]
        assert without_unknown_flags(write_po(ours)) == msgcat(pol)


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


# -- the whole-entry reader agrees with the line reader --------------------------------
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
    read_both("\n".join(lines) + ("\n" if final_newline else ""))


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
    assert read_both(text), "GNU-shaped output must not need the line reader"


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
        assert read_both(path.read_text("utf-8")), path


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
