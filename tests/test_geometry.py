"""One source of print geometry: the pages are laid out with the numbers the limits use."""
from __future__ import annotations

import dataclasses
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT, copy_workspace
from memorial_kit import api, geometry, layout, render
from memorial_kit.language import make_lang
from memorial_kit.errors import RenderError
from memorial_kit.manifest import load_memorial


@pytest.fixture
def kit(tmp_path):
    root = copy_workspace(tmp_path / "ws")
    ws = api.workspace(root)
    return ws, load_memorial(root / "seeds" / "vorkuta-uprising", root)


def page_css(ws, memorial, product: str) -> str:
    """The <style> elements of the product's page in Russian, as the build renders it."""
    lang = make_lang(ws, memorial, "ru")
    renderer = render.Renderer(ws.templates)
    if product == "plaque":
        context = render.plaque_context(memorial, memorial.monuments[0], lang, {})
        html = renderer.render("plaque.html.j2", context)
    elif product == "leaflet":
        html = renderer.render("leaflet.html.j2", render.leaflet_context(memorial, lang, {}))
    else:
        english = make_lang(ws, memorial, "en")
        html = renderer.render("labels.html.j2",
                               render.labels_context(memorial, lang, english, {}))
    return "\n".join(re.findall(r"<style>(.*?)</style>", html, re.S))


def declaration(css: str, selector: str, prop: str) -> str:
    rule = re.search(re.escape(selector) + r" \{([^}]*)\}", css)
    assert rule, selector
    return re.search(rf"(?:^|[;{{\s]){re.escape(prop)}: ([^;]+);", rule.group(1)).group(1)


def test_the_page_prints_the_type_sizes_the_limits_are_computed_from(kit):
    ws, memorial = kit
    plaque, label = geometry.PLAQUE, geometry.LABEL
    css = page_css(ws, memorial, "plaque")
    assert declaration(css, ".plaque h1", "font-size") == f"{plaque.name.pt}pt"
    assert declaration(css, ".plaque .caption", "font-size") == f"{plaque.caption.pt}pt"
    assert declaration(css, ".plaque .gloss", "font-size") == f"{plaque.gloss.pt}pt"
    assert declaration(css, "body.plaque", "line-height") == f"{plaque.body.line}"
    assert "size: 600mm 400mm; margin: 22mm 26mm;" in css
    css = page_css(ws, memorial, "labels")
    assert declaration(css, ".side.primary", "font-size") == f"{label.text.pt}pt"
    assert declaration(css, ".side.primary h2", "font-size") == f"{label.title.pt}pt"
    assert declaration(css, ".side h2", "line-height") == f"{label.title.line}"


def test_a_size_changed_in_geometry_moves_the_page_and_the_limit_together(kit, monkeypatch):
    ws, memorial = kit
    monument = memorial.monuments[0]
    before = layout.plaque_limits(memorial, monument)
    labels_before = layout.label_limits(memorial, memorial.labels[0])
    smaller = dataclasses.replace(geometry.PLAQUE, name=geometry.Type(60, 1.1), gloss_pt=24)
    monkeypatch.setattr(geometry, "PLAQUE", smaller)
    monkeypatch.setattr(geometry, "LABEL", dataclasses.replace(geometry.LABEL, text_pt=7))
    css = page_css(ws, memorial, "plaque")
    assert declaration(css, ".plaque h1", "font-size") == "60pt"
    assert declaration(css, ".plaque .gloss", "font-size") == "24pt"
    after = layout.plaque_limits(memorial, monument)
    assert after["name"] > before["name"] and after["gloss"] > before["gloss"]
    assert after["caption"] >= before["caption"]        # the smaller name leaves more room
    assert declaration(page_css(ws, memorial, "labels"), ".side.primary", "font-size") == "7pt"
    assert layout.label_limits(memorial, memorial.labels[0])["text"] > labels_before["text"]


