"""memorial_kit.po.mo: .mo files that answer lookups like, and are byte-identical to,
the ones msgfmt makes."""
from __future__ import annotations

import gettext
import io
import random
import subprocess

from memorial_kit.po import Entry, mo_hash, write_mo, write_po
from po_cases import make_po, needs_gnu, plain_catalog



@needs_gnu
def test_mo_matches_msgfmt_lookups_and_bytes(tmp_path):
    rng = random.Random(5)
    po = plain_catalog(rng)
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
