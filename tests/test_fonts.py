"""memorial_kit/fonts.py: the fonts the templates declare (templates/fonts.css), read as the
printer and the glyph check both use them: the bundled faces, a family per script, system
families named with their package, and the chain a page prints in."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from memorial_kit import fonts
from memorial_kit.errors import RenderError

from conftest import ROOT

TEMPLATES = ROOT / "templates"
ABSENT = "Noto Serif CJK Absent"            # a system family no machine has
CJK = "Noto Serif CJK SC"                   # the system family the project declares
HEBREW, ARABIC, CHINESE = "שלום", "مرحبا", "纪念碑"


@pytest.fixture
def templates(tmp_path) -> Path:
    """A copy of the project's templates/ whose CJK system family is not installed."""
    copy = tmp_path / "templates"
    shutil.copytree(TEMPLATES, copy)
    css = copy / "fonts.css"
    text = re.sub(r"\n\s*--script-(Hant|Jpan|Kore):[^\n]*", "", css.read_text("utf-8"))
    css.write_text(text.replace('"Noto Serif CJK SC"', f'"{ABSENT}"'), "utf-8")
    return copy


def write_css(templates: Path, text: str) -> None:
    css = templates / "fonts.css"
    css.write_text(text, "utf-8")
    os.utime(css, ns=(0, css.stat().st_mtime_ns + 1_000_000_000))     # a new version, surely


