"""Compare-and-swap writes: a file changed since it was read is never overwritten.

Each test makes the fault happen deterministically (an editor's save, a program
rewriting the file in place, a symlinked catalog) at the moment the kit is
between its read and its write.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from memorial_kit import cli, merge, po as pofile
from memorial_kit.errors import ConflictError
from memorial_kit.fsutil import (ReadError, cas_write, read_bounded, read_snapshot, unchanged,
                                 write_if_changed)
from memorial_kit.workspace import Workspace

from conftest import copy_workspace, run_kit

CATALOG = Path("locales/lt/LC_MESSAGES/vorkuta-uprising.po")


def editor_save(path: Path, data: bytes) -> None:
    """What an editor does: write a new file beside it, rename it over."""
    tmp = path.with_name(path.name + ".editor~")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def test_cas_write_refuses_a_file_replaced_since_it_was_read(tmp_path):
    path = tmp_path / "a.po"
    path.write_bytes(b"old")
    read = read_snapshot(path)
    editor_save(path, b"the translator's")
    with pytest.raises(ConflictError, match="changed on disk"):
        cas_write(read, b"ours")
    assert path.read_bytes() == b"the translator's"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.po"]       # no temporary left


def test_cas_write_refuses_a_file_rewritten_in_place_with_the_same_size(tmp_path):
    path = tmp_path / "a.po"
    path.write_bytes(b"old one")
    read = read_snapshot(path)
    with open(path, "r+b") as handle:           # same inode, same size
        handle.write(b"new one")
    assert not unchanged(read)
    with pytest.raises(ConflictError):
        cas_write(read, b"ours")
    assert path.read_bytes() == b"new one"


def test_cas_write_of_an_absent_file_refuses_one_created_meanwhile(tmp_path):
    path = tmp_path / "new.po"
    read = read_snapshot(path)
    assert not read.exists
    path.write_bytes(b"someone else's")
    with pytest.raises(ConflictError):
        cas_write(read, b"ours")
    assert path.read_bytes() == b"someone else's"
    fresh = tmp_path / "fresh.po"
    cas_write(read_snapshot(fresh), b"ours")
    assert fresh.read_bytes() == b"ours"


def test_a_symlinked_file_is_written_through_to_its_target(tmp_path):
    target = tmp_path / "real" / "a.po"
    target.parent.mkdir()
    target.write_bytes(b"old")
    link = tmp_path / "a.po"
    link.symlink_to(target)
    assert write_if_changed(link, b"new")
    assert link.is_symlink() and target.read_bytes() == b"new"


def test_bounded_read_of_an_endless_device_stops_with_an_error():
    with pytest.raises(ReadError, match="larger than"):
        read_bounded("/dev/zero", limit=1024 * 1024)


def test_reading_a_folder_is_one_error(tmp_path):
    with pytest.raises(ReadError, match="folder"):
        read_bounded(tmp_path)


# ------------------------------------------------------ update and compile ---

@pytest.fixture
def ws(tmp_path) -> Path:
    return copy_workspace(tmp_path / "ws")


def add_source_message(ws: Path) -> None:
    """A new message in the template, so that update has something to write."""
    pot = ws / "locales" / "vorkuta-uprising.pot"
    pot.write_bytes(pot.read_bytes() + b'\n#. new\nmsgid "A message added to the source"\n'
                                         b'msgstr ""\n')


def _a_translation(entries, n=0):
    return [e for e in entries if e.msgstr and not e.obsolete][n]


def test_a_save_during_update_is_merged_not_undone(ws, monkeypatch):
    """The failure: update renamed its merge over the translator's newer save."""
    path = ws / CATALOG
    original = merge.merge
    saved = []

    def merge_while_translator_saves(po, pot, locale, *more, **options):
        if not saved and po.path and po.path.endswith("vorkuta-uprising.po") and locale == "lt":
            catalog = pofile.read_po(path.read_bytes(), str(path))
            entry = _a_translation(catalog.entries)
            entry.msgstr = "Saved by the translator during the update"
            editor_save(path, pofile.write_po(catalog))
            saved.append(entry.msgid)
        return original(po, pot, locale, *more, **options)

    monkeypatch.setattr(merge, "merge", merge_while_translator_saves)
    add_source_message(ws)
    merge.update(Workspace.at(ws), ["lt"])
    assert saved
    result = pofile.read_po(path.read_bytes())
    assert result.get(None, saved[0]).msgstr == "Saved by the translator during the update"
    assert result.get(None, "A message added to the source") is not None


