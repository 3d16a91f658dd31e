"""Build records: an output written by the build is trusted by its stat, any other is hashed."""
from __future__ import annotations

import json

from memorial_kit import cli, records

from conftest import copy_workspace

LEAFLET = ("build", "--locale", "lt", "--product", "leaflet", "--format", "html")


def build(ws, capsys) -> dict:
    assert cli.main(["--root", str(ws), *LEAFLET, "--json"]) == 0
    return {r["job"]: r["status"] for r in json.loads(capsys.readouterr().out)["results"]}


def test_an_untouched_output_is_not_read_again(tmp_path, capsys, monkeypatch):
    ws = copy_workspace(tmp_path / "ws")
    build(ws, capsys)
    hashed = []
    real = records.file_hash
    monkeypatch.setattr(records, "file_hash", lambda path: hashed.append(path) or real(path))
    assert set(build(ws, capsys).values()) == {"unchanged"}
    assert hashed == []


def test_an_output_changed_in_place_is_made_again_even_at_the_same_size(tmp_path, capsys):
    ws = copy_workspace(tmp_path / "ws")
    build(ws, capsys)
    page = ws / "dist" / "vorkuta-uprising" / "lt" / "leaflet.html"
    before = page.read_bytes()
    page.write_bytes(before.replace(b"<html", b"<HTML", 1))
    assert len(page.read_bytes()) == len(before)
    assert build(ws, capsys)["vorkuta-uprising/leaflet/lt"] == "built"
    assert page.read_bytes() == before
