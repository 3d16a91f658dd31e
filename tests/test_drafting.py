"""`new`: an article the kit has not seen becomes a memorial that extracts, inits and builds."""
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from memorial_kit import po
from memorial_kit.article import parse_article, read_article
from memorial_kit.drafting import draft, draft_manifest, find_inscriptions, new_memorial
from memorial_kit.manifest import load_memorial
from memorial_kit.errors import UsageError
from memorial_kit.workspace import Workspace

from conftest import SEED, copy_workspace, run_kit

MILLBROOK = Path(__file__).parent / "data" / "articles" / "millbrook.txt"


def test_inscriptions_faces_languages_and_glosses_of_the_seed():
    faces = find_inscriptions(read_article(SEED))
    assert [(f.id, f.inscriptions, f.gloss) for f in faces] == [
        ("front", {"lt": "Tėvynė Lietuva didžiuojasi", "la": "Patria Lituania superbit"},
         "Fatherland Lithuania is proud"),
        ("back", {"lt": "Tėvynė Lietuva verkia", "la": "Patria Lituania flet"},
         "Fatherland Lithuania is mourns")]


def test_draft_of_the_seed_marks_what_to_confirm():
    draft = draft_manifest(read_article(SEED), "vorkuta-draft")
    assert 'locales = ["en", "lt", "la"]' in draft
    assert "start = 1953-07-19" in draft and "end = 1953-08-01" in draft
    assert 'count = 57, qualifier = ""' in draft            # the infobox's "57 killed"
    assert '{ count = 42, source = "Leonid Markizov"' in draft
    assert "sculpture = 1990" in draft and "design = 2009" in draft and "plaque = 2003" in draft
    assert draft.count("CONFIRM") >= 5


def test_new_article_goes_through_new_extract_init_build(tmp_path):
    ws_path = copy_workspace(tmp_path / "ws")
    ws = Workspace(ws_path)
    written = new_memorial(ws, "millbrook", MILLBROOK).paths
    assert [p.name for p in written] == ["article.txt", "memorial.toml"]
    assert (ws_path / "seeds" / "millbrook" / "article.txt").read_bytes() == MILLBROOK.read_bytes()
    memorial = ws.memorial("millbrook")
    assert memorial.locales == ("en", "de", "la")
    front, back = memorial.monuments[0].faces
    assert front.inscriptions == {"de": "Ruhet in Frieden", "la": "Requiescant in pace"}
    assert back.inscriptions == {"de": "Wir vergessen euch nicht", "la": "Non obliviscemur"}
    assert back.gloss == "We will not forget you"
    assert memorial.monuments[0].sculpture == 1925 and memorial.monuments[0].plaque == 1971

    assert run_kit(ws_path, "extract").returncode == 0
    assert (ws_path / "locales" / "millbrook.pot").exists()
    result = run_kit(ws_path, "init", "de")
    assert result.returncode == 0, result.stderr
    assert not (ws_path / "locales" / "de" / "LC_MESSAGES" / "vorkuta-uprising.po").exists()
    german = po.read_po_file(ws_path / "locales" / "de" / "LC_MESSAGES" / "millbrook.po")
    carved = german.get("inscription: monument, front face", "Rest in peace")
    assert carved.msgstr == "Ruhet in Frieden"          # init starts from the stone's text

    build = run_kit(ws_path, "build", "--memorial", "millbrook", "--locale", "en", "--product",
                    "leaflet", "--product", "plaque", "--json")
    report = json.loads(build.stdout)
    statuses = {r["job"]: r["status"] for r in report["results"]}
    # The article does not say where it comes from: no licence, so no credit line and no
    # leaflet; the plaque prints none.
    assert statuses == {"millbrook/leaflet/en": "skipped", "millbrook/plaque/en": "built"}, build.stdout
    html = (ws_path / "dist" / "millbrook" / "en" / "plaque.html").read_text("utf-8")
    assert '<blockquote class="carved" lang="de">Wir vergessen euch nicht</blockquote>' in html


def test_new_refuses_existing_folder_and_bad_names(tmp_path):
    ws = Workspace(copy_workspace(tmp_path / "ws"))
    with pytest.raises(UsageError):
        new_memorial(ws, "vorkuta-uprising", MILLBROOK)
    with pytest.raises(UsageError):
        new_memorial(ws, "../escape", MILLBROOK)
    assert not (tmp_path / "escape").exists()


# -- a draft always loads, whatever the article says ------------------------------------


PIECES = st.sampled_from([
    "The monument", "reads", "inscribed", "in Latvian", "in Hebrew", "(German)", "in Estonian",
    "«Mēs atceramies»", "„Nie wieder“", "“Souviens-toi”", '"Rest"', "‚Atminkite‘", "‹זכור›",
    "[We remember]", "(Never again)", "meaning", "on the front:", "on its base", "beneath",
    "the back", "left", "about", "over 1,200", "42 were killed", "according to Smith,",
    "19 July 1953", "July 1941 – August 1944", "1941–1944", "unveiled in 1988", "restored",
    "and", ",", ".", "\\", "{x}", "#", "'", "5", "ΕΙΡΗΝΗ", "Миллионам",
])
PARAGRAPHS = st.lists(st.lists(PIECES, min_size=1, max_size=14).map(" ".join),
                      min_size=1, max_size=4)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(lead=PARAGRAPHS, section=PARAGRAPHS, key=st.sampled_from(["Date", "Unveiled", "Killed"]),
       value=PIECES)
def test_any_draft_loads(tmp_path, lead, section, key, value):
    text = (f"= A memorial =\n\nInfobox\n- {key}: {value}\n\n" + "\n\n".join(lead)
            + "\n\n==Memorial==\n" + "\n\n".join(section) + "\n")
    article = parse_article(text, "article.txt")
    manifest, report = draft(article, "drafted")
    folder = tmp_path / "drafted"
    folder.mkdir(exist_ok=True)
    (folder / "article.txt").write_text(text, "utf-8")
    (folder / "memorial.toml").write_text(manifest, "utf-8")
    memorial = load_memorial(folder)
    carved = sum(len(f.inscriptions) for m in memorial.monuments for f in m.faces)
    assert carved == sum(1 for _, what in report.found if what.startswith("inscription "))
