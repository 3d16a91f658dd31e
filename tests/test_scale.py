"""An edition of many locales: an edit in one language rebuilds that language only.

The workspace is the one benchmarks/scale.py measures: the shipped memorial with
stand-in translations in 30 locales.  What is asserted is which jobs a build
rebuilds and what the pages say, never how long it takes.
"""
from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from memorial_kit import cli

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("scale", ROOT / "benchmarks" / "scale.py")
scale = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(scale)

LOCALES = 30


def build(root: Path, capsys, *extra: str) -> dict:
    """`memorial-kit build --json` in-process: status per job."""
    code = cli.main(["--root", str(root), "build", "--json", *extra])
    report = json.loads(capsys.readouterr().out)
    assert code in (0, 1), report
    return {r["job"]: r for r in report["results"]}


def rebuilt(report: dict) -> list[str]:
    return sorted(job for job, r in report.items() if r["status"] == "built")


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    root = tmp_path_factory.mktemp("scale") / "ws"
    added = scale.many_locales_workspace(ROOT, root, LOCALES)
    return root, added


def test_the_workspace_has_every_locale_complete(many, capsys):
    root, added = many
    assert len(added) == LOCALES - 4
    report = build(root, capsys, "--format", "html", "--product", "leaflet")
    assert len(report) == LOCALES
    assert {r["status"] for r in report.values()} == {"built"}, \
        [(j, r["reason"]) for j, r in report.items() if r["status"] != "built"]


def test_one_edit_rebuilds_only_that_locales_products(many, capsys):
    root, added = many
    build(root, capsys, "--format", "html")
    assert rebuilt(build(root, capsys, "--format", "html")) == []
    edited = added[-1]
    memorial_po = root / "locales" / edited / "LC_MESSAGES" / "vorkuta-uprising.po"
    word = scale.edit_one_msgstr(memorial_po, 1)
    after = build(root, capsys, "--format", "html")
    assert rebuilt(after) == [f"vorkuta-uprising/leaflet/{edited}",
                              f"vorkuta-uprising/plaque/{edited}"]
    page = (root / "dist" / "vorkuta-uprising" / edited / "leaflet.html").read_text("utf-8")
    assert f" {word} " in page


def test_a_locale_that_stops_shipping_updates_the_others_switchers_only(many, capsys):
    """When a leaflet can no longer be printed, the other leaflets' pages drop their link
    to it: their HTML is rewritten, their PDFs are not made again."""
    root, added = many
    leaving, other = added[-2], added[0]
    two = ("--product", "leaflet", "--locale", leaving, "--locale", other)
    build(root, capsys, *two)
    other_pdf = root / "dist" / "vorkuta-uprising" / other / "leaflet.pdf"
    pdf_before = other_pdf.stat().st_mtime_ns
    page = root / "dist" / "vorkuta-uprising" / other / "leaflet.html"
    assert f'hreflang="{leaving}"' in page.read_text("utf-8")

    memorial_po = root / "locales" / leaving / "LC_MESSAGES" / "vorkuta-uprising.po"
    text = memorial_po.read_text("utf-8")
    # The article's first paragraph untranslated: the leaflet cannot be printed.
    first = re.search(r'(?m)^msgid "(.{40,})"\nmsgstr "(.+)"$', text)
    memorial_po.write_text(text.replace(first.group(0), f'msgid "{first.group(1)}"\nmsgstr ""'),
                           "utf-8")
    after = build(root, capsys, *two)
    assert after[f"vorkuta-uprising/leaflet/{leaving}"]["status"] == "skipped"
    assert rebuilt(after) == [f"vorkuta-uprising/leaflet/{other}"]
    assert after[f"vorkuta-uprising/leaflet/{other}"]["outputs"] == [
        f"dist/vorkuta-uprising/{other}/leaflet.html"]     # a switcher is never printed
    assert f'hreflang="{leaving}"' not in page.read_text("utf-8")
    assert other_pdf.stat().st_mtime_ns == pdf_before