def test_update_stops_with_exit_1_when_the_file_keeps_changing(ws, monkeypatch, capsys):
    path = ws / CATALOG
    original = merge.merge
    versions = []

    def merge_while_file_changes(po, pot, locale, *more, **options):
        if po.path and po.path.endswith("vorkuta-uprising.po") and locale == "lt":
            data = path.read_bytes() + b"\n# save %d\n" % len(versions)
            editor_save(path, data)
            versions.append(data)
        return original(po, pot, locale, *more, **options)

    monkeypatch.setattr(merge, "merge", merge_while_file_changes)
    add_source_message(ws)
    code = cli.main(["--root", str(ws), "update", "lt"])
    err = capsys.readouterr().err
    assert code == 1
    assert f"{CATALOG}: error: changed on disk" in err
    assert path.read_bytes() == versions[-1]          # the last save, untouched


def test_compile_does_not_write_a_mo_of_a_catalog_saved_meanwhile(ws, monkeypatch, capsys):
    path = ws / CATALOG
    original = pofile.write_mo

    def write_mo_while_saving(po):
        if po.path and po.path.endswith(str(CATALOG)) and not path.with_suffix(".saved").exists():
            editor_save(path, path.read_bytes() + b"\n")
            path.with_suffix(".saved").write_bytes(b"")
        return original(po)

    monkeypatch.setattr(pofile, "write_mo", write_mo_while_saving)
    code = cli.main(["--root", str(ws), "compile", "lt"])
    assert code == 1
    assert f"{CATALOG}: error: changed on disk" in capsys.readouterr().err
    assert not list((ws / "locales" / "lt").rglob("*.mo"))


def test_update_writes_a_symlinked_catalog_through_its_link(ws):
    path = ws / CATALOG
    kept = ws / "translations" / "lt.po"
    kept.parent.mkdir()
    os.replace(path, kept)
    path.symlink_to(os.path.relpath(kept, path.parent))
    add_source_message(ws)
    result = run_kit(ws, "update", "lt")
    assert result.returncode == 0, result.stderr
    assert path.is_symlink()
    assert b"A message added to the source" in kept.read_bytes()


def test_a_file_rewritten_in_place_during_update_is_merged_whole(ws, monkeypatch):
    """The failure: update merged the half-written file a program was rewriting in place,
    and the translations of the other half were lost with exit 0."""
    path = ws / CATALOG
    whole = path.read_bytes()
    cut = whole.index(b"\n\n", len(whole) // 2) + 2     # half, at an entry's end: it parses
    with open(path, "r+b") as handle:
        handle.truncate(cut)
    original = merge.merge
    finished = []

    def merge_while_the_rewrite_ends(po, pot, locale, *more, **options):
        if not finished and po.path and po.path.endswith(str(CATALOG)):
            with open(path, "ab") as handle:            # same inode: the rest of the file
                handle.write(whole[cut:])
            finished.append(True)
        return original(po, pot, locale, *more, **options)

    monkeypatch.setattr(merge, "merge", merge_while_the_rewrite_ends)
    add_source_message(ws)
    merge.update(Workspace.at(ws), ["lt"])
    assert finished
    expected = {e.msgstr for e in pofile.read_po(whole).entries if e.msgstr}
    result = pofile.read_po(path.read_bytes())
    assert expected <= {e.msgstr for e in result.entries}
