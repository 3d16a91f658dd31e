"""The edition as a whole: the contact sheet, whose thumbnails are kept between builds."""
import shutil

import pytest

from memorial_kit import api, previews, site
from memorial_kit.workspace import Workspace

from conftest import copy_workspace

SLUG = "vorkuta-uprising"
LOCALES = ("en", "lt", "ru")


@pytest.fixture(scope="module")
def plaques(tmp_path_factory):
    """The plaques of three languages as PNGs (a plaque is one page: quick to print)."""
    root = copy_workspace(tmp_path_factory.mktemp("site") / "ws")
    report = api.build(Workspace(root), locales=list(LOCALES), products=["plaque"],
                       formats=("png",))
    assert {r.status for r in report.results} == {"built"}, report.results
    return root / "dist" / SLUG


def sheet_of_the_pngs(folder) -> bytes:
    """The contact sheet as made from the PNG files alone, with no thumbnail given."""
    rows = [(code, [(p.stem, p) for p in sorted((folder / code).glob("*.png"))])
            for code in LOCALES]
    return previews.contact_sheet(f"{SLUG}: every product", rows)


@pytest.fixture
def decoded(monkeypatch):
    """The PNGs whose pixels are decoded and shrunk for the contact sheet, in order."""
    seen = []
    real = site._decoded_thumbnail

    def counting(png):
        seen.append(png.parent.name)
        return real(png)
    monkeypatch.setattr(site, "_decoded_thumbnail", counting)
    return seen


def make_sheet(folder, cache, fresh=None) -> bytes:
    path = site.contact_sheet_in(folder, SLUG, LOCALES, fresh or {}, cache)
    return path.read_bytes()


def test_an_unchanged_png_is_not_decoded_again_and_the_sheet_is_a_fresh_ones(
        plaques, tmp_path, decoded):
    cache = tmp_path / "thumbnails"
    first = make_sheet(plaques, cache)
    assert decoded == list(LOCALES)
    assert first == sheet_of_the_pngs(plaques)
    decoded.clear()
    assert make_sheet(plaques, cache) == first
    assert decoded == []
    # one language's PNG changes (another picture): only it is decoded, and shows
    shutil.copyfile(plaques / "en" / "plaque.png", plaques / "ru" / "plaque.png")
    changed = make_sheet(plaques, cache)
    assert decoded == ["ru"]
    assert changed == sheet_of_the_pngs(plaques) and changed != first


def test_the_thumbnails_a_build_made_are_kept_not_decoded(plaques, tmp_path, decoded):
    from PIL import Image
    cache = tmp_path / "thumbnails"
    fresh = {}
    for code in LOCALES:
        png = plaques / code / "plaque.png"
        with Image.open(png) as image:
            fresh[str(png)] = previews.thumbnail(image)
    assert make_sheet(plaques, cache, fresh) == sheet_of_the_pngs(plaques)
    assert make_sheet(plaques, cache) == sheet_of_the_pngs(plaques)
    assert decoded == []


def test_a_damaged_or_missing_thumbnail_is_made_again(plaques, tmp_path, decoded):
    cache = tmp_path / "thumbnails"
    make_sheet(plaques, cache)
    kept = sorted(cache.glob("*.rgb"))
    assert len(kept) == len(LOCALES)
    kept[0].write_bytes(b"not a picture")
    kept[1].unlink()
    (cache / site.Thumbnails.INDEX).write_text("[not json", "utf-8")
    decoded.clear()
    assert make_sheet(plaques, cache) == sheet_of_the_pngs(plaques)
    assert sorted(decoded) == sorted(LOCALES)       # the index unreadable: all made again
    decoded.clear()
    kept[0].write_bytes(b"not a picture")
    assert make_sheet(plaques, cache) == sheet_of_the_pngs(plaques)
    assert len(decoded) == 1


def test_a_build_keeps_thumbnails_outside_its_output(plaques):
    state = plaques.parent.parent / ".memorial-kit"
    kept = list(state.rglob("thumbnails/*/*.rgb"))
    assert len(kept) == len(LOCALES)
    assert not list(plaques.parent.rglob("thumbnails*"))


def test_a_thumbnail_made_again_is_kept_if_its_file_is_gone(plaques, tmp_path, decoded):
    """A PNG made again with the same bytes keeps its stat: its thumbnail is stored again
    if its file is gone, so that the next build need not decode it."""
    cache = tmp_path / "thumbnails"
    make_sheet(plaques, cache)
    png = plaques / "lt" / "plaque.png"
    (cache / site.Thumbnails._name(str(png))).unlink()
    make_sheet(plaques, cache, {str(png): _decoded(png)})
    decoded.clear()
    assert make_sheet(plaques, cache) == sheet_of_the_pngs(plaques)
    assert decoded == []


def _decoded(png):
    from PIL import Image
    with Image.open(png) as image:
        return previews.thumbnail(image)