# Where print.css prints each of the leaflet's and the QR codes' sizes from geometry.py.
LEAFLET_SIZES = [
    ("body.leaflet", "font-size", lambda g: f"{g.body.pt}pt"),
    ("body.leaflet", "line-height", lambda g: f"{g.body.line}"),
    (".leaflet .kicker", "font-size", lambda g: f"{g.kicker_pt}pt"),
    (".leaflet h1", "font-size", lambda g: f"{g.title.pt}pt"),
    (".leaflet h1", "line-height", lambda g: f"{g.title.line}"),
    (".leaflet h2", "font-size", lambda g: f"{g.heading_pt}pt"),
    (".leaflet .lead", "font-size", lambda g: f"{g.lead_pt}pt"),
    (".factbox", "font-size", lambda g: f"{g.factbox_pt}pt"),
    (".factbox h2", "font-size", lambda g: f"{g.factbox_heading_pt}pt"),
    (".face-name", "font-size", lambda g: f"{g.face_name_pt}pt"),
    (".carved", "font-size", lambda g: f"{g.carved_pt}pt"),
    (".leaflet footer", "font-size", lambda g: f"{g.footer_pt}pt"),
    (".leaflet footer.with-qr", "gap", lambda g: f"{g.qr_gap_mm}mm"),
    (".leaflet footer .qr-link", "width", lambda g: f"{g.qr_mm}mm"),
    (".leaflet footer .qr-link", "height", lambda g: f"{g.qr_mm}mm"),
]
LABEL_SIZES = [
    (".card .qr-link", "width", lambda g: f"{g.qr_mm}mm"),
    (".card .qr-link", "height", lambda g: f"{g.qr_mm}mm"),
    (".card .qr-link", "margin", lambda g: f"0 0 {g.qr_after_mm}mm"),
    (".card .qr-link", "margin-inline-start", lambda g: f"{g.qr_gap_mm}mm"),
    (".labels .fallback-notice", "font-size", lambda g: f"{g.notice_pt}pt"),
]


def printed_sizes(css: str) -> dict:
    return {(selector, prop): declaration(css, selector, prop)
            for selector, prop, _ in LEAFLET_SIZES + LABEL_SIZES}


def geometry_sizes(leaflet: geometry.Leaflet, label: geometry.Label) -> dict:
    return {**{(selector, prop): size(leaflet) for selector, prop, size in LEAFLET_SIZES},
            **{(selector, prop): size(label) for selector, prop, size in LABEL_SIZES}}


def test_the_leaflet_and_the_qr_codes_print_the_sizes_geometry_defines(kit):
    ws, memorial = kit
    css = page_css(ws, memorial, "leaflet")
    assert printed_sizes(css) == geometry_sizes(geometry.LEAFLET, geometry.LABEL)
    # as they were written in print.css: 9.5pt and 20pt, never 9.50pt or 20.0pt
    assert declaration(css, "body.leaflet", "font-size") == "9.5pt"
    assert declaration(css, ".leaflet h1", "font-size") == "20pt"
    assert declaration(css, ".leaflet footer .qr-link", "width") == "20mm"
    assert declaration(css, ".card .qr-link", "width") == "12mm"
    assert "/* Labels: a 12 mm code floated" in css
    # every product's page carries the same print.css
    assert printed_sizes(page_css(ws, memorial, "labels")) == printed_sizes(css)


def test_a_leaflet_or_qr_size_changed_in_geometry_moves_the_page(kit, monkeypatch):
    ws, memorial = kit
    before = printed_sizes(page_css(ws, memorial, "leaflet"))
    leaflet = dataclasses.replace(
        geometry.LEAFLET, body=geometry.Type(10, 1.4), kicker_pt=7, title=geometry.Type(24, 1.1),
        heading_pt=12.5, lead_pt=11, factbox_pt=8, factbox_heading_pt=8.5, face_name_pt=7,
        carved_pt=12, footer_pt=6.5, qr_mm=25, qr_gap_mm=3)
    label = dataclasses.replace(geometry.LABEL, qr_mm=15, qr_after_mm=1.5, qr_gap_mm=2.5,
                                notice_pt=6)
    monkeypatch.setattr(geometry, "LEAFLET", leaflet)
    monkeypatch.setattr(geometry, "LABEL", label)
    css = page_css(ws, memorial, "leaflet")
    assert printed_sizes(css) == geometry_sizes(leaflet, label)
    assert all(printed_sizes(css)[key] != before[key] for key in before)
    assert declaration(css, ".leaflet h1", "line-height") == "1.1"
    assert declaration(css, ".leaflet footer .qr-link", "height") == "25mm"
    assert "/* Labels: a 15 mm code floated" in css


def test_a_larger_plaque_from_the_manifest_moves_the_page_and_the_limits():
    memorial = load_memorial(ROOT / "seeds" / "vorkuta-uprising", ROOT)
    wide = dataclasses.replace(memorial, print=dataclasses.replace(memorial.print,
                                                                   plaque_mm=(900, 400)))
    assert geometry.page_setup(wide, "plaque")["size"] == "900mm 400mm"
    assert geometry.of(wide).plaque_mm == (900, 400)
    narrow, broad = (layout.plaque_limits(m, m.monuments[0]) for m in (memorial, wide))
    assert all(broad[part] > narrow[part] for part in narrow)


