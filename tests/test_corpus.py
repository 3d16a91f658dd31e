"""Articles the kit has not been tuned on: each becomes a memorial through
new -> extract -> init -> check -> build --allow-fallback, with no hand edit.

Each tests/data/articles/<name>.(txt|wiki) has <name>.expected.json: the languages, the
faces (carved texts and gloss) and strings its draft must contain."""
import json
from pathlib import Path

import pytest

from memorial_kit.workspace import Workspace

from conftest import copy_workspace, run_kit

ARTICLES = Path(__file__).parent / "data" / "articles"
CASES = sorted(p for p in ARTICLES.iterdir() if p.suffix in (".txt", ".wiki")
               and p.with_suffix(".expected.json").exists())


def expected(path: Path) -> dict:
    return json.loads(path.with_suffix(".expected.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Every article drafted, extracted, initialised, checked and built in one workspace."""
    ws = copy_workspace(tmp_path_factory.mktemp("corpus") / "ws")
    outputs = {}
    for path in CASES:
        want = expected(path)
        args = ["new", path.stem, "--article", str(path)]
        if "source_url" in want:
            args += ["--source-url", want["source_url"]]
        if "revision" in want:
            args += ["--revision", want["revision"]]
        outputs[path.stem] = run_kit(ws, *args)
    extract = run_kit(ws, "extract")
    assert extract.returncode == 0, extract.stderr
    codes = sorted({c for p in CASES for c in expected(p)["locales"] if c != "en"})
    inits = {code: run_kit(ws, "init", code) for code in codes}
    check = run_kit(ws, "check", "--no-render", "--json")
    build = run_kit(ws, "build", "--allow-fallback", "--locale", "en", "--format", "html",
                    "--json")
    return ws, outputs, inits, check, build


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_the_draft_holds_what_the_article_says(corpus, path):
    ws, outputs, _, _, _ = corpus
    want = expected(path)
    made = outputs[path.stem]
    assert made.returncode == 0, made.stderr
    assert "drafting report" in made.stdout
    memorial = Workspace(ws).memorial(path.stem)
    assert list(memorial.locales) == want["locales"]
    faces = [f for m in memorial.monuments for f in m.faces]
    assert len(faces) == len(want["faces"]), [(f.id, f.inscriptions) for f in faces]
    for face, face_wanted in zip(faces, want["faces"]):
        assert face.inscriptions == face_wanted["inscriptions"]
        assert face.gloss == face_wanted["gloss"]
        if "id" in face_wanted:
            assert face.id == face_wanted["id"]
    if "monuments" in want:
        assert len(memorial.monuments) == want["monuments"]
    manifest = memorial.manifest_path.read_text("utf-8")
    for text in want["manifest_contains"]:
        assert text in manifest, text
    for face_wanted in want["faces"]:
        if "confirm" in face_wanted:
            assert face_wanted["confirm"] in manifest
    for text in want.get("skipped", []):
        assert f"{text!r}" in made.stdout          # the report names what it skipped
    for line in made.stdout.splitlines():
        if line.strip().startswith("found "):
            assert f"seeds/{path.stem}/article.txt:" in line      # with its article line


@pytest.mark.parametrize("path", [p for p in CASES if p.suffix == ".wiki"], ids=lambda p: p.name)
def test_wikitext_becomes_the_seed_format_and_is_kept(corpus, path):
    ws, _, _, _, _ = corpus
    want = expected(path)
    folder = ws / "seeds" / path.stem
    assert (folder / "article.wiki").read_bytes() == path.read_bytes()
    article = (folder / "article.txt").read_text("utf-8")
    for text in want["article_contains"]:
        assert text in article, text
    for text in want["article_lacks"]:
        assert text not in article, text


def test_every_language_is_started_and_said(corpus):
    _, _, inits, _, _ = corpus
    for code, result in inits.items():
        assert result.returncode == 0, result.stderr
        assert f"locales/{code}/LC_MESSAGES/memorial-kit.po" in result.stdout


def test_check_reads_every_draft(corpus):
    _, _, _, check, _ = corpus
    findings = json.loads(check.stdout)
    drafted = {p.stem for p in CASES}
    # The drafts bring no error of their own but glyphs the templates' fonts lack
    # (scripts such as Hebrew need a font the templates declare).
    errors = [f for f in findings if f["severity"] == "error"
              and any(f"/{slug}.po" in (f.get("path") or "") or f"seeds/{slug}/" in
                      (f.get("path") or "") for slug in drafted)]
    assert {f["code"] for f in errors} <= {"glyph-missing"}, errors


def test_every_draft_builds(corpus):
    _, _, _, _, build = corpus
    report = json.loads(build.stdout)
    statuses = {r["job"]: r for r in report["results"]}
    for path in CASES:
        want = expected(path)
        slug = path.stem
        plaques = [j for j in statuses if j.startswith(f"{slug}/plaque")]
        assert len(plaques) == want.get("monuments", 1 if want["faces"] else 0)
        for job in plaques:
            assert statuses[job]["status"] == "built", statuses[job]
        leaflet = statuses[f"{slug}/leaflet/en"]
        if "wikipedia.org" in want.get("source_url", ""):
            assert leaflet["status"] == "built", leaflet
        else:      # no stated origin: no credit line, so no leaflet, and the reason says why
            assert leaflet["status"] == "skipped"
            assert f"seeds/{slug}/memorial.toml:" in leaflet["reason"]
            assert "provenance.licence" in leaflet["reason"]
    assert not report["failed"]
