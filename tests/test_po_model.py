"""memorial_kit.po.model: entries and catalogs, their header fields and lookups."""
from __future__ import annotations

from memorial_kit.po import Entry, read_po_file, write_po, write_po_file
from po_cases import make_po



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