def test_labels_are_imposed_with_crop_marks_outside_the_bleed():
    layout_ = geometry.impose("A4", (120, 80), 3)
    assert layout_.sheet_mm == (297, 210) and layout_.per_sheet == 4       # landscape, 2 × 2
    for x, y in layout_.positions:
        assert x >= geometry.MARKS.sheet_margin_mm and y >= geometry.MARKS.sheet_margin_mm
    x, y = layout_.positions[0]
    trim_left = x + 3
    marks_left = [m for m in layout_.marks[:8] if m["axis"] == "h" and m["x"] < trim_left]
    # each mark starts past the bleed and the offset
    assert marks_left and all(m["x"] + geometry.MARKS.length_mm
                              <= trim_left - 3 - geometry.MARKS.offset_mm for m in marks_left)


def test_a_sheets_crop_marks_are_one_path_of_hairlines_where_the_marks_are():
    layout_ = geometry.impose("A4", (120, 80), 3)
    cards = [{"id": str(n)} for n in range(6)]          # a full sheet and a half-full one
    full, half = geometry.sheets(cards, layout_)
    assert full["view_box"] == "0 0 297 210" and len(half["cards"]) == 2
    hairline, length = geometry.MARKS.hairline_mm, geometry.MARKS.length_mm
    for sheet in (full, half):
        steps = re.findall(r"M([\d.]+) ([\d.]+)([hv])([\d.]+)", sheet["crop_path"])
        assert "".join(f"M{x} {y}{axis}{n}" for x, y, axis, n in steps) == sheet["crop_path"]
        assert len(steps) == len(sheet["marks"]) == 8 * len(sheet["cards"])
        for (x, y, axis, n), mark in zip(steps, sheet["marks"]):
            # the stroke runs along the middle of where a hairline box at (x, y) would be
            across = float(y if axis == "h" else x) - (mark["y"] if axis == "h" else mark["x"])
            assert axis == mark["axis"] and float(n) == length
            assert abs(across - hairline / 2) < 0.001


def test_a_sheet_the_kit_does_not_know_or_a_card_too_large_is_an_error():
    with pytest.raises(RenderError, match="unknown sheet size 'B7'"):
        geometry.impose("B7", (120, 80), 3)
    with pytest.raises(RenderError, match="does not fit on A4"):
        geometry.impose("A4", (300, 200), 3)


def test_the_press_files_put_their_crop_marks_outside_the_bleed():
    css = geometry.press_bleed_css(3)
    bleed = float(re.search(r"bleed: ([\d.]+)mm", css).group(1))
    assert bleed == 2 * (3 + geometry.MARKS.press_room_mm) and "marks: crop" in css


def test_a_large_label_set_is_cut_into_chunks_that_end_small():
    """At most 32 sheets a document; over the last 64, half of what is left each time, so
    that the workers printing the chunks finish within a small one of each other."""
    assert geometry.chunk_sizes(0, 32) == []
    assert geometry.chunk_sizes(20, 32) == [20]                 # one document, as before
    assert geometry.chunk_sizes(32, 32) == [32]
    assert geometry.chunk_sizes(33, 32) == [17, 8, 4, 4]
    assert geometry.chunk_sizes(250, 32) == [32] * 6 + [29, 15, 7, 7]
    assert geometry.chunk_sizes(1000, 32)[-4:] == [20, 10, 5, 5]
    assert geometry.chunk_sizes(2, 1) == [1, 1]
    assert geometry.chunk_bounds(7, 3) == [(0, 3), (3, 5), (5, 6), (6, 7)]


@given(st.integers(0, 3000), st.integers(1, 64))
def test_chunks_cover_the_set_in_order_none_too_large_none_too_small(count, size):
    sizes = geometry.chunk_sizes(count, size)
    assert sum(sizes) == count and all(0 < n <= size for n in sizes)
    assert sizes == sorted(sizes, reverse=True)                # the large ones first
    if count > size:
        assert min(sizes) >= max(1, size // 8)
    bounds = geometry.chunk_bounds(count, size)
    assert [end - start for start, end in bounds] == sizes
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:]))
    assert not bounds or (bounds[0][0], bounds[-1][1]) == (0, count)
