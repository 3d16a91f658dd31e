"""memorial.toml + the seed article -> :class:`Memorial`, the document model.

The manifest describes an edition: its gettext domain and locales, the
article's provenance for the credit line, the monuments and their carved
inscriptions, the exhibit labels and the facts they print.  Loading checks
what must hold before anything is extracted or printed; above all that every
carved inscription occurs verbatim in the article.
"""
from __future__ import annotations

import datetime as dt
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .article import Article, SourceFinding, decode_text, read_article
from .errors import ManifestError
from .locales import check_locale, check_slug

FACT_FORMATS = {"number", "year", "date", "month-year", "period", "text"}


@dataclass(frozen=True)
class Provenance:
    title: str
    publisher: str
    licence: str
    licence_url: str
    url: str


@dataclass(frozen=True)
class PrintSetup:
    leaflet: str = "A5"
    plaque_mm: tuple[float, float] = (600, 400)
    label_mm: tuple[float, float] = (120, 80)
    sheet: str = "A4"
    bleed_mm: float = 3
    font: str = "DejaVu Serif"


@dataclass
class Face:
    id: str
    gloss: str
    inscriptions: dict[str, str]          # carved language -> carved text (NFC)
    article_lines: dict[str, int]         # carved language -> line in the article
    line: int                             # line in memorial.toml

    @property
    def languages(self) -> list[str]:
        return list(self.inscriptions)


@dataclass
class Monument:
    id: str
    name: str
    caption: str
    sculpture: int | None
    design: int | None
    plaque: int | None
    faces: list[Face]
    line: int

    @property
    def carved_languages(self) -> list[str]:
        langs: list[str] = []
        for face in self.faces:
            langs += [lang for lang in face.inscriptions if lang not in langs]
        return langs


@dataclass
class Fact:
    name: str
    value: object                  # int, str, date, or (date, date) for a period
    format: str                    # one of FACT_FORMATS


@dataclass
class LabelRow:
    date: dt.date
    text: str
    facts: list[Fact]
    line: int


@dataclass
class Label:
    id: str
    title: str
    text: str
    facts: list[Fact]
    rows: list[LabelRow]
    monument: str | None
    line: int


@dataclass
class Memorial:
    slug: str
    folder: Path
    manifest_path: Path
    title: str
    domain: str
    source_locale: str
    locales: list[str]
    article: Article
    provenance: Provenance
    print: PrintSetup
    infobox_skip: list[str]
    infobox_structured: dict[str, str]
    infobox_labels: dict[str, str]
    facts: dict[str, object]
    monuments: list[Monument]
    labels: list[Label]
    label_pairs: list[tuple[str, str]]
    names: dict[str, dict[str, str]]
    online_base_url: str | None
    findings: list[SourceFinding] = field(default_factory=list)

    @property
    def article_path(self) -> str:
        return self.article.path

    def monument(self, monument_id: str) -> Monument:
        return next(m for m in self.monuments if m.id == monument_id)

    def carved_texts(self) -> dict[str, set[str]]:
        """language -> every text carved in it, for the inscription lock."""
        carved: dict[str, set[str]] = {}
        for monument in self.monuments:
            for face in monument.faces:
                for lang, text in face.inscriptions.items():
                    carved.setdefault(lang, set()).add(text)
        return carved


def load_memorial(folder: str | Path, workspace: str | Path | None = None) -> Memorial:
    """Load ``folder/memorial.toml`` and its article; ManifestError says where."""
    folder = Path(folder)
    manifest_path = folder / "memorial.toml"
    shown = _shown(manifest_path, workspace)
    try:
        raw = manifest_path.read_bytes()
    except FileNotFoundError:
        raise ManifestError("memorial.toml not found", path=shown,
                            hint="every folder under seeds/ needs a memorial.toml") from None
    text = decode_text(raw, shown, ManifestError)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _toml_error_line(str(exc))
        raise ManifestError(f"not valid TOML: {str(exc).split(' (at')[0]}", path=shown,
                            line=line) from None
    return _ManifestReader(folder, shown, text, data, workspace).memorial()


