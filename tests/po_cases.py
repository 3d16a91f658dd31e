"""What the tests of memorial_kit.po share: GNU gettext as the oracle (msgcat, msgfmt),
a catalog of real header fields, and the whole-entry reader checked against the line
reader on any text."""
from __future__ import annotations

import random
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from memorial_kit.errors import CatalogError
from memorial_kit.po import Entry, PoFile, fast_reader
from memorial_kit.po.reader import LineParser

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


def fields(e: Entry) -> dict:
    return {k: getattr(e, k) for k in (
        "msgid", "msgstr", "msgid_plural", "msgstr_plural", "msgctxt", "translator_comments",
        "extracted_comments", "references", "flags", "previous_msgctxt", "previous_msgid",
        "previous_msgid_plural", "obsolete")}


def read_both(text: str) -> bool:
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


def plain_catalog(rng: random.Random) -> PoFile:
    """Twelve entries of every kind, their text drawn by ``rng``."""
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
