"""memorial_kit/api.py: the public Python API as README's "Python API" documents it, used
as a program would use it: real workspaces, real catalogs, real outputs; errors are
MemorialKitError with .path, .line, .message and .hint."""
from __future__ import annotations

import pytest

from memorial_kit import api
from memorial_kit.errors import MemorialKitError, UsageError

from conftest import SEED, copy_workspace

SLUG = "vorkuta-uprising"
DOMAINS = {"memorial-kit", SLUG}


@pytest.fixture
def ws(tmp_path):
    return api.workspace(copy_workspace(tmp_path / "ws"))


def test_a_workspace_and_its_memorial(ws, monkeypatch):
    memorial = api.memorial(ws, SLUG)
    assert memorial.monument("yurshor").faces[0].inscriptions["lt"] == \
        "Tėvynė Lietuva didžiuojasi"
    monkeypatch.chdir(ws.seeds / SLUG)
    assert api.workspace() == ws == api.workspace(str(ws.root))


def test_no_workspace_is_an_error_with_a_hint(tmp_path):
    with pytest.raises(MemorialKitError) as refused:
        api.workspace(tmp_path)
    assert refused.value.message == \
        f"{tmp_path.resolve()} is not a memorial-kit workspace (it has no seeds/ folder)"
    assert refused.value.hint == "run the command in the project folder or pass --root DIR"


def test_an_unknown_memorial_is_an_error_naming_those_there_are(ws):
    with pytest.raises(UsageError) as refused:
        api.memorial(ws, "vorkuta")
    assert refused.value.hint == f"memorials here: {SLUG}"


def test_extract_init_update_compile_and_stats(tmp_path):
    ws = api.workspace(copy_workspace(tmp_path / "ws", with_locales=False))
    written = api.extract(ws)
    assert sorted(r.path for r in written) == ["locales/memorial-kit.pot", f"locales/{SLUG}.pot"]
    assert all(r.changed for r in written) and ws.pot_path(SLUG).is_file()
    assert not any(r.changed for r in api.extract(ws))          # nothing new: left as it is
    started = api.init(ws, "ru", "Eva <eva@example.org>")
    assert sorted(r.path for r in started) == [
        "locales/ru/LC_MESSAGES/memorial-kit.po", f"locales/ru/LC_MESSAGES/{SLUG}.po"]
    assert "Last-Translator: Eva <eva@example.org>" in \
        ws.po_path("ru", SLUG).read_text("utf-8")
    rows = api.stats(ws, ["ru"])
    assert {(r.locale, r.domain) for r in rows} == {("ru", d) for d in DOMAINS}
    assert all(r.translated == 0 and r.untranslated > 0 and r.percent == 0.0 for r in rows)
    assert {r.path for r in api.update(ws, ["ru"])} == {r.path for r in started}
    compiled = api.compile(ws, ["ru"])
    assert sorted(r.path for r in compiled) == [
        "locales/ru/LC_MESSAGES/memorial-kit.mo", f"locales/ru/LC_MESSAGES/{SLUG}.mo"]
    assert ws.mo_path("ru", SLUG).read_bytes()[:4] == b"\xde\x12\x04\x95"   # GNU .mo magic


def test_init_of_no_locale_is_refused(ws):
    with pytest.raises(UsageError, match="'xx' is not a locale code the kit knows"):
        api.init(ws, "xx")
    assert not (ws.locales / "xx").exists()


def test_stats_of_the_shipped_catalogs(ws):
    rows = {(r.locale, r.domain): r for r in api.stats(ws)}
    assert {locale for locale, _ in rows} == {"lt", "ru", "la"}
    lt = rows[("lt", SLUG)]
    assert lt.path == f"locales/lt/LC_MESSAGES/{SLUG}.po" and lt.percent == 100.0
    assert lt.total == lt.translated > 0


@pytest.mark.parametrize("text, formats", [
    ("pdf", ("pdf",)), ("html,pdf,png", ("html", "pdf", "png")), (" png , html ", ("png", "html")),
])
def test_formats_as_the_command_line_takes_them(text, formats):
    assert api.parse_formats(text) == formats


