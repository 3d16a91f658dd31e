"""`memorial-kit new`: a new memorial's folder with a drafted memorial.toml.

Everything the draft says is read from the article (seed format, or MediaWiki wikitext
converted by :mod:`wikitext`): the title; the infobox, its dates and counts as typed
facts; dates, counts and casualty figures in the prose; the monuments, their carved
inscriptions, faces and glosses (:mod:`inscriptions_found`) and their years
(:mod:`facts_found`).  Each drafted value is marked "CONFIRM" with the article's line:
a draft is a starting point, never a fact the kit vouches for.  Where the article does
not state its origin the provenance stays empty.  The draft always loads; `new` prints
a report of what it found and of each quoted text and number it skipped, and why.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .article import Article, decode_text, parse_article, read_source
from .errors import ConflictError, MemorialKitError, UsageError
from .facts_found import FoundDate, FoundYear, find_counts, find_dates, find_monument_years
from .fsutil import atomic_write
from .inscriptions_found import FoundMonument, find_monuments
from .locales import check_slug, is_valid_locale
from .manifest import load_memorial
from .workspace import Workspace

MAP_KEYS = re.compile(r"^(map|image|caption|coordinates|coords|alt|width|relief|pushpin|"
                      r"logo|photo|footnotes)", re.I)
GENERIC_HEADINGS = {"memorial", "memorials", "monument", "monuments", "commemoration",
                    "inscription", "inscriptions", "the memorial", "the monument", "design",
                    "legacy", "remembrance", "memory", "aftermath", "description", ""}
RESERVED_FACTS = {"start", "end", "killed", "counts", "timeline"}


@dataclass
class Origin:
    """Where the article comes from, as the curator states it (never guessed)."""
    url: str = ""
    revision: str = ""
    title: str = ""

    def provenance(self, title: str) -> dict[str, str]:
        host = urlsplit(self.url).hostname or ""
        out = {"title": self.title or (title if self.url else ""), "publisher": "",
               "licence": "", "licence_url": "", "url": self.url}
        if self.url and self.revision and "?" not in self.url:
            out["url"] = f"{self.url}?oldid={self.revision}"
        if host == "wikipedia.org" or host.endswith(".wikipedia.org"):
            # Wikipedia's text licence, as every Wikipedia page states it.
            out.update(publisher="Wikipedia", licence="CC BY-SA 4.0",
                       licence_url="https://creativecommons.org/licenses/by-sa/4.0/")
        return out


@dataclass
class DraftReport:
    found: list[tuple[int, str]] = field(default_factory=list)
    skipped: list[tuple[int, str, str]] = field(default_factory=list)
    confirm: list[str] = field(default_factory=list)

    def lines(self, article: str) -> list[str]:
        out = [f"found    {article}:{line}: {what}" for line, what in sorted(self.found)]
        out += [f"skipped  {article}:{line}: {text!r}: {why}"
                for line, text, why in sorted(self.skipped)]
        out += [f"confirm  {what}" for what in self.confirm]
        return out


class _Draft:
    """The manifest's text, built table by table, and the report beside it."""

    def __init__(self, article: Article, slug: str, origin: Origin):
        self.article, self.slug, self.origin = article, slug, origin
        self.report = DraftReport()
        self.monuments, skipped = find_monuments(article)
        self.report.skipped += [(s.line, s.text, s.why) for s in skipped]
        for monument in self.monuments:          # only languages the kit has catalogs for
            for face in monument.faces:
                for code in [c for c in face.inscriptions if not is_valid_locale(c)]:
                    self.report.skipped.append((face.lines[code], face.inscriptions.pop(code),
                                                f"language {code!r} has no CLDR locale"))
            monument.faces = [f for f in monument.faces if f.inscriptions]
        self.monuments = [m for m in self.monuments if m.faces]
        self.fact_names: set[str] = set(RESERVED_FACTS)
        self.ids: dict[int, str] = {}

    def text(self) -> str:
        lines = [
            f"# Drafted by 'memorial-kit new {self.slug}' from {Path(self.article.path).name}.",
            "# Every value marked CONFIRM was read from the article by the kit (the line it",
            "# was read on is given): check it against the source before anything is printed.",
            "# Schema: README.md, \"The memorial manifest\".", ""]
        lines += self.memorial_table() + self.provenance_table()
        lines += self.infobox_and_facts()
        for index, monument in enumerate(self.monuments):
            lines += self.monument(monument, index)
        if not self.monuments:
            lines += ["# No carved inscription was found: add [[monuments]] by hand if there "
                      "are any.", ""]
        lines += ["[labels]", "# Language pairs for bilingual exhibit labels, e.g. "
                  "[[\"de\", \"en\"]].", "pairs = []", ""]
        return "\n".join(lines)

    # -- tables ------------------------------------------------------------------
    def memorial_table(self) -> list[str]:
        self.report.found.append((self.article.title_line, f"title {self.article.title!r}"))
        return ["[memorial]", f"title = {_s(self.article.title)}", f"domain = {_s(self.slug)}",
                'source_locale = "en"',
                "# The languages of the edition: the source and every carved language. Add",
                "# more, then run 'memorial-kit extract' and 'memorial-kit init LL' for each.",
                f"locales = [{', '.join(_s(c) for c in self.locales())}]",
                'article = "article.txt"', ""]

    def locales(self) -> list[str]:
        codes = ["en"]
        for monument in self.monuments:
            for face in monument.faces:
                codes += [c for c in face.inscriptions if c not in codes]
        return codes

    def provenance_table(self) -> list[str]:
        values = self.origin.provenance(self.article.title)
        out = ["[provenance]"]
        if not self.origin.url:
            out.append("# CONFIRM: the article does not state where it comes from: fill in its")
            out.append("# source and licence. Until 'licence' is set, the leaflet and the labels")
            out.append("# (which reproduce the article) are not built, and the plaque has no credit line.")
            self.report.confirm.append("provenance: the article does not state its origin "
                                       "(source URL, publisher, licence): fill [provenance]")
        else:
            out.append(f"# CONFIRM: from --source-url {self.origin.url}"
                       + (f" (revision {self.origin.revision})" if self.origin.revision else ""))
        out += [f"{key} = {_s(value)}" for key, value in values.items()]
        return out + [""]

    def infobox_and_facts(self) -> list[str]:
        skip = [f.key for f in self.article.infobox if MAP_KEYS.match(f.key)]
        structured, facts = {}, []
        for fld in self.article.infobox:
            if fld.key in skip:
                continue
            for found in find_dates(fld.value, fld.line):
                if (found.end and found.precision == "day" and "start" not in structured.values()
                        and not any(n == "start" for n, *_ in facts)):
                    structured[fld.key] = "period"
                    facts += [("start", found.start.isoformat(), fld.line, found.text),
                              ("end", found.end.isoformat(), fld.line, found.text)]
                else:
                    facts.append((self.fact_name(fld.key), _date_value(found), fld.line,
                                  found.text))
                self.report.found.append((fld.line, f"date {found.text!r} (infobox {fld.key})"))
        killed, counts = self.counts()
        timeline = self.timeline()
        out = ["[infobox]  # CONFIRM: which infobox fields are printed, and how",
               f"skip = [{', '.join(_s(k) for k in skip)}]",
               "structured = { " + ", ".join(f"{_s(k)} = {_s(v)}" for k, v in structured.items())
               + " }",
               "labels = { " + ", ".join(f"{_s(f.key)} = {_s(_label(f.key))}"
                                         for f in self.article.infobox if f.key not in skip) + " }",
               "", "[facts]  # CONFIRM: each value against the article line named beside it"]
        # The article's words beside each value: "July 1941" is drafted as 1941-07-01.
        out += [f"{name} = {value}  # CONFIRM: line {line}: {text}"
                for name, value, line, text in facts]
        out += _array("killed", killed, "casualty figures with their source")
        out += _array("counts", counts, "counts, with the article's qualifier")
        out += _array("timeline", timeline, "dates in the article's text")
        out += self.monument_years()
        return out + [""]

    def fact_name(self, key: str) -> str:
        ascii_key = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode()
        base = re.sub(r"[^a-z0-9]+", "_", ascii_key.lower()).strip("_") or "fact"
        if base[0].isdigit():
            base = "fact_" + base
        name, n = base, 2
        while name in self.fact_names:
            name, n = f"{base}_{n}", n + 1
        self.fact_names.add(name)
        return name

    def counts(self) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
        killed, counts = [], []
        sources = [(f.value, f.line, f"infobox {f.key}") for f in self.article.infobox
                   if not MAP_KEYS.match(f.key)]
        sources += [(b.text, b.line, "text") for b in self.article.blocks()]
        for text, line, where in sources:
            found, skipped = find_counts(text, line)
            self.report.skipped += [(line, number, why) for number, why in skipped]
            for count in found:
                entry = (f"count = {count.count}, qualifier = {_s(count.qualifier)}, "
                         f"what = {_s(count.what)}, source = {_s(count.source)}")
                if count.casualty and count.source:
                    killed.append((f"{{ count = {count.count}, source = {_s(count.source)}, "
                                   f"qualifier = {_s(count.qualifier)} }}", line))
                counts.append((f"{{ {entry} }}", line))
                self.report.found.append((line, f"count {count.text!r}" + (
                    f" according to {count.source}" if count.source else "") + f" ({where})"))
        return killed, counts

    def timeline(self) -> list[tuple[str, int]]:
        out, seen = [], set()
        for block in self.article.blocks():
            for found in find_dates(block.text, block.line):
                if (found.text, block.line) in seen:
                    continue
                seen.add((found.text, block.line))
                value = _date_value(found)
                out.append((f"{{ date = {value}, text = {_s(found.text)} }}", block.line))
                self.report.found.append((block.line, f"date {found.text!r}"))
        return out

    def monument_years(self) -> list[str]:
        out = []
        for index, monument in enumerate(self.monuments):
            for block in self.blocks_of(monument):
                for year in find_monument_years(block.text, block.line):
                    if year.event in ("sculpture", "design"):
                        continue                      # the monument's own fields
                    name = self.fact_name(f"{self.monument_id(monument, index)}_{year.event}")
                    out.append(f"{name} = {year.year}  # CONFIRM: line {year.line}: {year.text}")
                    self.report.found.append((year.line, f"monument year {year.text!r}"))
        return out

    def blocks_of(self, monument: FoundMonument) -> list:
        """A single monument's years may be anywhere in the article; several monuments'
        only in their own sections."""
        return self.article.blocks() if len(self.monuments) == 1 else monument.blocks

    def monument_id(self, monument: FoundMonument, index: int) -> str:
        """An id made from the section's heading, unique in the manifest."""
        if index not in self.ids:
            base, n = self._heading_id(monument, index), 2
            new = base
            while new in self.ids.values():
                new, n = f"{base}-{n}", n + 1
            self.ids[index] = new
        return self.ids[index]

    def _heading_id(self, monument: FoundMonument, index: int) -> str:
        heading = monument.heading.lower()
        if heading in GENERIC_HEADINGS:
            return "monument" if index == 0 else f"monument-{index + 1}"
        ascii_heading = unicodedata.normalize("NFKD", heading).encode("ascii", "ignore").decode()
        slug = re.sub(r"[^a-z0-9]+", "-", ascii_heading).strip("-")[:40].strip("-")
        return slug or f"monument-{index + 1}"

    def monument(self, monument: FoundMonument, index: int) -> list[str]:
        monument_id = self.monument_id(monument, index)
        if monument.heading.lower() in GENERIC_HEADINGS:
            name = f"Monument: {self.article.title}"
        else:
            name = monument.heading
        fields = {}
        for block in self.blocks_of(monument):
            for year in find_monument_years(block.text, block.line):
                if year.event in ("sculpture", "design") and year.event not in fields:
                    fields[year.event] = year
            plaque = re.search(r"\bplaque[^.]*?\b(1[5-9]\d\d|20\d\d)\b", block.text, re.I)
            if plaque and "plaque" not in fields:
                fields["plaque"] = FoundYear("plaque", int(plaque[1]), plaque[0], block.line)
        out = [f"[[monuments]]  # CONFIRM: name, caption and years (line {monument.line})",
               f"id = {_s(monument_id)}", f"name = {_s(name)}", 'caption = ""']
        out += [f"{key} = {year.year}  # line {year.line}" for key, year in fields.items()]
        out.append("")
        for face in monument.faces:
            out += self.face(face, monument_id)
        return out

    def face(self, face, monument_id: str) -> list[str]:
        lines = sorted(set(face.lines.values()))
        where = ", ".join(str(n) for n in lines)
        out = [f"[[monuments.faces]]  # CONFIRM: the carved text letter for letter (line {where})"]
        out += [f"# CONFIRM: {note}" for note in face.notes]
        out.append(f"id = {_s(face.id)}")
        if face.gloss:
            out.append(f"gloss = {_s(face.gloss)}  # line {face.gloss_line}")
        else:
            out.append('gloss = ""  # CONFIRM: the article gives no translation of this face')
            self.report.confirm.append(f"monument {monument_id!r}, face {face.id!r}: no gloss "
                                       "in the article; write the English meaning in 'gloss' "
                                       "with the article's words, or leave it empty")
        out.append("inscriptions = { " + ", ".join(f"{code} = {_s(text)}" for code, text
                                                   in face.inscriptions.items()) + " }")
        for code, text in face.inscriptions.items():
            self.report.found.append((face.lines[code], f"inscription {code} {text!r} "
                                      f"({monument_id}, {face.id} face)"))
        if face.gloss:
            self.report.found.append((face.gloss_line, f"gloss {face.gloss!r} "
                                      f"({monument_id}, {face.id} face)"))
        return out + [""]


