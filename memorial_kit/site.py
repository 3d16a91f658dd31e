"""The edition as a whole: the fonts beside the pages, the index page, the contact sheets."""
from __future__ import annotations

import hashlib
import json
import zlib
from pathlib import Path

from .fsutil import atomic_write, read_bounded, write_if_changed
from .memorial import Memorial
from .paths import is_inside, refuse_outside_links
from .records import records_folder
from .workspace import Workspace

# The order of the products on the index page.
PRODUCTS = ("leaflet", "plaque", "labels")


def asset_paths(ws: Workspace, out: Path) -> list[Path]:
    fonts = ws.templates / "fonts"
    return [out / "assets" / "fonts" / font.name
            for font in (sorted(fonts.iterdir()) if fonts.is_dir() else ())]


def copy_assets(ws: Workspace, out: Path) -> None:
    """Fonts beside the HTML pages, so that they stand on their own without network."""
    fonts = ws.templates / "fonts"
    if fonts.is_dir():
        refuse_outside_links(ws.root)           # again: a link may have been made since
        for font in sorted(fonts.iterdir()):
            if font.is_file() and is_inside(ws.root, font):
                write_if_changed(out / "assets" / "fonts" / font.name,
                                 read_bounded(font, shown=ws.relative(font)))


def write_index(ws: Workspace, out: Path, memorials: list[Memorial] | None = None) -> Path:
    """dist/index.html: what is in dist/ now, each product in each of its formats, the
    web edition first.  ``memorials``: the workspace's, when the caller has them loaded."""
    from . import render
    entries = []
    partial = _fallback_outputs(ws, out)
    for memorial in ws.memorials() if memorials is None else memorials:
        rows, products = [], []
        for code in memorial.locales:
            found = _outputs(out, f"{memorial.slug}/{code}", partial)
            products += [stem for stem in found if stem not in products]
            rows.append({"locale": code, "products": found})
        labels = _outputs(out, f"{memorial.slug}/labels", partial)
        pairs = [{"stem": stem, "locales": stem.split("-"), "files": files}
                 for stem, files in labels.items()]
        press_files = [{"name": path.name, "href": f"{memorial.slug}/press/{path.name}"}
                       for path in sorted((out / memorial.slug / "press").glob("*.pdf"))]
        entries.append({"slug": memorial.slug, "title": memorial.title, "font": memorial.print.font,
                        "products": sorted(products, key=_product_order),
                        "locales": rows, "labels": pairs, "press": press_files})
    html = render.index_html(ws.templates, entries)
    path = out / "index.html"
    write_if_changed(path, html.encode("utf-8"))
    return path