@pytest.mark.parametrize("text, message", [
    ("jpg", "unknown format 'jpg'"), ("pdf,docx,svg", "unknown format 'docx, svg'"),
    ("", "unknown format ''"), (" , ", "unknown format ' , '"),
])
def test_an_unknown_format_is_refused(text, message):
    with pytest.raises(UsageError) as refused:
        api.parse_formats(text)
    assert refused.value.message == message
    assert refused.value.hint == "--format takes html, pdf and png, comma-separated"


def test_build_a_plaque_then_nothing_to_do(ws):
    report = api.build(ws, locales=["lt"], products=["plaque"], formats=("html",))
    assert [(r.job, r.status, r.outputs) for r in report.results] == [
        (f"{SLUG}/plaque/lt", "built", [f"dist/{SLUG}/lt/plaque.html"])]
    assert "Tėvynė Lietuva didžiuojasi" in (ws.dist / SLUG / "lt" / "plaque.html").read_text()
    again = api.build(ws, locales=["lt"], products=["plaque"], formats=("html",))
    assert [r.status for r in again.results] == ["unchanged"]


def test_build_of_a_locale_no_manifest_lists_is_refused(ws):
    with pytest.raises(UsageError):
        api.build(ws, locales=["de"], products=["plaque"], formats=("html",))
    assert not ws.dist.exists()


BUILD_OPTIONS = ("memorial, locales, products, formats, out, allow_fallback, parallel "
                 "and force")


@pytest.mark.parametrize("options, message", [
    ({"locale": ["lt"]}, "unknown option of build(): 'locale' (did you mean 'locales'?)"),
    ({"locales": ["lt"], "product": ["plaque"]},
     "unknown option of build(): 'product' (did you mean 'products'?)"),
    ({"locales": ["lt"], "colour": "cmyk"}, "unknown option of build(): 'colour'"),
    ({"format": "pdf", "output": "print"}, "unknown options of build(): 'format', 'output'"),
])
def test_build_names_an_unknown_option_and_those_it_takes(ws, options, message):
    with pytest.raises(UsageError) as refused:
        api.build(ws, **options)
    assert refused.value.message == message
    assert refused.value.hint == f"the options of build(): {BUILD_OPTIONS}"
    assert refused.value.path is None
    assert not ws.dist.exists()


def test_check_without_rendering(ws):
    findings = api.check(ws, ["lt"], render=False)
    assert findings and {f.locale for f in findings} <= {"lt", None}
    assert not [f for f in findings if f.severity == "error"]
    coverage = [f for f in findings if f.code == "coverage"]
    assert coverage and all(f.severity == "info" and f.path.startswith("locales/lt/")
                            for f in coverage)


def test_check_finds_a_broken_translation_at_its_line(ws):
    po = ws.po_path("lt", "memorial-kit")
    text = po.read_text("utf-8")
    broken = 'msgstr "%(page)s psl. iš %(pages)s"'
    assert broken in text
    po.write_text(text.replace(broken, 'msgstr "%(paage)s psl. iš %(pages)s"'), "utf-8")
    line = text[:text.index(broken)].count("\n") + 1
    (error,) = [f for f in api.check(ws, ["lt"], render=False) if f.severity == "error"]
    assert (error.path, error.line, error.msgid) == (
        "locales/lt/LC_MESSAGES/memorial-kit.po", line - 1, "Page %(page)s of %(pages)s")
    assert "it uses %(paage)s which the source does not have; it drops %(page)s" \
        in error.message


def test_new_memorial_from_an_article(ws):
    made = api.new(ws, "yurshor", SEED)
    assert sorted(p.name for p in made.paths) == ["article.txt", "memorial.toml"]
    assert (ws.seeds / "yurshor" / "article.txt").read_bytes() == SEED.read_bytes()
    assert made.report.found
    assert api.memorial(ws, "yurshor").slug == "yurshor"
    with pytest.raises(UsageError, match="already exists"):
        api.new(ws, "yurshor", SEED)


def test_new_names_an_unknown_option_and_those_it_takes(ws):
    with pytest.raises(UsageError) as refused:
        api.new(ws, "yurshor", SEED, source="https://example.org/wiki/Yurshor")
    assert refused.value.message == \
        "unknown option of new(): 'source' (did you mean 'source_url'?)"
    assert refused.value.hint == "the options of new(): source_url, revision and wikitext"
    assert not (ws.seeds / "yurshor").exists()
