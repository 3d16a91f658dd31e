"""`memorial-kit new`: a new memorial's folder with a drafted memorial.toml.

Everything the draft says is read from the article: the title, the infobox's
dates, places and counts as typed facts, the inscriptions quoted «…» with the
language the text says they are in ("in Lithuanian «…»", "same in Latin: «…»"),
their faces ("in the front:", "in the back:") and their [glosses], and the
monument's years.  Each drafted value is marked "CONFIRM" for the curator: a
draft is a starting point, never a fact the kit vouches for.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale

from .article import Article, read_article
from .errors import UsageError
from .fsutil import atomic_write
from .locales import check_slug
from .memorial import load_memorial
from .workspace import Workspace

MONTHS = {name: number for number, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"], 1)}
DAY_MONTH_YEAR = r"(\d{1,2})\s+([A-Z][a-z]+)\s+(\d{4})"
MONTH_DAY_YEAR = r"([A-Z][a-z]+)\s+(\d{1,2}),\s+(\d{4})"
MAP_KEYS = re.compile(r"^(map|image|caption|coordinates|alt|width|relief)", re.I)
QUOTE_RE = re.compile(r"«(?P<text>[^«»]+)»(?:\s*\[(?P<gloss>[^\[\]]+)\])?")
FACE_RE = re.compile(r"\bin the (?P<face>front|back|left|right|top|side)\b", re.I)
COUNT_RE = re.compile(r"^(?P<count>\d[\d,]*)\s+(?P<what>killed|dead|wounded|arrested|injured)$")


@dataclass
class DraftFace:
    id: str
    inscriptions: dict[str, str] = field(default_factory=dict)
    gloss: str | None = None


def language_codes() -> dict[str, str]:
    """English language names -> codes, from CLDR ("Lithuanian" -> "lt")."""
    names = Locale("en").languages
    return {name.lower(): code for code, name in names.items() if "_" not in code}


def find_inscriptions(article: Article) -> list[DraftFace]:
    """Quoted inscriptions by face, with their languages and glosses."""
    codes = language_codes()
    faces: list[DraftFace] = []
    for block in article.blocks():
        text = block.text
        face_marks = [(m.start(), m["face"].lower()) for m in FACE_RE.finditer(text)]
        for match in QUOTE_RE.finditer(text):
            before = text[max(0, match.start() - 60):match.start()]
            face_id = next((f for pos, f in reversed(face_marks) if pos < match.start()), "front")
            face = next((f for f in faces if f.id == face_id), None)
            if face is None:
                face = DraftFace(face_id)
                faces.append(face)
            code = _language_before(before, codes) or _language_by_order(faces, face)
            if code is None:
                continue
            face.inscriptions[code] = match["text"]
            if match["gloss"]:
                face.gloss = match["gloss"]
    return [f for f in faces if f.inscriptions]


def _language_before(before: str, codes: dict[str, str]) -> str | None:
    """The language named just before a quotation: "in Lithuanian", "same in Latin:"."""
    match = re.search(r"\bin\s+([A-Z][a-z]+)\s*:?\s*$", before)
    if match and match[1].lower() in codes:
        return codes[match[1].lower()]
    return None


def _language_by_order(faces: list[DraftFace], face: DraftFace) -> str | None:
    """A quotation with no language named takes the language at the same place on the first face."""
    if not faces or faces[0] is face:
        return None
    order = list(faces[0].inscriptions)
    position = len(face.inscriptions)
    return order[position] if position < len(order) else None


def parse_dates(value: str) -> list[dt.date]:
    dates = []
    for day, month, year in re.findall(DAY_MONTH_YEAR, value):
        if month.lower() in MONTHS:
            dates.append(dt.date(int(year), MONTHS[month.lower()], int(day)))
    for month, day, year in re.findall(MONTH_DAY_YEAR, value):
        if month.lower() in MONTHS:
            dates.append(dt.date(int(year), MONTHS[month.lower()], int(day)))
    return dates


def monument_years(article: Article) -> dict[str, int]:
    years = {}
    patterns = {"sculpture": r"sculpture[^.()]*?\((\d{4})\)",
                "design": r"design\s*\((\d{4})\)",
                "plaque": r"plaque[^.]*?\b(1[5-9]\d\d|20\d\d)\b"}
    for block in article.blocks():
        for key, pattern in patterns.items():
            match = re.search(pattern, block.text, re.I)
            if match and key not in years:
                years[key] = int(match[1])
    return years


# --------------------------------------------------------------------------
# The draft
# --------------------------------------------------------------------------
def _s(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(value, ensure_ascii=False)


def draft_manifest(article: Article, slug: str) -> str:
    lines = [
        f"# Drafted by 'memorial-kit new {slug}' from {Path(article.path).name}.",
        "# Every value marked CONFIRM was read from the article by the kit: check it against",
        "# the source before anything is printed.  Schema: README.md, \"The memorial manifest\".",
        "",
        "[memorial]",
        f"title = {_s(article.title)}",
        f"domain = {_s(slug)}",
        'source_locale = "en"',
        "# The languages of the edition: add more, then run 'memorial-kit init LL' for each.",
        f"locales = [{', '.join(_s(c) for c in _locales(article))}]",
        'article = "article.txt"',
        "",
        "[provenance]  # CONFIRM: where the article comes from and under which licence",
        f"title = {_s(article.title)}",
        'publisher = "Wikipedia"',
        'licence = "CC BY-SA 4.0"',
        'licence_url = "https://creativecommons.org/licenses/by-sa/4.0/"',
        f"url = {_s('https://en.wikipedia.org/wiki/' + article.title.replace(' ', '_'))}",
        "",
    ]
    lines += _infobox_and_facts(article)
    lines += _monuments(article)
    lines += ["[labels]", "# Language pairs for bilingual exhibit labels, e.g. [[\"de\", \"en\"]].",
              "pairs = []", ""]
    return "\n".join(lines)


def _locales(article: Article) -> list[str]:
    """The source language and every language an inscription is carved in."""
    codes = ["en"]
    for face in find_inscriptions(article):
        codes += [c for c in face.inscriptions if c not in codes]
    return codes


def _infobox_and_facts(article: Article) -> list[str]:
    skip, structured, facts = [], {}, []
    for fld in article.infobox:
        if MAP_KEYS.match(fld.key):
            skip.append(fld.key)
            continue
        dates = parse_dates(fld.value) if fld.key.lower() in ("date", "dates") else []
        count = COUNT_RE.match(fld.value)
        if len(dates) == 2 and "start" not in dict(facts):
            structured[fld.key] = "period"
            facts += [("start", dates[0].isoformat()), ("end", dates[1].isoformat())]
        elif len(dates) == 1 and "date" not in dict(facts):
            facts.append(("date", dates[0].isoformat()))
        elif count:
            # A count is a typed fact; the fact box still prints the infobox's own words.
            name = re.sub(r"\W+", "_", fld.key.lower()).strip("_")
            facts.append((name, str(int(count["count"].replace(",", "")))))
        elif fld.key.lower() in ("place", "location"):
            facts.append(("place", _s(fld.value)))
    out = ["[infobox]  # CONFIRM: which infobox fields are printed, and how",
           f"skip = [{', '.join(_s(k) for k in skip)}]",
           "structured = { " + ", ".join(f"{_s(k)} = {_s(v)}" for k, v in structured.items()) + " }",
           "labels = { " + ", ".join(f"{_s(f.key)} = {_s(_label(f.key))}" for f in article.infobox
                                     if f.key not in skip) + " }",
           "", "[facts]  # CONFIRM: read from the infobox"]
    out += [f"{name} = {value}" for name, value in facts]
    return out + [""]


def _label(key: str) -> str:
    return re.sub(r"(\D)(\d)$", r"\1 \2", key)


def _monuments(article: Article) -> list[str]:
    faces = find_inscriptions(article)
    if not faces:
        return ["# No inscriptions quoted «…» were found: add [[monuments]] by hand if there are any.", ""]
    years = monument_years(article)
    out = ["[[monuments]]  # CONFIRM: name, caption and years", 'id = "monument"',
           f"name = {_s('Monument: ' + article.title)}", 'caption = ""']
    out += [f"{key} = {value}" for key, value in years.items()]
    out.append("")
    for face in faces:
        out += ["[[monuments.faces]]  # CONFIRM: the carved text, letter for letter, and its gloss",
                f"id = {_s(face.id)}", f"gloss = {_s(face.gloss or '')}"]
        out.append("inscriptions = { " + ", ".join(f"{code} = {_s(text)}"
                                                   for code, text in face.inscriptions.items()) + " }")
        out.append("")
    return out


def new_memorial(ws: Workspace, slug: str, article_path: str | Path) -> list[Path]:
    """Create seeds/<slug>/ with the article and a drafted memorial.toml (which must load)."""
    check_slug(slug)
    folder = ws.seeds / slug
    if folder.exists():
        raise UsageError(f"{ws.relative(folder)} already exists",
                         hint="choose another name, or edit its memorial.toml")
    source = Path(article_path)
    article = read_article(source)
    draft = draft_manifest(article, slug)
    staging = ws.state / "new" / slug        # named as the memorial: loading checks the name
    if staging.exists():
        shutil.rmtree(staging)
    try:
        staging.mkdir(parents=True)
        atomic_write(staging / "article.txt", source.read_bytes())
        atomic_write(staging / "memorial.toml", draft.encode("utf-8"))
        load_memorial(staging, ws.root)          # a draft that does not load is not written
        staging.rename(folder)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return [folder / "article.txt", folder / "memorial.toml"]
