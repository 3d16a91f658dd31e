"""The document model: what a memorial's parts are, read from no file."""
from __future__ import annotations

from pathlib import Path

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
