"""memorial_kit/workspace.py: where a workspace's seeds, catalogs, templates, outputs and
state are, how a command finds its workspace, and how it names what is not there."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from memorial_kit.errors import ManifestError, UsageError
from memorial_kit.workspace import TEMPLATE_DOMAIN, Workspace

from conftest import copy_workspace


@pytest.fixture
def ws(tmp_path) -> Workspace:
    return Workspace.at(copy_workspace(tmp_path / "ws"))


def test_the_folders_of_a_workspace(ws):
    root = ws.root
    assert root.is_absolute()
    assert (ws.seeds, ws.locales, ws.templates, ws.dist) == (
        root / "seeds", root / "locales", root / "templates", root / "dist")
    assert ws.state == root / ".memorial-kit"


def test_the_paths_of_catalogs(ws):
    assert ws.pot_path(TEMPLATE_DOMAIN) == ws.root / "locales" / "memorial-kit.pot"
    assert ws.po_path("lt", "vorkuta-uprising") == \
        ws.root / "locales" / "lt" / "LC_MESSAGES" / "vorkuta-uprising.po"
    assert ws.mo_path("pt_BR", TEMPLATE_DOMAIN) == \
        ws.root / "locales" / "pt_BR" / "LC_MESSAGES" / "memorial-kit.mo"
    assert ws.po_path("lt", TEMPLATE_DOMAIN).is_file()


@pytest.mark.parametrize("locale", ["../../etc", "xx", "lt/LC_MESSAGES"])
def test_a_catalog_of_no_locale_has_no_path(ws, locale):
    with pytest.raises(UsageError, match="is not a locale code the kit knows"):
        ws.po_path(locale, TEMPLATE_DOMAIN)
    with pytest.raises(UsageError):
        ws.mo_path(locale, TEMPLATE_DOMAIN)


def test_found_from_any_folder_inside_it(ws, monkeypatch):
    monkeypatch.chdir(ws.root / "locales" / "lt" / "LC_MESSAGES")
    assert Workspace.at() == ws
    monkeypatch.chdir(ws.root)
    assert Workspace.at().root == ws.root


def test_a_relative_root_is_made_absolute(ws, monkeypatch):
    monkeypatch.chdir(ws.root.parent)
    assert Workspace.at(ws.root.name) == ws


def test_a_folder_outside_any_workspace_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError) as refused:
        Workspace.at()
    assert str(refused.value) == (f"{tmp_path.resolve()} is not inside a memorial-kit workspace "
                                  "(neither it nor a folder above it has a seeds/ folder)")
    assert refused.value.hint == "run the command in the project folder or pass --root DIR"


def test_a_root_without_seeds_is_refused(tmp_path):
    (tmp_path / "locales").mkdir()
    (tmp_path / "seeds").write_text("a file, not a folder")
    with pytest.raises(UsageError) as refused:
        Workspace.at(tmp_path)
    assert str(refused.value) == \
        f"{tmp_path.resolve()} is not a memorial-kit workspace (it has no seeds/ folder)"
    assert refused.value.hint == "run the command in the project folder or pass --root DIR"


def test_a_source_folder_linked_outside_is_refused(ws, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, ws.templates / "borrowed")
    with pytest.raises(UsageError, match="outside the workspace") as refused:
        Workspace.at(ws.root)
    assert refused.value.path == "templates/borrowed"


def test_its_memorials(ws):
    (ws.seeds / "draft").mkdir()                        # no memorial.toml: not a memorial
    (ws.seeds / "notes.txt").write_text("x")
    assert ws.memorial_slugs() == ["vorkuta-uprising"]
    memorial = ws.memorial("vorkuta-uprising")
    assert memorial.slug == "vorkuta-uprising"
    assert [m.slug for m in ws.memorials()] == ["vorkuta-uprising"]
    assert [m.slug for m in ws.memorials("vorkuta-uprising")] == ["vorkuta-uprising"]


def test_an_unknown_memorial_names_those_there_are(ws):
    with pytest.raises(UsageError) as refused:
        ws.memorial("vorkuta")
    assert str(refused.value) == "no memorial 'vorkuta' in seeds"
    assert refused.value.hint == "memorials here: vorkuta-uprising"


def test_a_workspace_without_seeds_has_no_memorials(tmp_path):
    (tmp_path / "seeds").mkdir()
    ws = Workspace.at(tmp_path)
    assert ws.memorial_slugs() == [] and ws.memorials() == []
    with pytest.raises(UsageError) as refused:
        ws.memorial("vorkuta-uprising")
    assert refused.value.hint == "memorials here: none"


def test_a_memorial_name_that_is_a_path_is_refused(ws):
    with pytest.raises(UsageError, match="is not a memorial name"):
        ws.memorial("../seeds/vorkuta-uprising")


def test_a_memorial_folder_without_a_manifest_is_a_manifest_error(ws):
    (ws.seeds / "draft").mkdir()
    with pytest.raises(ManifestError):
        ws.memorial("draft")


def test_relative_names_inside_and_outside(ws, tmp_path):
    assert ws.relative(ws.po_path("lt", TEMPLATE_DOMAIN)) == \
        str(Path("locales/lt/LC_MESSAGES/memorial-kit.po"))
    assert ws.relative(tmp_path / "elsewhere.po") == str(tmp_path / "elsewhere.po")