def line_of(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


# ----------------------------------------------------------- reading fonts.css ---
def test_the_bundled_faces_of_the_project():
    faces = {(f.family, f.path.name): (f.bold, f.italic) for f in fonts.font_faces(TEMPLATES)}
    assert {family for family, _ in faces} == {
        "DejaVu Serif", "DejaVu Serif Condensed", "Noto Serif Hebrew", "Noto Naskh Arabic"}
    assert faces[("DejaVu Serif", "DejaVuSerif.ttf")] == (False, False)
    assert faces[("DejaVu Serif", "DejaVuSerif-Bold.ttf")] == (True, False)
    assert faces[("DejaVu Serif", "DejaVuSerif-Italic.ttf")] == (False, True)
    assert faces[("DejaVu Serif", "DejaVuSerif-BoldItalic.ttf")] == (True, True)
    assert faces[("Noto Serif Hebrew", "NotoSerifHebrew-Bold.ttf")] == (True, False)
    for face in fonts.font_faces(TEMPLATES):
        assert face.path.is_file() and face.path.parent == TEMPLATES / "fonts"


def test_a_family_per_script_with_its_line_and_package():
    text = (TEMPLATES / "fonts.css").read_text("utf-8")
    declared = [(s.script, s.family, s.package, s.line) for s in fonts.script_fonts(TEMPLATES)]
    assert declared == [
        ("Hebr", "Noto Serif Hebrew", None, line_of(text, "--script-Hebr")),
        ("Arab", "Noto Naskh Arabic", None, line_of(text, "--script-Arab")),
        ("Hans", "Noto Serif CJK SC", "fonts-noto-cjk", line_of(text, "--script-Hans")),
        ("Hant", "Noto Serif CJK TC", "fonts-noto-cjk", line_of(text, "--script-Hant")),
        ("Jpan", "Noto Serif CJK JP", "fonts-noto-cjk", line_of(text, "--script-Jpan")),
        ("Kore", "Noto Serif CJK KR", "fonts-noto-cjk", line_of(text, "--script-Kore")),
    ]


def test_what_is_commented_out_is_not_declared_and_lines_stay_true(templates):
    css = ('/* a comment\n   --script-Thai: "Noto Serif Thai";\n'
           '   @font-face { font-family: "Gone"; src: url("fonts/gone.ttf"); } */\n'
           '@font-face { font-family: "DejaVu Serif"; src: url("fonts/DejaVuSerif.ttf"); }\n'
           ':root { --script-Hebr: "Noto Serif Hebrew"; }\n')
    write_css(templates, css)
    assert [f.family for f in fonts.font_faces(templates)] == ["DejaVu Serif"]
    assert [(s.script, s.line) for s in fonts.script_fonts(templates)] == [("Hebr", 5)]


def test_templates_without_fonts_css_have_no_fonts(tmp_path):
    with pytest.raises(RenderError) as refused:
        fonts.font_faces(tmp_path)
    assert str(refused.value) == (f"{tmp_path}/fonts.css: templates/fonts.css not found: the "
                                  "products have no fonts")


@pytest.mark.parametrize("rule, message, hint", [
    ('@font-face { font-family: "X"; }',
     "@font-face needs a quoted font-family and a url()", None),
    ('@font-face { font-family: X; src: url("fonts/DejaVuSerif.ttf"); }',
     "@font-face needs a quoted font-family and a url()", None),
    ('@font-face { font-family: "X"; src: url("fonts/X-Regular.ttf"); }',
     "font file 'fonts/X-Regular.ttf' for 'X' not found", "put the font file under templates/fonts/"),
    ('@font-face { font-family: "X"; src: url("fonts"); }',
     "font file 'fonts' for 'X' not found", "put the font file under templates/fonts/"),
    ('@font-face { font-family: "X"; src: url("../outside.ttf"); }',
     "font file '../outside.ttf' for 'X' not found", "put the font file under templates/fonts/"),
])
def test_a_bad_font_face_is_an_error_at_its_line(templates, rule, message, hint):
    shutil.copy(templates / "fonts" / "DejaVuSerif.ttf", templates.parent / "outside.ttf")
    write_css(templates, "/* fonts */\n\n" + rule + "\n")
    with pytest.raises(RenderError) as refused:
        fonts.font_faces(templates)
    assert str(refused.value) == f"templates/fonts.css:3: {message}"
    assert refused.value.hint == hint


def test_a_family_the_templates_do_not_ship_is_refused():
    assert {f.path.name for f in fonts.require_font(TEMPLATES, "Noto Naskh Arabic")} == {
        "NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"}
    with pytest.raises(RenderError) as refused:
        fonts.require_font(TEMPLATES, "Times New Roman")
    assert str(refused.value) == \
        "templates/fonts.css: the font 'Times New Roman' is not declared in templates/fonts.css"
    assert refused.value.hint == \
        "declare it with @font-face and a font file under templates/fonts/"


# ----------------------------------------------------------------- the chain ---
def test_the_chain_is_the_manifests_font_then_the_pages_script_first(templates):
    names = [f.name for f in fonts.chain(templates, "DejaVu Serif", "Arab").families]
    assert names == ["DejaVu Serif", "Noto Naskh Arabic", "Noto Serif Hebrew", ABSENT]
    names = [f.name for f in fonts.chain(templates, "DejaVu Serif", "Latn").families]
    assert names == ["DejaVu Serif", "Noto Serif Hebrew", "Noto Naskh Arabic", ABSENT]


def test_the_chain_as_css_names_the_installed_families_only(templates):
    chain = fonts.chain(templates, "DejaVu Serif Condensed", "Hebr")
    assert chain.css() == '"DejaVu Serif Condensed", "Noto Serif Hebrew", "Noto Naskh Arabic"'
    absent = chain.families[-1]
    assert (absent.name, absent.installed, absent.package, absent.scripts) == (
        ABSENT, False, "fonts-noto-cjk", ["Hans"])


def test_a_system_family_that_is_absent_is_named_with_its_package(templates):
    chain = fonts.chain(templates, "DejaVu Serif", "Latn")
    uncovered = chain.uncovered(f"Tėvynė {HEBREW} {ARABIC} {CHINESE}。")
    assert uncovered == {"Han": set(CHINESE + "。")}            # the full stop goes with Han
    family = chain.missing_system_family(uncovered["Han"])
    assert (family.name, family.package) == (ABSENT, "fonts-noto-cjk")
    assert chain.missing_system_family(set("क")) is None


def test_a_script_with_no_declared_family_is_uncovered(templates):
    chain = fonts.chain(templates, "DejaVu Serif", "Latn")
    assert chain.uncovered("स्मारक, 1953") == {"Devanagari": set("स्मारक")}
    assert chain.missing_system_family(set("स्मारक")) is None


def test_every_letter_goes_to_the_first_family_that_has_it():
    chain = fonts.chain(TEMPLATES, "DejaVu Serif", "Hebr")
    assert chain.family_for("Ž").name == "DejaVu Serif"
    assert chain.family_for("א").name == "Noto Serif Hebrew"
    assert chain.family_for("ع").name == "Noto Naskh Arabic"
    assert chain.uncovered("Tėvynė Lietuva didžiuojasi ייִדיש العربية\u00ad\u2067x\u2069") == {}


def test_a_script_family_without_font_face_is_an_error_at_its_line(templates):
    write_css(templates, '@font-face { font-family: "DejaVu Serif"; '
                         'src: url("fonts/DejaVuSerif.ttf"); }\n'
                         ':root {\n  --script-Thai: "Noto Serif Thai";\n}\n')
    with pytest.raises(RenderError) as refused:
        fonts.chain(templates, "DejaVu Serif", "Thai")
    assert str(refused.value) == ("templates/fonts.css:3: the font 'Noto Serif Thai' for the "
                                  "script Thai has no @font-face rule")
    assert refused.value.hint == ('declare its files with @font-face, or mark a system family '
                                  'with system("package")')


def test_an_edit_of_fonts_css_is_read_again(templates):
    before = [f.name for f in fonts.chain(templates, "DejaVu Serif", None).families]
    css = templates / "fonts.css"
    write_css(templates, re.sub(r"\n\s*--script-Arab:[^\n]*", "", css.read_text("utf-8")))
    after = [f.name for f in fonts.chain(templates, "DejaVu Serif", None).families]
    assert "Noto Naskh Arabic" in before and "Noto Naskh Arabic" not in after


# ---------------------------------------------------------- glyphs and faces ---
@pytest.mark.parametrize("ch", [" ", "\u00a0", "\u202f", "\u00ad", "\u200d", "\u2067", "\n"])
def test_spaces_and_format_characters_need_no_glyph(ch):
    assert not fonts.needs_glyph(ch)


@pytest.mark.parametrize("ch", ["a", "Ž", "א", "\u05b8", "ع", "纪", "。", "★"])
def test_letters_marks_and_symbols_need_one(ch):
    assert fonts.needs_glyph(ch)


def test_a_family_names_the_faces_that_lack_a_letter():
    family = fonts.Family("DejaVu Serif", fonts.require_font(TEMPLATES, "DejaVu Serif"))
    assert family.covers("Ž") and family.lacking("Ž") == []
    assert not family.covers("א")
    assert sorted(family.lacking("א")) == ["DejaVuSerif-Bold.ttf", "DejaVuSerif-BoldItalic.ttf",
                                           "DejaVuSerif-Italic.ttf", "DejaVuSerif.ttf"]
    assert not fonts.Family(ABSENT, [], "fonts-noto-cjk").covers("纪")


def test_a_font_file_is_read_again_when_it_changes(tmp_path):
    path = tmp_path / "font.ttf"
    shutil.copy(TEMPLATES / "fonts" / "DejaVuSerif.ttf", path)
    assert ord("Ž") in fonts.cmap(path) and ord("א") not in fonts.cmap(path)
    shutil.copy(TEMPLATES / "fonts" / "NotoSerifHebrew-Regular.ttf", path)
    assert ord("א") in fonts.cmap(path)


def test_a_system_family_that_is_absent_has_no_faces():
    assert fonts.system_faces(ABSENT) == []


def test_an_installed_system_family_is_found_through_fontconfig():
    faces = fonts.system_faces(CJK)
    if not faces:
        pytest.skip(f"the system font {CJK!r} is not installed (Debian package fonts-noto-cjk)")
    assert {face.family for face in faces} == {CJK}
    assert all(face.path.is_file() for face in faces)
    family = fonts.Family(CJK, faces, "fonts-noto-cjk", ["Hans"])
    assert family.installed and family.covers("纪")


def test_without_fontconfig_no_system_family_is_found(monkeypatch):
    monkeypatch.setattr(fonts, "_SYSTEM", {})
    monkeypatch.setattr(fonts.shutil, "which", lambda name: None)
    assert fonts.system_faces(CJK) == []