def _s(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(value, ensure_ascii=False)


def _label(key: str) -> str:
    return re.sub(r"(\D)(\d)$", r"\1 \2", key)


def _date_value(found: FoundDate) -> str:
    """A TOML value: a date, a year (an integer), or a [start, end] pair."""
    def one(day: dt.date) -> str:
        return str(day.year) if found.precision == "year" else day.isoformat()
    return f"[{one(found.start)}, {one(found.end)}]" if found.end else one(found.start)


def _array(name: str, entries: list[tuple[str, int]], what: str) -> list[str]:
    if not entries:
        return []
    out = [f"{name} = [  # {what}"]
    out += [f"  {entry},  # CONFIRM: line {line}" for entry, line in entries]
    return out + ["]"]


def draft_manifest(article: Article, slug: str, origin: Origin | None = None) -> str:
    return _Draft(article, slug, origin or Origin()).text()


def draft(article: Article, slug: str, origin: Origin | None = None) -> tuple[str, DraftReport]:
    drafted = _Draft(article, slug, origin or Origin())
    return drafted.text(), drafted.report


@dataclass
class NewMemorial:
    paths: list[Path]
    report: DraftReport


def new_memorial(ws: Workspace, slug: str, article_path: str | Path, *,
                 source_url: str | None = None, revision: str | None = None,
                 wikitext: bool | None = None) -> NewMemorial:
    """Create seeds/<slug>/ with the article and a drafted memorial.toml (which loads).

    A wikitext article (detected, or ``wikitext=True``) is converted to the seed format;
    the original is kept beside it as article.wiki."""
    check_slug(slug)
    folder = ws.seeds / slug
    if folder.exists():
        raise UsageError(f"{ws.relative(folder)} already exists",
                         hint="choose another name, or edit its memorial.toml")
    source = Path(article_path)
    raw = read_source(source, str(article_path))     # bounded: /dev/zero is an error
    text = decode_text(raw, str(article_path))
    origin = Origin(source_url or "", revision or "")
    files: dict[str, bytes] = {}
    from . import wikitext as wiki
    if wikitext or (wikitext is None and wiki.looks_like_wikitext(text, source.name)):
        page = wiki.read_page(text, str(article_path), url_title=_url_title(source_url),
                              file_title=source.stem.replace("_", " "))
        origin.revision = origin.revision or page.revision
        if not origin.url and page.url:
            origin.url = page.url
        seed = page.seed
        files["article.wiki"] = raw
    else:
        seed = text
    files["article.txt"] = seed.encode("utf-8")
    article = parse_article(seed, str(article_path))
    manifest, report = draft(article, slug, origin)
    files["memorial.toml"] = manifest.encode("utf-8")
    _write_folder(ws, folder, files)
    return NewMemorial([folder / name for name in files], report)


def _url_title(source_url: str | None) -> str:
    """A wiki page's title from its URL (".../wiki/Ponary_massacre")."""
    path = urlsplit(source_url or "").path
    if "/wiki/" not in path:
        return ""
    return unquote(path.split("/wiki/", 1)[1]).replace("_", " ").strip()


def _write_folder(ws: Workspace, folder: Path, files: dict[str, bytes]) -> None:
    """Write the folder under the state directory, check that it loads, then move it."""
    staging = ws.state / "new" / folder.name      # named as the memorial: loading checks it
    if staging.exists():
        shutil.rmtree(staging)
    try:
        staging.mkdir(parents=True)
        for name, data in files.items():
            atomic_write(staging / name, data)
        try:
            load_memorial(staging, ws.root)
        except MemorialKitError as exc:
            # A draft that does not load is a fault of the kit: say where, in terms of
            # the folder that was to be written, not of the staging copy.
            where = f" (its line {exc.line})" if exc.line else ""
            raise UsageError(f"the draft of {ws.relative(folder)}/memorial.toml does not "
                             f"load{where}: {exc.message}",
                             hint="please report this article; nothing was written") from None
        if folder.exists() or folder.is_symlink():  # made meanwhile: never replaced
            raise ConflictError("was created while this command ran; nothing was written",
                                path=ws.relative(folder), hint="choose another name")
        staging.rename(folder)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


# Kept for callers of the first drafting API.
def find_inscriptions(article: Article):
    monuments, _ = find_monuments(article)
    return [face for monument in monuments for face in monument.faces]


__all__ = ["Origin", "DraftReport", "NewMemorial", "draft", "draft_manifest", "new_memorial",
           "find_inscriptions"]
