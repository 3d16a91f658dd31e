"""The limits translators see: a text at its limit fits the printed box, laid out for real."""
from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, copy_workspace, run_kit
from memorial_kit import layout, po
from memorial_kit.manifest import load_memorial

# Words of each text apart, so the words on the printed page tell which text they are of.
NAME = "29 monument memorial lithuanian prisoners yurshor mine stone bronze pillar arcs"
CAPTION = ("1953 to victims shooting during vorkuta uprising summer strike inmates guards "
           "administration force special rechlag coal timber camp departments suppressed")
GLOSS = "fatherland lithuania proud forever remembers sons daughters honour"
RU_CATALOG = "locales/ru/LC_MESSAGES/vorkuta-uprising.po"


def words_to(length: int, words: str) -> str:
    """Text of exactly ``length`` characters made of ``words`` (repeated as needed)."""
    text = words
    while len(text) < length:
        text += " " + words
    return text[:length].rstrip().ljust(length, "x")


def limit_of(entry) -> int:
    return int(next(f for f in entry.flags if f.startswith("max-length:")).split(":")[1])


def plaque_with(root: Path, lengths: dict) -> subprocess.CompletedProcess:
    """Build the Russian plaque with its name, caption and glosses each ``lengths[part]``
    characters long ("limit": the limit its catalog entry shows)."""
    path = root / RU_CATALOG
    catalog = po.read_po(path.read_bytes(), str(path))
    for entry in catalog.entries:
        context = entry.msgctxt or ""
        part = ("name" if context.endswith(", name") else "caption" if context.endswith(", caption")
                else "gloss" if context.startswith("inscription: ") else None)
        if part in lengths:
            words = {"name": NAME, "caption": CAPTION, "gloss": GLOSS}[part]
            length = lengths[part]
            entry.msgstr = words_to(limit_of(entry) if length == "limit" else length, words)
    path.write_bytes(po.write_po(catalog))
    return run_kit(root, "build", "--locale", "ru", "--product", "plaque", "--format", "pdf",
                   "--serial")


def printed_lines(pdf: Path, words: str) -> int:
    """On how many lines of the PDF the words of one text stand (pdftotext's boxes)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    own = set(words.split())
    tops = {round(float(top)) for top, word in
            re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>([^<]*)</word>', html)
            if word in own}
    return len(tops)


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


def test_a_plaque_whose_texts_are_all_at_their_limits_prints_on_one_page(tmp_path):
    root = copy_workspace(tmp_path / "ws")
    result = plaque_with(root, {"name": "limit", "caption": "limit", "gloss": "limit"})
    assert result.returncode == 0, result.stdout + result.stderr
    pdf = root / "dist/vorkuta-uprising/ru/plaque.pdf"
    assert pages(pdf) == 1
    memorial = load_memorial(root / "seeds/vorkuta-uprising", root)
    lines = layout.plaque_lines(memorial, memorial.monuments[0])
    assert 1 <= printed_lines(pdf, NAME) <= lines["name"]
    assert 1 <= printed_lines(pdf, CAPTION) <= lines["caption"]
    assert 1 <= printed_lines(pdf, GLOSS) <= lines["gloss"]


def test_a_name_past_its_limit_does_not_fit(tmp_path):
    # what the limits said before they were computed from the plaque's real type sizes
    # (78 characters for the name): the name takes a third line, the plaque a second page
    root = copy_workspace(tmp_path / "ws")
    result = plaque_with(root, {"name": 78})
    assert result.returncode == 1
    assert "does not fit on one page (2 pages)" in result.stdout


@pytest.mark.parametrize("online", [False, True], ids=["plain", "with-qr-code"])
def test_a_label_text_at_its_limit_fits_its_card(tmp_path, online):
    root = copy_workspace(tmp_path / "ws")
    if online:      # a QR code in the card's top corner: the limits leave it its room
        manifest = root / "seeds/vorkuta-uprising/memorial.toml"
        manifest.write_text(manifest.read_text("utf-8").replace(
            'article = "article.txt"', 'article = "article.txt"\n'
            'online_base_url = "https://memorial.example.org/vorkuta"', 1), "utf-8")
        for step in (("extract",), ("update", "ru")):
            result = run_kit(root, *step)
            assert result.returncode == 0, result.stdout + result.stderr
    path = root / RU_CATALOG
    catalog = po.read_po(path.read_bytes(), str(path))
    entry = next(e for e in catalog.entries if e.msgctxt == "label: yurshor, text")
    placeholders = " ".join(re.findall(r"\{\w+\}", entry.msgid))
    words = "a bronze mourning figure among iron pillars joined by arcs stands at the mine"
    entry.msgstr = placeholders + " " + words_to(limit_of(entry) - len(placeholders) - 1, words)
    assert len(entry.msgstr) == limit_of(entry)
    path.write_bytes(po.write_po(catalog))
    result = run_kit(root, "build", "--locale", "ru", "--product", "labels", "--format", "pdf",
                     "--serial")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "built" in result.stdout


def test_the_plaque_gives_the_name_and_the_caption_the_lines_the_height_leaves():
    memorial = load_memorial(ROOT / "seeds/vorkuta-uprising", ROOT)
    monument = memorial.monuments[0]
    # 600 × 400 mm: two lines for the name and the caption, one for each gloss
    assert layout.plaque_lines(memorial, monument) == {"name": 2, "caption": 2, "gloss": 1}
    limits = layout.plaque_limits(memorial, monument)
    assert limits["name"] >= len(monument.name) and limits["caption"] >= len(monument.caption)
    assert all(limits["gloss"] >= len(face.gloss) for face in monument.faces)


@pytest.mark.parametrize("size, lines", [((600, 400), 1), ((600, 500), 2)])
def test_a_taller_plaque_leaves_the_glosses_more_lines(size, lines):
    memorial = load_memorial(ROOT / "seeds/vorkuta-uprising", ROOT)
    tall = dataclasses.replace(memorial, print=dataclasses.replace(memorial.print, plaque_mm=size))
    assert layout.plaque_lines(tall, tall.monuments[0])["gloss"] == lines


def test_a_labels_qr_code_takes_its_room_from_the_title_and_the_text():
    memorial = load_memorial(ROOT / "seeds/vorkuta-uprising", ROOT)
    online = dataclasses.replace(memorial, online_base_url="https://memorial.example.org/vorkuta")
    for label in memorial.labels:
        plain, coded = layout.label_limits(memorial, label), layout.label_limits(online, label)
        assert coded.keys() == plain.keys()
        # the title's lines beside the code are shorter; the rest loses the code's corner,
        # a line or less of it (the limits keep a margin, see SAFETY)
        assert coded["title"] < plain["title"]
        assert all(coded[part] <= plain[part] for part in plain)
