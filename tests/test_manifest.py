"""manifest: memorial.toml and the article -> Memorial; bad manifests refused with their line."""
from __future__ import annotations

import pytest

from memorial_kit.errors import ManifestError
from memorial_kit.manifest import load_memorial


def test_shipped_manifest(workspace):
    m = load_memorial(workspace / "seeds" / "vorkuta-uprising", workspace)
    assert m.domain == "vorkuta-uprising" and m.source_locale == "en"
    assert m.locales == ("en", "lt", "ru", "la")
    assert m.provenance.licence == "CC BY-SA 4.0"
    assert m.provenance.url == "https://en.wikipedia.org/wiki/Vorkuta_uprising"
    yurshor = m.monument("yurshor")
    assert (yurshor.sculpture, yurshor.design, yurshor.plaque) == (1990, 2009, 2003)
    front, back = yurshor.faces
    assert front.inscriptions == {"lt": "Tėvynė Lietuva didžiuojasi", "la": "Patria Lituania superbit"}
    assert back.inscriptions == {"lt": "Tėvynė Lietuva verkia", "la": "Patria Lituania flet"}
    assert back.gloss == "Fatherland Lithuania mourns"
    assert front.article_lines == {"lt": 32, "la": 32}
    assert ("ru", "en") in m.label_pairs and ("lt", "en") in m.label_pairs
    facts = {f.name: f.value for label in m.labels for f in label.facts}
    assert facts["inmates_1946"] == 62700 and facts["strikers"] == 18000
    corrected = [f for f in m.findings if f.code == "source-gloss-corrected"]
    assert corrected and corrected[0].line == 32


def _edit(workspace, old, new):
    path = workspace / "seeds" / "vorkuta-uprising" / "memorial.toml"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


def test_inscription_not_in_article_fails_with_manifest_line(workspace):
    _edit(workspace, '"Tėvynė Lietuva verkia"', '"Tevyne Lietuva verkia"')
    with pytest.raises(ManifestError) as info:
        load_memorial(workspace / "seeds" / "vorkuta-uprising", workspace)
    err = info.value
    assert err.path == "seeds/vorkuta-uprising/memorial.toml"
    lines = (workspace / err.path).read_text("utf-8").split("\n")
    assert "Tevyne Lietuva verkia" in lines[err.line - 1]
    assert "verbatim" in err.message


@pytest.mark.parametrize("old, new, words", [
    ('source_locale = "en"', 'source_locale = "en', "TOML"),
    ('domain = "vorkuta-uprising"\n', "", "domain"),
    ('locales = ["en", "lt", "ru", "la"]', 'locales = ["en", "lt", "xx-evil"]', "locale"),
    ('article = "article.txt"', 'article = "missing.txt"', "does not exist"),
])
def test_bad_manifests(workspace, old, new, words):
    _edit(workspace, old, new)
    with pytest.raises(ManifestError) as info:
        load_memorial(workspace / "seeds" / "vorkuta-uprising", workspace)
    assert words in str(info.value)
    assert info.value.path.endswith("memorial.toml")


def test_an_error_names_the_line_of_the_entry_it_is_about(workspace):
    """The second row's date is wrong: the error names its line, not the first row's."""
    path = workspace / "seeds" / "vorkuta-uprising" / "memorial.toml"
    text = path.read_text("utf-8")
    text = text.replace("{ date = 1953-08-01, text = \"Camp chief Derevyanko orders",
                        "{ date = \"1 August\", text = \"Camp chief Derevyanko orders")
    path.write_text(text, "utf-8")
    with pytest.raises(ManifestError) as info:
        load_memorial(workspace / "seeds" / "vorkuta-uprising", workspace)
    lines = text.split("\n")
    assert "labels.items.rows.date must be a date" in info.value.message
    assert '"1 August"' in lines[info.value.line - 1]


def test_a_memorial_loaded_again_is_the_same_model_until_its_files_change(workspace):
    folder = workspace / "seeds" / "vorkuta-uprising"
    first = load_memorial(folder, workspace)
    assert load_memorial(folder, workspace) is first
    # the article changed under an unchanged manifest: read again
    article = folder / "article.txt"
    text = article.read_text("utf-8")
    article.write_text(text.replace("Vorkuta", "Vorkuta ", 1), "utf-8")
    edited = load_memorial(folder, workspace)
    assert edited is not first and "Vorkuta  " in edited.article.text
    # the manifest changed: read again, and an error in it is still found
    path = _edit(workspace, 'title = "', 'title = "The ')
    assert load_memorial(folder, workspace).title.startswith("The ")
    path.write_text(path.read_text("utf-8").replace('"Tėvynė Lietuva verkia"',
                                                    '"Tevyne Lietuva verkia"', 1), "utf-8")
    with pytest.raises(ManifestError):
        load_memorial(folder, workspace)
    article.unlink()                    # a remembered model never hides a missing article
    path.write_text(path.read_text("utf-8").replace('"Tevyne Lietuva verkia"',
                                                    '"Tėvynė Lietuva verkia"', 1), "utf-8")
    with pytest.raises(ManifestError, match="does not exist"):
        load_memorial(folder, workspace)