def _shown(path: Path, workspace) -> str:
    if workspace is not None:
        try:
            return str(Path(path).resolve().relative_to(Path(workspace).resolve()))
        except ValueError:
            pass
    return str(path)


def _toml_error_line(message: str) -> int | None:
    import re
    match = re.search(r"line (\d+)", message)
    return int(match[1]) if match else None


class _ManifestReader:
    def __init__(self, folder: Path, shown: str, text: str, data: dict, workspace):
        self.folder, self.shown, self.data, self.workspace = folder, shown, data, workspace
        self.lines = text.split("\n")

    # -- errors with lines ------------------------------------------------
    def line_of(self, *needles: str, after: int = 0) -> int | None:
        """First line after ``after`` holding every needle (tomllib keeps no lines)."""
        for number, line in enumerate(self.lines[after:], after + 1):
            if all(n in line for n in needles):
                return number
        return None

    def error(self, message: str, *needles: str, hint: str | None = None) -> ManifestError:
        return ManifestError(message, path=self.shown,
                             line=self.line_of(*needles) if needles else None, hint=hint)

    def table(self, data: dict, key: str, where: str, required=True) -> dict:
        value = data.get(key)
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            if value is None:
                raise self.error(f"missing [{where}] table", hint=f"add a [{where}] table")
            raise self.error(f"[{where}] must be a table", key)
        return value

    def value(self, data: dict, key: str, kind, where: str, default=...):
        if key not in data:
            if default is not ...:
                return default
            raise self.error(f"missing required key {key!r} in [{where}]", f"[{where}")
        value = data[key]
        if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
            names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            raise self.error(f"{where}.{key} must be a {names}, not {type(value).__name__}", key)
        return value

    def text(self, data: dict, key: str, where: str, default=...) -> str:
        value = self.value(data, key, str, where, default)
        return unicodedata.normalize("NFC", value) if isinstance(value, str) else value

    # -- the manifest -----------------------------------------------------
    def memorial(self) -> Memorial:
        meta = self.table(self.data, "memorial", "memorial")
        slug = check_slug(self.folder.name, ManifestError, path=self.shown)
        source_locale = self.locale(self.text(meta, "source_locale", "memorial"))
        locales = [self.locale(c) for c in self.value(meta, "locales", list, "memorial")]
        if source_locale not in locales:
            raise self.error(f"the source locale {source_locale!r} must be one of the locales",
                             "locales")
        article_name = self.text(meta, "article", "memorial", "article.txt")
        article_path = self.folder / article_name
        if "/" in article_name or "\\" in article_name or article_name.startswith("."):
            raise self.error("memorial.article must be a file name in the memorial's folder",
                             "article")
        if not article_path.is_file():
            raise self.error(f"the article {article_name!r} does not exist in {self.folder}",
                             "article", hint="put the seed article next to memorial.toml")
        article = read_article_shown(article_path, self.workspace)
        domain = check_slug(self.text(meta, "domain", "memorial"), ManifestError,
                            path=self.shown, line=self.line_of("domain"))
        infobox = self.table(self.data, "infobox", "infobox", required=False)
        memorial = Memorial(
            slug=slug, folder=self.folder, manifest_path=self.folder / "memorial.toml",
            title=self.text(meta, "title", "memorial"), domain=domain,
            source_locale=source_locale, locales=locales, article=article,
            provenance=self.provenance(), print=self.print_setup(),
            infobox_skip=list(infobox.get("skip", [])),
            infobox_structured=dict(infobox.get("structured", {})),
            infobox_labels=dict(infobox.get("labels", {})),
            facts=dict(self.table(self.data, "facts", "facts", required=False)),
            monuments=[], labels=[], label_pairs=[], names={},
            online_base_url=self.text(meta, "online_base_url", "memorial", None) or None,
        )
        memorial.findings = list(article.findings)
        for key in list(memorial.infobox_skip) + list(memorial.infobox_structured):
            if article.infobox_value(key) is None:
                raise self.error(f"infobox key {key!r} is not in the article's infobox", key)
        memorial.monuments = [self.monument(m, article, memorial.findings)
                              for m in self.value(self.data, "monuments", list, "memorial", [])]
        labels = self.table(self.data, "labels", "labels", required=False)
        memorial.label_pairs = self.label_pairs(labels, locales)
        memorial.labels = [self.label(item, memorial) for item in labels.get("items", [])]
        memorial.names = self.names(locales)
        return memorial

    def locale(self, code) -> str:
        if not isinstance(code, str):
            raise self.error(f"locale codes must be strings, not {code!r}", "locales")
        return check_locale(code, ManifestError, path=self.shown,
                            line=self.line_of(f'"{code}"'))

    def provenance(self) -> Provenance:
        table = self.table(self.data, "provenance", "provenance")
        return Provenance(*(self.text(table, key, "provenance") for key in
                            ("title", "publisher", "licence", "licence_url", "url")))

    def print_setup(self) -> PrintSetup:
        table = self.table(self.data, "print", "print", required=False)
        default = PrintSetup()
        size = lambda key: tuple(float(v) for v in table.get(key, getattr(default, key)))  # noqa: E731
        for key in ("plaque_mm", "label_mm"):
            value = table.get(key, getattr(default, key))
            if (not isinstance(value, (list, tuple)) or len(value) != 2
                    or not all(isinstance(v, (int, float)) and 10 <= v <= 5000 for v in value)):
                raise self.error(f"print.{key} must be [width, height] in millimetres", key)
        return PrintSetup(
            leaflet=self.text(table, "leaflet", "print", default.leaflet),
            plaque_mm=size("plaque_mm"), label_mm=size("label_mm"),
            sheet=self.text(table, "sheet", "print", default.sheet),
            bleed_mm=float(self.value(table, "bleed_mm", (int, float), "print", default.bleed_mm)),
            font=self.text(table, "font", "print", default.font))

    def monument(self, data, article: Article, findings: list) -> Monument:
        if not isinstance(data, dict):
            raise self.error("each [[monuments]] entry must be a table", "[[monuments]]")
        monument_id = self.text(data, "id", "monuments")
        line = self.line_of("id", f'"{monument_id}"') or 0
        faces = [self.face(f, article, findings) for f in self.value(data, "faces", list, "monuments")]
        year = lambda key: self.value(data, key, int, "monuments", None)  # noqa: E731
        return Monument(monument_id, self.text(data, "name", "monuments"),
                        self.text(data, "caption", "monuments", ""),
                        year("sculpture"), year("design"), year("plaque"), faces, line)

    def face(self, data, article: Article, findings: list) -> Face:
        face_id = self.text(data, "id", "monuments.faces")
        gloss = self.text(data, "gloss", "monuments.faces")
        carved = self.table(data, "inscriptions", "monuments.faces.inscriptions")
        inscriptions, lines = {}, {}
        for lang, text in carved.items():
            self.locale(lang)
            if not isinstance(text, str) or not text.strip():
                raise self.error(f"the {lang} inscription of face {face_id!r} must be text", lang)
            text = unicodedata.normalize("NFC", text)
            article_line = article.find_verbatim(text) or _find_nfc(article, text)
            if article_line is None:
                raise self.error(
                    f"the {lang} inscription {text!r} of face {face_id!r} does not occur "
                    f"verbatim in {article.path}", text,
                    hint="carved text must be copied letter for letter from the article")
            inscriptions[lang], lines[lang] = text, article_line
        in_article = self.text(data, "gloss_in_article", "monuments.faces", gloss)
        gloss_line = article.find_verbatim(f"[{in_article}]")
        if gloss_line is None:
            raise self.error(f"the gloss [{in_article}] of face {face_id!r} is not in the article",
                             "gloss", hint="set gloss_in_article to the article's own wording")
        if in_article != gloss:
            findings.append(SourceFinding(
                "source-gloss-corrected", article.path, gloss_line,
                f"the article's gloss [{in_article}] is printed as {gloss!r} (memorial.toml)",
                "info", in_article))
        return Face(face_id, gloss, inscriptions, lines, self.line_of("id", f'"{face_id}"') or 0)

    def label_pairs(self, labels: dict, locales: list[str]) -> list[tuple[str, str]]:
        pairs = []
        for pair in labels.get("pairs", []):
            if (not isinstance(pair, list) or len(pair) != 2
                    or not all(isinstance(code, str) for code in pair)):
                raise self.error("labels.pairs must be a list of [primary, secondary] locales",
                                 "pairs")
            for code in pair:
                if self.locale(code) not in locales:
                    raise self.error(f"label language {code!r} is not one of the locales", "pairs")
            pairs.append((pair[0], pair[1]))
        return pairs

    def label(self, data, memorial: Memorial) -> Label:
        label_id = self.text(data, "id", "labels.items")
        items_start = self.line_of("[[labels.items]]") or 0
        line = self.line_of("id", f'"{label_id}"', after=items_start) or 0
        formats = self.value(data, "formats", dict, "labels.items", {})
        facts = self.facts(data.get("facts", {}), formats, label_id)
        rows = []
        for row in self.value(data, "rows", list, "labels.items", []):
            row_text = self.text(row, "text", "labels.items.rows")
            date = self.value(row, "date", dt.date, "labels.items.rows")
            rows.append(LabelRow(date, row_text, self.facts(row.get("facts", {}), {}, label_id),
                                 self.line_of(row_text[:40]) or line))
        monument = self.text(data, "monument", "labels.items", None)
        if monument is not None and monument not in {m.id for m in memorial.monuments}:
            raise self.error(f"label {label_id!r} names an unknown monument {monument!r}", "monument")
        label = Label(label_id, self.text(data, "title", "labels.items"),
                      self.text(data, "text", "labels.items", ""), facts, rows, monument, line)
        self.check_placeholders(label)
        return label

    def facts(self, data: dict, formats: dict, label_id: str) -> list[Fact]:
        facts = []
        for name, value in data.items():
            fmt = formats.get(name) or _default_format(value)
            if fmt not in FACT_FORMATS or fmt == "text" and not isinstance(value, str):
                raise self.error(f"label {label_id!r}: fact {name!r} has no format {fmt!r}", name)
            if isinstance(value, list):
                value = tuple(value)
            facts.append(Fact(name, value, fmt))
        return facts

    def check_placeholders(self, label: Label) -> None:
        import string
        for text, facts in [(label.text, label.facts)] + [(r.text, r.facts) for r in label.rows]:
            names = {f.name for f in facts}
            try:
                used = {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
            except ValueError as exc:
                raise self.error(f"label {label.id!r}: bad placeholder: {exc}", text[:40]) from None
            if used - names:
                raise self.error(f"label {label.id!r} uses {sorted(used - names)} with no fact",
                                 text[:40])
            if names - used:
                raise self.error(f"label {label.id!r} has facts {sorted(names - used)} it never prints",
                                 label.id)

    def names(self, locales: list[str]) -> dict[str, dict[str, str]]:
        names = self.table(self.data, "names", "names", required=False)
        for code in names:
            self.locale(code)
        return {code: dict(table) for code, table in names.items()}


def _default_format(value) -> str:
    if isinstance(value, bool):
        return "invalid"
    if isinstance(value, int):
        return "number"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, dt.date) for v in value):
        return "period"
    if isinstance(value, str):
        return "text"
    return "invalid"


def _find_nfc(article: Article, text: str) -> int | None:
    normalized = unicodedata.normalize("NFC", article.text)
    offset = normalized.find(text)
    return None if offset < 0 else normalized.count("\n", 0, offset) + 1


def read_article_shown(path: Path, workspace) -> Article:
    article = read_article(path)
    shown = _shown(path, workspace)
    if shown != article.path:
        article = _reroot(article, shown)
    return article


def _reroot(article: Article, shown: str) -> Article:
    """Report the article's path relative to the workspace."""
    from dataclasses import replace
    findings = [replace(f, path=shown) for f in article.findings]
    return replace(article, path=shown, findings=findings)
