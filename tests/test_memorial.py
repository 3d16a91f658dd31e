"""The document model: frozen once loaded; its facts typed, each with its line."""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from memorial_kit import extract
from memorial_kit.manifest import load_memorial
from memorial_kit.memorial import face_kind


def test_face_ids_are_the_faces_the_templates_name():
    # Each kind has a translatable name in templates/macros.html.j2; a second face of a
    # kind is numbered, as drafting numbers it.
    assert [face_kind(i) for i in ("front", "front-2", "plinth", "base-3")] == [
        "front", "front", "plinth", "base"]
    assert [face_kind(i) for i in ("north", "front-", "Front", "front-x", "")] == [None] * 5
    macros = (Path(__file__).resolve().parent.parent / "templates" / "macros.html.j2").read_text()
    for kind in ("front", "back", "obverse", "reverse", "left", "right", "side", "top", "base",
                 "pedestal", "plinth"):
        assert f'kind == "{kind}" %}}{{{{ pgettext("monument face", "{kind.capitalize()}") }}}}' \
            in macros


@pytest.fixture
def memorial(workspace):
    return load_memorial(workspace / "seeds" / "vorkuta-uprising", workspace)


def test_a_loaded_memorial_cannot_change(memorial):
    with pytest.raises(dataclasses.FrozenInstanceError):
        memorial.title = "Another"
    yurshor = memorial.monument("yurshor")
    with pytest.raises(dataclasses.FrozenInstanceError):
        yurshor.faces[0].gloss = "x"
    with pytest.raises(TypeError):
        yurshor.faces[0].inscriptions["lt"] = "x"       # a read-only view
    with pytest.raises(TypeError):
        memorial.names["lt"]["Vorkuta"] = "x"
    with pytest.raises(AttributeError):
        memorial.locales.append("de")
    assert isinstance(memorial.labels, tuple) and isinstance(memorial.labels[0].facts, tuple)


def test_a_changed_copy_is_frozen_too(memorial):
    """A stage that needs another memorial makes a copy; the copy cannot change either."""
    fewer = dataclasses.replace(memorial, locales=["en", "lt"],
                                infobox_labels={"Date": "When"})
    assert fewer.locales == ("en", "lt") and memorial.locales == ("en", "lt", "ru", "la")
    with pytest.raises(TypeError):
        fewer.infobox_labels["Date"] = "x"


def test_facts_are_typed_and_carry_their_line(memorial):
    lines = memorial.manifest_path.read_text("utf-8").split("\n")
    start, end = memorial.facts.start, memorial.facts.end
    assert (start.value, end.value) == (dt.date(1953, 7, 19), dt.date(1953, 8, 1))
    assert lines[start.line - 1] == "start = 1953-07-19"
    assert [(k.count, k.source) for k in memorial.facts.killed] == [
        (42, "Leonid Markizov"), (66, "Solzhenitsyn")]
    assert all(f'source = "{k.source}"' in lines[k.line - 1] for k in memorial.facts.killed)
    label = next(label for label in memorial.labels if label.id == "rechlag")
    month = next(f for f in label.facts if f.name == "month_1953")
    assert (month.value, month.format) == (dt.date(1953, 7, 1), "month-year")
    assert "month_1953 = 1953-07-01" in lines[month.line - 1]
    row = memorial.labels[3].rows[1]
    assert [(f.name, f.line) for f in row.facts] == [(name, row.line) for name in (
        "killed", "wounded", "killed_other")]


def test_no_stage_reads_the_manifest_again(memorial):
    """The messages' references come from the model: memorial.toml is not read again."""
    memorial.manifest_path.unlink()
    messages = {m.msgid: m for m in extract.memorial_messages(memorial)}
    killed = memorial.facts.killed[1]
    assert messages["Solzhenitsyn"].references == [
        f"seeds/vorkuta-uprising/memorial.toml:{killed.line}"]