def _fallback_outputs(ws: Workspace, out: Path) -> set[str]:
    """The files in ``out`` of fallback editions (some text in the source language), from
    the build records of that output folder."""
    folder = records_folder(ws, out)
    found: set[str] = set()
    for record_path in folder.glob("*.json") if folder.is_dir() else ():
        try:
            record = json.loads(record_path.read_text("utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(record, dict) and record.get("fallbacks"):
            found.update(record.get("outputs", {}))
    return found


def _outputs(out: Path, folder: str, partial: set[str] = frozenset()) -> dict[str, list[dict]]:
    """stem -> its files in ``out/folder``, the web page first: {"format", "href",
    "fallback"} (fallback: a fallback edition's file)."""
    order = {"html": 0, "pdf": 1, "png": 2}
    found: dict[str, list[dict]] = {}
    if (out / folder).is_dir():
        for path in sorted((out / folder).glob("*.*")):
            fmt = path.suffix[1:]
            if fmt in order:
                found.setdefault(path.stem, []).append({"format": fmt, "href": f"{folder}/{path.name}",
                                                        "fallback": str(path) in partial})
    for files in found.values():
        files.sort(key=lambda f: order[f["format"]])
    return found


def _product_order(stem: str) -> tuple:
    return (PRODUCTS.index(stem.split("-")[0]) if stem.split("-")[0] in PRODUCTS else 9, stem)


def contact_sheet_in(folder: Path, title: str, locales, thumbnails: dict | None,
                     cache: Path | None = None, bands: Path | None = None) -> Path | None:
    """``folder``/contact-sheet.png: every product's first page in every language.  Also
    made on a worker (a parallel build's further memorials): the arguments are what it
    needs, not the whole memorial.  ``thumbnails``: those of the PNGs made just now;
    ``cache``: where the others' are kept between builds (see :class:`Thumbnails`);
    ``bands``: where the sheet's compressed rows are (see :mod:`.sheetpng`)."""
    from . import previews
    rows = []
    for code in locales:
        rows.append((code, [(p.stem, p) for p in sorted((folder / code).glob("*.png"))]))
    rows.append(("labels", [(p.stem, p) for p in sorted((folder / "labels").glob("*.png"))]))
    rows = [(name, cells) for name, cells in rows if cells]
    if not rows:
        return None
    if cache is not None:
        thumbnails = Thumbnails(cache).of([p for _, cells in rows for _, p in cells],
                                          thumbnails or {})
    path = folder / "contact-sheet.png"
    write_if_changed(path, previews.contact_sheet(f"{title}: every product", rows,
                                                  thumbnails=thumbnails, bands=bands))
    return path


class Thumbnails:
    """The contact-sheet thumbnails of a memorial's PNGs, kept in a folder of the build's
    state (outside the output folder), so that a rebuild decodes and shrinks only the
    PNGs it made or that changed, whatever the number of locales.  A thumbnail is trusted
    while its PNG's stat is unchanged (inode, size, time to the nanosecond, as the build
    records trust an output); its pixels are kept as they are, so the contact sheet is the
    one made from the PNGs themselves."""

    INDEX = "thumbnails.json"

    def __init__(self, folder: Path):
        self.folder = folder
        try:
            index = json.loads((folder / self.INDEX).read_text("utf-8"))
        except (OSError, ValueError):
            index = {}
        self.index: dict = index if isinstance(index, dict) else {}

    def of(self, pngs: list[Path], fresh: dict) -> dict:
        """PNG path -> its thumbnail, for each of ``pngs``; ``fresh``: those made just now
        (kept for the next build)."""
        from .records import stat_key
        found, index = {}, {}
        for png in pngs:
            key, stat = str(png), stat_key(png)
            kept = self.index.get(key) == stat
            image = fresh.get(key)
            if image is None and kept:
                image = self._load(key)
                kept = image is not None
            elif kept:                  # made again, the same: kept if its file still is
                kept = (self.folder / self._name(key)).exists()
            if image is None:
                image = _decoded_thumbnail(png)
            if not kept:
                self._store(key, image)
            found[key], index[key] = image, stat
        if index != self.index:
            kept = {self._name(key) for key in index} | {self.INDEX}
            for gone in self.folder.iterdir():      # the thumbnails of PNGs gone
                if gone.name not in kept:
                    gone.unlink(missing_ok=True)
            atomic_write(self.folder / self.INDEX, json.dumps(index, indent=1,
                                                              sort_keys=True).encode())
        return found

    @staticmethod
    def _name(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()[:24] + ".rgb"

    def _load(self, key: str):
        """The kept thumbnail of ``key``, or None if it is gone or damaged."""
        from PIL import Image
        try:
            head, _, body = (self.folder / self._name(key)).read_bytes().partition(b"\n")
            width, height = (int(n) for n in head.split(b" "))
            pixels = zlib.decompress(body)
        except (OSError, ValueError, zlib.error):
            return None
        if min(width, height) < 1 or len(pixels) != width * height * 3:
            return None
        return Image.frombytes("RGB", (width, height), pixels)

    def _store(self, key: str, image) -> None:
        """Its pixels as they are (compressed a little): quicker to load than a PNG."""
        head = f"{image.width} {image.height}\n".encode()
        atomic_write(self.folder / self._name(key), head + zlib.compress(image.tobytes(), 1))


def _decoded_thumbnail(png: Path):
    from PIL import Image

    from . import previews
    with Image.open(png) as image:
        return previews.thumbnail(image)
