"""Names cannot walk out, links cannot reach out, and every OS error on a user's
path is one line with exit 2.

Each case reproduces a fault found by probing: an id used as a path, a link
out of templates/ published or included, ``--out`` into the sources, output
paths that are folders, a bad SOURCE_DATE_EPOCH, a newline in a header value.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import copy_workspace, run_kit, snapshot

PLAQUE = ("build", "--locale", "lt", "--product", "plaque", "--format", "html")
MANIFEST = Path("seeds/vorkuta-uprising/memorial.toml")


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    return copy_workspace(tmp_path_factory.mktemp("paths") / "ws")


@pytest.fixture
def ws(base, tmp_path) -> Path:
    target = tmp_path / "ws"
    shutil.copytree(base, target, symlinks=True)
    return target


def one_error(result, location: str, text: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{location}: error: "), first
    assert text in first, first


def replace_first_id(ws: Path, old: str, new: str) -> int:
    path = ws / MANIFEST
    lines = path.read_text("utf-8").split("\n")
    number = lines.index(f'id = "{old}"')
    lines[number] = f'id = "{new}"'
    path.write_text("\n".join(lines), "utf-8")
    return number + 1


@pytest.mark.parametrize("old, what", [("yurshor", "monument"), ("front", "face"),
                                       ("uprising", "label")])
@pytest.mark.parametrize("new", ["x/../../../../../escaped", "../up", "A Capital", "a.b", ""])
def test_an_id_that_is_not_a_slug_is_refused_with_its_line(ws, old, what, new):
    line = replace_first_id(ws, old, new)
    before = snapshot(ws.parent)
    result = run_kit(ws, *PLAQUE)
    if new == "":
        assert result.returncode == 2 and f"{MANIFEST}:" in result.stderr
    else:
        one_error(result, f"{MANIFEST}:{line}", f"the {what} id")
    assert snapshot(ws.parent) == before
    assert not list(ws.parent.rglob("escaped*"))


@pytest.mark.parametrize("folder", ["seeds", "locales", "templates", "templates/fonts"])
def test_out_inside_the_sources_is_refused(ws, folder):
    before = snapshot(ws)
    result = run_kit(ws, *PLAQUE, "--out", str(ws / folder / "out"))
    one_error(result, str(ws / folder / "out"), "inside")
    assert snapshot(ws) == before


def test_a_font_link_out_of_the_workspace_is_not_published(ws, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("not for publishing")
    (ws / "templates" / "fonts" / "passwd").symlink_to(secret)
    result = run_kit(ws, *PLAQUE)
    one_error(result, "templates/fonts/passwd", "outside the workspace")
    assert not (ws / "dist").exists()


def test_a_template_including_a_link_out_of_the_workspace_is_refused(ws, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT")
    (ws / "templates" / "secret.html").symlink_to(secret)
    plaque = ws / "templates" / "plaque.html.j2"
    plaque.write_text(plaque.read_text("utf-8").replace(
        "{% block", "{% include 'secret.html' %}{% block", 1), "utf-8")
    result = run_kit(ws, *PLAQUE)
    one_error(result, "templates/secret.html", "outside the workspace")
    assert not any(b"SECRET-CONTENT" in p.read_bytes() for p in ws.rglob("*.html")
                   if p.is_file() and not p.is_symlink())


def test_a_catalog_link_out_of_the_workspace_is_refused(ws, tmp_path):
    catalog = ws / "locales" / "lt" / "LC_MESSAGES" / "memorial-kit.po"
    outside = tmp_path / "lt.po"
    shutil.move(catalog, outside)
    catalog.symlink_to(outside)
    kept = outside.read_bytes()
    result = run_kit(ws, "update", "lt")
    one_error(result, "locales/lt/LC_MESSAGES/memorial-kit.po", "outside the workspace")
    assert outside.read_bytes() == kept and catalog.is_symlink()


def test_links_inside_the_workspace_are_followed(ws):
    fonts = ws / "templates" / "fonts"
    font = next(p for p in sorted(fonts.iterdir()) if p.suffix == ".ttf")
    store = ws / "templates" / "font-store"
    store.mkdir()
    shutil.move(font, store / font.name)
    font.symlink_to(Path("..") / "font-store" / font.name)
    result = run_kit(ws, *PLAQUE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (ws / "dist" / "assets" / "fonts" / font.name).read_bytes() == \
        (store / font.name).read_bytes()


@pytest.mark.parametrize("make, location, text", [
    (lambda ws: (ws / "dist").write_text("a file"), "{ws}/dist", "the output folder is a file"),
    (lambda ws: (ws / "dist" / "index.html").mkdir(parents=True), "{ws}/dist/index.html",
     "is a folder"),
    (lambda ws: (ws / "dist" / "vorkuta-uprising" / "lt" / "plaque.html").mkdir(parents=True),
     "{ws}/dist/vorkuta-uprising/lt/plaque.html", "is a folder"),
])
def test_output_paths_that_cannot_be_written_are_one_error(ws, make, location, text):
    make(ws)
    result = run_kit(ws, *PLAQUE)
    one_error(result, location.format(ws=ws), text)


def test_a_mo_path_that_is_a_folder_is_one_error(ws):
    (ws / "locales" / "lt" / "LC_MESSAGES" / "memorial-kit.mo").mkdir()
    result = run_kit(ws, "compile", "lt")
    one_error(result, "locales/lt/LC_MESSAGES/memorial-kit.mo", "is a folder")
    assert not list((ws / "locales").rglob("*.mo*.tmp"))


@pytest.mark.parametrize("value", ["999999999999999999999", "-5", "soon", "1e9"])
def test_a_bad_source_date_epoch_is_one_error(ws, value):
    before = snapshot(ws)
    result = run_kit(ws, "extract", env={"SOURCE_DATE_EPOCH": value})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: SOURCE_DATE_EPOCH=")
    assert snapshot(ws) == before


@pytest.mark.parametrize("translator", [
    "Eve <eve@example.org>\nPlural-Forms: nplurals=1; plural=0;",
    "Eve\r<eve@example.org>", "Eve\x1b[31m"])
def test_a_header_value_with_a_control_character_is_refused(ws, translator):
    result = run_kit(ws, "init", "de", "--translator", translator)
    assert result.returncode == 2
    assert re.match(r"error: --translator .* holds the control character U\+00", result.stderr)
    assert not (ws / "locales" / "de").exists()


def test_an_os_error_nobody_foresaw_is_one_line(ws, monkeypatch, capsys):
    from memorial_kit import api, cli

    def unreadable(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(ws / "locales" / "x.po"))
    monkeypatch.setattr(api, "stats", unreadable)
    assert cli.main(["--root", str(ws), "stats"]) == 2
    assert capsys.readouterr().err == f"{ws}/locales/x.po: error: Permission denied\n"


def test_an_output_file_linked_out_of_the_output_folder_is_not_written_through(ws, tmp_path):
    victim = tmp_path / "victim.html"
    victim.write_text("precious")
    (ws / "dist").mkdir()
    (ws / "dist" / "index.html").symlink_to(victim)
    result = run_kit(ws, *PLAQUE)
    one_error(result, f"{ws}/dist/index.html", "leads outside the output folder")
    assert victim.read_text() == "precious"


def test_a_named_pipe_is_refused_not_waited_on(ws):
    import os
    path = ws / "locales" / "lt" / "LC_MESSAGES" / "memorial-kit.po"
    path.unlink()
    os.mkfifo(path)
    result = run_kit(ws, "stats")
    one_error(result, "locales/lt/LC_MESSAGES/memorial-kit.po", "named pipe")


def test_a_link_made_after_the_workspace_was_opened_is_refused_by_the_build(ws, tmp_path):
    """A long-running command (serve) opens the workspace once and builds many times."""
    from memorial_kit import api
    from memorial_kit.errors import UsageError
    workspace = api.workspace(ws)
    secret = tmp_path / "secret.txt"
    secret.write_text("not for publishing")
    (ws / "templates" / "secret.html").symlink_to(secret)
    with pytest.raises(UsageError, match="outside the workspace"):
        api.build(workspace, locales=["lt"], products=["plaque"], formats=("html",))
