"""memorial-kit pseudo: the qps pseudo-locale, accented, longer, bracketed, and checkable."""
import json
import re

import pytest

from memorial_kit import placeholders, po
from memorial_kit.checks import run_checks
from memorial_kit.checks import numbers as nums
from memorial_kit.checks.glyphs import coverage
from memorial_kit.checks.products import attempt, plan
from memorial_kit.cli import main
from memorial_kit.pseudo import (ACCENTS, FILLER, PLAIN_MARKERS, accent, mirrored_text,
                                  pseudo_text, write_pseudo)
from memorial_kit.render import Renderer
from memorial_kit.workspace import Workspace

from conftest import ROOT, run_kit

SAMPLES = [
    "Vorkuta uprising",
    "Text: “%(title)s”, %(publisher)s, %(licence)s, %(url)s.",
    "{period}: inmates of the Rechlag special camp at Vorkuta went on strike, {strikers} of them.",
    "In 1946 it housed 62,700 inmates, 56,000 in July 1953.",
    'Monument at Mine 29 "Yurshor"',
    "%(num)s people killed",
    "Page %(page)s of %(pages)s",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_pseudo_text_keeps_placeholders_and_numbers(text):
    out = pseudo_text(text)
    assert out.startswith("[") and out.endswith("]")
    assert placeholders.braces(out) == placeholders.braces(text)
    assert placeholders.directives(out).named == placeholders.directives(text).named
    diff = nums.compare(text, out)
    assert not (diff.changed or diff.missing or diff.added)
    assert 1.3 <= len(out) / len(text) <= 1.6 or len(text) < 20
    assert out != text and re.search("[áéíóú]", out)


def test_pseudo_text_keeps_whitespace_outside_and_the_full_stop_last():
    assert pseudo_text("\nHello.\n").startswith("\n[") and pseudo_text("\nHello.\n").endswith(".]\n")
    assert pseudo_text("") == "" and pseudo_text("  ") == "  "
    assert accent("{name} %(x)s <b>&amp; test") == "{name} %(x)s <b>&amp; ťéšť"


def test_every_pseudo_character_is_in_the_products_font():
    font = coverage(ROOT / "templates", "DejaVu Serif")
    used = set(ACCENTS.values()) | set(FILLER) | set("".join(PLAIN_MARKERS))
    assert [c for c in used if not c.isspace() and font.lacking(c)] == []


@pytest.fixture
def pseudo_ws(workspace):
    ws = Workspace(workspace)
    results = write_pseudo(ws)
    assert [r.path for r in results] == ["locales/qps/LC_MESSAGES/memorial-kit.po",
                                         "locales/qps/LC_MESSAGES/vorkuta-uprising.po"]
    return ws


def test_pseudo_writes_a_complete_catalog_per_domain(pseudo_ws):
    for domain in ("memorial-kit", "vorkuta-uprising"):
        path = pseudo_ws.po_path("qps", domain)
        catalog = po.read_po(path.read_bytes(), str(path))
        pot = po.read_po(pseudo_ws.pot_path(domain).read_bytes())
        assert [e.key for e in catalog.entries] == [e.key for e in pot.entries]
        assert all(e.translated for e in catalog.entries)
        assert catalog.header_value("Language") == "qps"
        assert po.write_po(catalog) == path.read_bytes()          # GNU form
    gloss = po.read_po(pseudo_ws.po_path("qps", "vorkuta-uprising").read_bytes()).get(
        "inscription: yurshor, front face", "Fatherland Lithuania is proud")
    assert gloss.msgstr == "[Fáťĥéŕĺáñd Ĺíťĥúáñíá íš pŕóúd ĺóŕéḿ ĩƥš]"      # qps is not carved
    assert not write_pseudo(pseudo_ws)[0].changed                 # rewriting changes nothing


def test_qps_checks_clean_and_every_product_can_be_built(pseudo_ws):
    findings = [f for f in run_checks(pseudo_ws, ["qps"], render=False) if f.locale]
    # The plaque's height leaves each gloss one line, of 33 characters by the limits'
    # estimate: the glosses made 40 % longer pass it, which the limits warn of (the
    # narrow accented letters still fit the plaque, as the build below shows).
    too_long = [f for f in findings if f.code == "max-length"]
    assert {(f.severity, f.msgctxt) for f in too_long} == {
        ("warning", "inscription: yurshor, front face"), ("warning", "inscription: yurshor, back face")}
    assert [f.lines() for f in findings if f.severity != "info" and f not in too_long] == []
    assert findings[-1].message == "qps: leaflet, plaque, labels qps-en can ship"
    memorial = pseudo_ws.memorial("vorkuta-uprising")
    renderer = Renderer(pseudo_ws.templates)
    products = plan(memorial, "qps")
    assert [p.name for p in products] == ["leaflet", "plaque", "labels qps-en"]
    html = attempt(pseudo_ws, memorial, renderer, products[0]).html
    assert "[Vóŕķúťá úpŕíšíñĝ ĺóŕé]" in html                      # the title, pseudo-translated
    assert "Tėvynė Lietuva didžiuojasi" in html                   # the stone is never pseudo


def test_cli_pseudo_and_check_qps(workspace, capsys):
    wrote = run_kit(workspace, "pseudo")
    assert wrote.returncode == 0 and "wrote locales/qps/LC_MESSAGES/vorkuta-uprising.po" in wrote.stdout
    assert main(["--root", str(workspace), "check", "qps", "--no-render", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)
    assert main(["--root", str(workspace), "pseudo", "--locale", "lt"]) == 2
    assert "overwrite" in capsys.readouterr().err


def test_mirrored_text_spells_each_word_backwards_and_keeps_placeholders_and_numbers():
    assert mirrored_text("Page %(page)s of {pages}, 12 left.") == (
        "egaP %(page)s fo {pages}, 12 tfel.")
    assert mirrored_text("Tėvynė's <b>ab</b>") == "s'ėnyvėT <b>ba</b>"
    assert mirrored_text("in «Patria flet» here", ("Patria flet",)) == "ni «Patria flet» ereh"


def test_the_right_to_left_pseudo_locale_is_built_right_to_left(workspace):
    result = run_kit(workspace, "pseudo", "--rtl")
    assert result.returncode == 0, result.stderr
    assert "locales/qps_XB/LC_MESSAGES/vorkuta-uprising.po" in result.stdout
    assert run_kit(workspace, "check", "qps_XB", "--no-render").returncode == 0
    built = run_kit(workspace, "build", "--locale", "qps_XB", "--product", "leaflet",
                    "--format", "html")
    assert built.returncode == 0, built.stdout
    page = (workspace / "dist" / "vorkuta-uprising" / "qps_XB" / "leaflet.html").read_text("utf-8")
    assert '<html lang="qps_XB" dir="rtl"' in page
    # The carved Lithuanian and Latin are passages of the other direction.
    assert '<blockquote class="carved" lang="lt" dir="ltr">Tėvynė Lietuva didžiuojasi' in page
