"""The catalog invariant: a write that would lose a translation writes nothing.

And the inputs that used to empty a catalog silently (CR-only line ends, a
non-empty file that reads as no entries) are errors with their place.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from memorial_kit import cli, merge, po as pofile
from memorial_kit.errors import InvariantError
from memorial_kit.keeping import check_kept

from conftest import copy_workspace, run_kit, snapshot

CATALOG = Path("locales/lt/LC_MESSAGES/vorkuta-uprising.po")


@pytest.fixture
def ws(tmp_path) -> Path:
    return copy_workspace(tmp_path / "ws")


def test_check_kept_accepts_a_translation_moved_to_an_obsolete_or_fuzzy_entry():
    old = pofile.read_po(b'msgid "a"\nmsgstr "A"\n\nmsgid "b"\nmsgstr "B"\n')
    new = b'#, fuzzy\nmsgid "a!"\nmsgstr "A"\n\n#~ msgid "b"\n#~ msgstr "B"\n'
    check_kept(old, new, "x.po")


def test_check_kept_refuses_a_lost_plural_form():
    old = pofile.read_po(b'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "A"\nmsgstr[1] "As"\n')
    with pytest.raises(InvariantError, match="1 translation"):
        check_kept(old, b'msgid "a"\nmsgstr "A"\n', "x.po")


def test_an_update_that_would_lose_translations_writes_nothing(ws, monkeypatch, capsys):
    original = merge.merge

    def losing_merge(po, pot, locale, *more, **options):
        merged, counts = original(po, pot, locale, *more, **options)
        merged.entries = [e for e in merged.entries if not e.msgstr][:5]
        return merged, counts

    monkeypatch.setattr(merge, "merge", losing_merge)
    before = snapshot(ws)
    pot = ws / "locales" / "vorkuta-uprising.pot"
    pot.write_bytes(pot.read_bytes() + b'\n#. new\nmsgid "Added"\nmsgstr ""\n')
    code = cli.main(["--root", str(ws), "update", "lt"])
    err = capsys.readouterr().err
    assert code == 1
    assert "would be lost" in err and "nothing was written" in err
    after = snapshot(ws)
    assert {k: v for k, v in after.items() if k.endswith(".po")} == \
        {k: v for k, v in before.items() if k.endswith(".po")}


def test_a_fuzzy_match_of_a_plural_to_a_singular_keeps_the_other_forms():
    old = pofile.read_po(b'msgid ""\nmsgstr "Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
                         b'msgid "one stone of the wall"\nmsgid_plural "%d stones of the wall"\n'
                         b'msgstr[0] "vienas akmuo"\nmsgstr[1] "%d akmenys"\n')
    pot = pofile.read_po(b'msgid "one stone of the walls"\nmsgstr ""\n')
    merged, _ = merge.merge(old, pot, "lt")
    check_kept(old, pofile.write_po(merged), "x.po")


@pytest.mark.parametrize("command", [["stats"], ["update", "lt"], ["compile", "lt"]])
def test_a_catalog_with_cr_only_line_ends_is_an_error_not_an_empty_catalog(ws, command):
    path = ws / CATALOG
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))
    before = snapshot(ws)
    result = run_kit(ws, *command)
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"{CATALOG}:1: error: a carriage return (CR) not followed by a line feed" \
        in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(ws) == before


def test_a_non_empty_file_with_no_entry_is_an_error(ws):
    path = ws / CATALOG
    path.write_bytes(b"# only a comment\n#. and another\n")
    result = run_kit(ws, "update", "lt")
    assert result.returncode == 2
    assert f"{CATALOG}:1: error: the file is not empty but holds no entry" in result.stderr
    assert path.read_bytes() == b"# only a comment\n#. and another\n"


def test_new_from_an_endless_article_stops_with_an_error(ws):
    result = run_kit(ws, "new", "endless", "--article", "/dev/zero")
    assert result.returncode == 2
    assert result.stderr.startswith("/dev/zero: error: larger than 16 MB")
    assert not (ws / "seeds" / "endless").exists()
