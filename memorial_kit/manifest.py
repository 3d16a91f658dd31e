"""memorial.toml + the seed article -> :class:`~memorial.Memorial`.

Loading checks what must hold before anything is extracted or printed; above all
that every carved inscription occurs verbatim in the article.  Every error names
its line in memorial.toml (found by :mod:`tomlpos`).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import math
import tomllib
import unicodedata
from pathlib import Path

from . import placeholders, tomlpos
from .article import MAX_ARTICLE_BYTES, Article, SourceFinding, decode_text, read_article
from .errors import ManifestError, SourceError
from .locales import check_locale, check_slug
from .memorial import (
    FACE_IDS,
    FACT_FORMATS,
    ID_RE,
    Face,
    Fact,
    Facts,
    Killed,
    Label,
    LabelRow,
    Memorial,
    Monument,
    PrintSetup,
    Provenance,
    face_kind,
)


def load_memorial(folder: str | Path, workspace: str | Path | None = None) -> Memorial:
    """Load ``folder/memorial.toml`` and its article; ManifestError says where."""
    folder = Path(folder)
    manifest_path = folder / "memorial.toml"
    shown = _shown(manifest_path, workspace)
    from .fsutil import ReadError, read_bounded
    try:
        raw = read_bounded(manifest_path, MAX_ARTICLE_BYTES, shown)
    except ReadError as exc:
        if not manifest_path.exists():
            raise ManifestError("memorial.toml not found", path=shown,
                                hint="every folder under seeds/ needs a memorial.toml") from None
        raise ManifestError(exc.message, path=shown, hint=exc.hint) from None
    key = (str(folder.resolve()), None if workspace is None else str(Path(workspace).resolve()), raw)
    known = _LOADED.get(key)
    if known is not None and _article_unchanged(known, folder):
        return known
    text = decode_text(raw, shown, ManifestError)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"not valid TOML: {str(exc).split(' (at')[0]}", path=shown,
                            line=tomlpos.error_line(exc, text)) from None
    except RecursionError:
        # tomllib parses nested arrays and inline tables recursively
        raise ManifestError("not valid TOML: arrays or tables nested too deeply",
                            path=shown, line=tomlpos.deepest_line(text)) from None
    memorial = _ManifestReader(folder, shown, text, data, workspace).memorial()
    _LOADED[key] = memorial
    while len(_LOADED) > _LOADED_KEPT:
        del _LOADED[next(iter(_LOADED))]
    return memorial


# The last memorials loaded in this process, by the bytes of their manifest: a build loads
# each memorial twice (to plan its jobs, then again under its lock), and at a thousand
# labels parsing is most of a second.  The model is frozen, so one can be shared while
# its article reads as the text it was made from.
_LOADED: dict[tuple, Memorial] = {}
_LOADED_KEPT = 4


def _article_unchanged(memorial: Memorial, folder: Path) -> bool:
    from .fsutil import ReadError, read_bounded
    article = folder / Path(memorial.article_path).name
    try:
        data = read_bounded(article, MAX_ARTICLE_BYTES, str(article))
        return decode_text(data, str(article)) == memorial.article.text
    except (ReadError, SourceError):
        return False


def _shown(path: Path, workspace) -> str:
    if workspace is not None:
        try:
            return str(Path(path).resolve().relative_to(Path(workspace).resolve()))
        except ValueError:
            pass
    return str(path)


STRUCTURED_KINDS = {"period", "killed"}


class _ManifestReader:
    """Reads the parsed TOML into the model; every error names its line.

    tomllib keeps no positions: :mod:`tomlpos` gives the line of each key by its path.
    The reader keeps the path of the table being read (``at``), and ``anchor``, that
    table's line, which an error about something missing there names.
    """

    def __init__(self, folder: Path, shown: str, text: str, data: dict, workspace):
        self.folder, self.shown, self.data, self.workspace = folder, shown, data, workspace
        self.positions = tomlpos.locate(text)
        self.path: tuple = ()       # the table being read
        self.anchor = 0             # its line; 0: none
        self._label_ids: set[str] = set()
        self.locales: list[str] = []                # of the memorial, once read
        self.monuments: list[Monument] = []         # read so far
        self.findings: list[SourceFinding] = []     # the article's, and the reader's

    # -- lines --------------------------------------------------------------
    def key_line(self, *keys) -> int | None:
        """Line where ``keys`` (a path from the current table) are written; else the
        current table's line."""
        return self.positions.line(*self.path, *keys) or self.anchor or None

    @contextlib.contextmanager
    def at(self, *path):
        """Read the table at ``path`` (from the top of the document)."""
        saved = self.path, self.anchor
        self.path, self.anchor = path, self.positions.line(*path) or self.anchor
        try:
            yield
        finally:
            self.path, self.anchor = saved

    def error(self, message: str, hint: str | None = None,
              line: int | None = None) -> ManifestError:
        return ManifestError(message, path=self.shown, line=line or self.anchor or None,
                             hint=hint)

    def slug(self, value: str, what: str) -> str:
        """An id that becomes part of file names and message contexts: a slug, never a path."""
        if not ID_RE.fullmatch(value):
            raise self.error(f"the {what} id {value[:60]!r} is not a slug",
                             line=self.key_line("id"),
                             hint="ids are lower-case letters, digits, '-' and '_' "
                                  "(they become file names)")
        return value

    # -- typed access ---------------------------------------------------------
    def table(self, data: dict, key: str, where: str, required=True) -> dict:
        value = data.get(key)
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            if value is None:
                raise self.error(f"missing [{where}] table", line=self.anchor or 1,
                                 hint=f"add a [{where}] table")
            raise self.error(f"[{where}] must be a table, not {_kind(value)}",
                             line=self.key_line(key))
        return value

    def value(self, data: dict, key: str, kind, where: str, default=...):
        if key not in data:
            if default is not ...:
                return default
            raise self.error(f"missing required key {key!r} in [{where}]",
                             line=self.anchor or 1, hint=f"add {key} = ... to [{where}]")
        value = data[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        wrong = (not isinstance(value, kinds)
                 or isinstance(value, bool) and bool not in kinds
                 or isinstance(value, dt.datetime) and dt.datetime not in kinds
                 or isinstance(value, float) and not math.isfinite(value))
        if wrong:
            names = "/".join(_KIND_NAMES.get(k, k.__name__) for k in kinds)
            raise self.error(f"{where}.{key} must be a {names}, not {_kind(value)}",
                             line=self.key_line(key))
        return value

    def text(self, data: dict, key: str, where: str, default=..., empty: bool = False) -> str:
        value = self.value(data, key, str, where, default)
        if not isinstance(value, str):
            return value
        if not empty and not value.strip():
            raise self.error(f"{where}.{key} must not be empty", line=self.key_line(key))
        return unicodedata.normalize("NFC", value)

    def entries(self, data: dict, key: str, where: str) -> list[dict]:
        """An array of tables (``[[where]]`` or ``key = [{...}, ...]``); [] if absent."""
        items = self.value(data, key, list, where, [])
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise self.error(f"each entry of {where} must be a table, not {_kind(item)}",
                                 line=self.key_line(key, index))
        return items

    def strings(self, data: dict, key: str, where: str) -> list[str]:
        items = self.value(data, key, list, where, [])
        for index, item in enumerate(items):
            if not isinstance(item, str):
                raise self.error(f"{where}.{key} must be a list of strings, not hold "
                                 f"{_kind(item)}", line=self.key_line(key, index))
        return list(items)

    def string_table(self, data: dict, key: str, where: str) -> dict[str, str]:
        table = self.value(data, key, dict, where, {})
        for name, item in table.items():
            if not isinstance(item, str) or not item.strip():
                raise self.error(f"{where}.{key}.{name} must be text, not {_kind(item)}",
                                 line=self.key_line(key, name))
        return {name: unicodedata.normalize("NFC", item) for name, item in table.items()}

    def locale(self, code, line: int | None) -> str:
        if not isinstance(code, str):
            raise self.error(f"locale codes must be strings, not {code!r}", line=line)
        return check_locale(code, ManifestError, path=self.shown, line=line)

    # -- the manifest -----------------------------------------------------
    def memorial(self) -> Memorial:
        slug = check_slug(self.folder.name, ManifestError, path=self.shown)
        meta = self.table(self.data, "memorial", "memorial")
        with self.at("memorial"):
            source_locale = self.text(meta, "source_locale", "memorial")
            self.locale(source_locale, self.key_line("source_locale"))
            locales = [self.locale(code, self.key_line("locales", index))
                       for index, code in enumerate(self.value(meta, "locales", list,
                                                               "memorial"))]
            for index, code in enumerate(locales):
                if code in locales[:index]:
                    raise self.error(f"the locale {code!r} is listed twice",
                                     line=self.key_line("locales", index))
            if source_locale not in locales:
                raise self.error(f"the source locale {source_locale!r} must be one of the "
                                 "locales", line=self.key_line("locales"))
            article_name = self.text(meta, "article", "memorial", "article.txt")
            if ("/" in article_name or "\\" in article_name or article_name.startswith(".")
                    or "\0" in article_name):
                raise self.error("memorial.article must be a file name in the memorial's folder",
                                 line=self.key_line("article"))
            article_path = self.folder / article_name
            if not article_path.is_file():
                raise self.error(f"the article {article_name!r} does not exist in "
                                 f"{_shown(self.folder, self.workspace)}",
                                 line=self.key_line("article") if "article" in meta
                                 else self.anchor or 1,
                                 hint="put the seed article next to memorial.toml")
            article = read_article_shown(article_path, self.workspace)
            domain = check_slug(self.text(meta, "domain", "memorial"), ManifestError,
                                path=self.shown, line=self.key_line("domain"))
            title = self.text(meta, "title", "memorial")
            online = self.text(meta, "online_base_url", "memorial", None, empty=True) or None
        infobox = self.table(self.data, "infobox", "infobox", required=False)
        with self.at("infobox"):
            skip = self.strings(infobox, "skip", "infobox")
            structured = self.string_table(infobox, "structured", "infobox")
            for key, kind in structured.items():
                if kind not in STRUCTURED_KINDS:
                    raise self.error(f"infobox.structured.{key} must be one of "
                                     f"{sorted(STRUCTURED_KINDS)}, not {kind!r}",
                                     line=self.key_line("structured", key))
            infobox_labels = self.string_table(infobox, "labels", "infobox")
        provenance, print_setup = self.provenance(), self.print_setup()
        facts = self.facts_table(structured)
        self.locales, self.findings = locales, list(article.findings)
        for key, line in provenance.missing_for_credit():
            self.findings.append(SourceFinding(
                "provenance-missing", self.shown, line,
                f"{key} is empty: the credit line cannot be printed, so the leaflet and the "
                "labels are not built until the article's source and licence are filled in",
                "warning", key))
        with self.at("infobox"):
            written = [("skip", index) for index in range(len(skip))] + [
                ("structured", key) for key in structured]
            for key, where in zip(skip + list(structured), written):
                if article.infobox_value(key) is None:
                    raise self.error(f"infobox key {key!r} is not in the article's infobox",
                                     line=self.key_line(*where))
        self.monuments = []
        for index, data in enumerate(self.entries(self.data, "monuments", "monuments")):
            with self.at("monuments", index):       # one by one: ids must not repeat
                self.monuments.append(self.monument(data, article))
        labels = self.table(self.data, "labels", "labels", required=False)
        with self.at("labels"):
            pairs = self.label_pairs(labels, locales)
            items = self.entries(labels, "items", "labels.items")
        label_list = []
        for index, item in enumerate(items):
            with self.at("labels", "items", index):
                label_list.append(self.label(item))
        return Memorial(
            slug=slug, folder=self.folder, manifest_path=self.folder / "memorial.toml",
            title=title, domain=domain, source_locale=source_locale, locales=locales,
            article=article, provenance=provenance, print=print_setup, infobox_skip=skip,
            infobox_structured=structured, infobox_labels=infobox_labels, facts=facts,
            monuments=self.monuments, labels=label_list, label_pairs=pairs,
            names=self.names(), online_base_url=online, findings=self.findings,
            locales_line=self.positions.line("memorial", "locales") or 0)

    def provenance(self) -> Provenance:
        table = self.table(self.data, "provenance", "provenance")
        with self.at("provenance"):
            keys = ("title", "publisher", "licence", "licence_url", "url")
            values = [self.text(table, key, "provenance", "", empty=True) for key in keys]
            lines = tuple((key, self.key_line(key)) for key in keys)
            return Provenance(*values, lines=lines)

    def print_setup(self) -> PrintSetup:
        table = self.table(self.data, "print", "print", required=False)
        with self.at("print"):
            default = PrintSetup()
            sizes = {}
            for key in ("plaque_mm", "label_mm"):
                value = table.get(key, getattr(default, key))
                if (not isinstance(value, (list, tuple)) or len(value) != 2
                        or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                   and 10 <= v <= 5000 for v in value)):
                    raise self.error(f"print.{key} must be [width, height] in millimetres "
                                     "(10 to 5000)", line=self.key_line(key))
                sizes[key] = (float(value[0]), float(value[1]))
            bleed = float(self.value(table, "bleed_mm", (int, float), "print", default.bleed_mm))
            if not 0 <= bleed <= 50:
                raise self.error("print.bleed_mm must be from 0 to 50 millimetres",
                                 line=self.key_line("bleed_mm"))
            profile = self.text(table, "icc_profile", "print", default.icc_profile)
            parts = profile.replace("\\", "/").split("/")
            if profile.startswith("/") or ".." in parts or not profile.lower().endswith(
                    (".icc", ".icm")):
                raise self.error("print.icc_profile must be an .icc file inside templates/, "
                                 "named relative to it", line=self.key_line("icc_profile"),
                                 hint='e.g. icc_profile = "color/sRGB.icc"')
            return PrintSetup(
                leaflet=self.text(table, "leaflet", "print", default.leaflet),
                plaque_mm=sizes["plaque_mm"], label_mm=sizes["label_mm"],
                sheet=self.text(table, "sheet", "print", default.sheet),
                bleed_mm=bleed, font=self.text(table, "font", "print", default.font),
                icc_profile=profile,
                **{key: self.value(table, key, bool, "print", getattr(default, key))
                   for key in ("press", "accessible", "archive")})

    def facts_table(self, structured: dict[str, str]) -> Facts:
        facts = self.table(self.data, "facts", "facts", required=False)
        with self.at("facts"):
            dates = {key: Fact(key, self.value(facts, key, dt.date, "facts"), "date",
                               self.key_line(key))
                     for key in ("start", "end") if key in facts}
            if len(dates) == 2 and dates["start"].value > dates["end"].value:
                raise self.error("facts.start is after facts.end", line=dates["start"].line)
            killed = []
            for index, item in enumerate(self.entries(facts, "killed", "facts.killed")):
                with self.at("facts", "killed", index):
                    count = self.value(item, "count", int, "facts.killed")
                    if count < 0:
                        raise self.error("facts.killed: a count cannot be negative",
                                         line=self.key_line("count"))
                    killed.append(Killed(count, self.text(item, "source", "facts.killed"),
                                         self.key_line("source")))
            kinds = set(structured.values())
            where = self.anchor or self.positions.line("infobox", "structured")
            if "period" in kinds and len(dates) < 2:
                raise self.error("infobox.structured prints a period: [facts] needs start and "
                                 "end dates", line=where)
            if "killed" in kinds and not killed:
                raise self.error("infobox.structured prints the killed: [facts] needs killed "
                                 "= [{ count = N, source = \"...\" }]", line=where)
            return Facts(dates.get("start"), dates.get("end"), tuple(killed))

    def monument(self, data: dict, article: Article) -> Monument:
        monument_id = self.slug(self.text(data, "id", "monuments"), "monument")
        if monument_id in {m.id for m in self.monuments}:
            raise self.error(f"two monuments have the id {monument_id!r}",
                             line=self.key_line("id"))
        line = self.key_line("id")
        faces = []
        for number, face in enumerate(self.entries(data, "faces", "monuments.faces")):
            with self.at(*self.path, "faces", number):
                faces.append(self.face(face, article, faces))
        year = lambda key: self.value(data, key, int, "monuments", None)  # noqa: E731
        return Monument(monument_id, self.text(data, "name", "monuments"),
                        self.text(data, "caption", "monuments", "", empty=True),
                        year("sculpture"), year("design"), year("plaque"), faces, line)

    def face(self, data: dict, article: Article, faces: list) -> Face:
        face_id = self.slug(self.text(data, "id", "monuments.faces"), "face")
        if face_kind(face_id) is None:
            raise self.error(f"{face_id!r} is not a face the templates print",
                             line=self.key_line("id"),
                             hint=f"use one of {', '.join(FACE_IDS)} (each has a translatable "
                                  "name), numbered for a second face of a kind: front-2")
        if face_id in {f.id for f in faces}:
            raise self.error(f"two faces of the monument have the id {face_id!r}",
                             line=self.key_line("id"))
        # No gloss: the article gives no translation; the face prints its carved text only.
        gloss = self.text(data, "gloss", "monuments.faces", "", empty=True).strip()
        carved = self.table(data, "inscriptions", "monuments.faces.inscriptions")
        inscriptions, lines = {}, {}
        for lang, text in carved.items():
            line = self.key_line("inscriptions", lang)
            self.locale(lang, line)
            if lang not in self.locales:
                raise self.error(f"face {face_id!r} is carved in {lang!r}, which is not one of "
                                 "the locales", line=line,
                                 hint="the carved languages need catalogs: add it to "
                                      "memorial.locales")
            if not isinstance(text, str) or not text.strip():
                raise self.error(f"the {lang} inscription of face {face_id!r} must be text",
                                 line=line)
            text = unicodedata.normalize("NFC", text)
            article_line = article.find_verbatim(text) or _find_nfc(article, text)
            if article_line is None:
                raise self.error(
                    f"the {lang} inscription {text!r} of face {face_id!r} does not occur "
                    f"verbatim in {article.path}", line=line,
                    hint="carved text must be copied letter for letter from the article")
            inscriptions[lang], lines[lang] = text, article_line
        in_article = self.text(data, "gloss_in_article", "monuments.faces", gloss,
                               empty=not gloss)
        # The gloss as the article writes it: [in brackets], (in parentheses), after
        # "meaning"... wherever it stands, its words must be the article's.
        gloss_line = (article.find_verbatim(in_article) or _find_nfc(article, in_article)
                      if in_article else 0)
        if gloss_line is None:
            raise self.error(f"the gloss {in_article!r} of face {face_id!r} is not in the article",
                             line=self.key_line("gloss_in_article" if "gloss_in_article" in data
                                                else "gloss"),
                             hint="set gloss_in_article to the article's own wording")
        if in_article != gloss:
            self.findings.append(SourceFinding(
                "source-gloss-corrected", article.path, gloss_line,
                f"the article's gloss [{in_article}] is printed as {gloss!r} (memorial.toml)",
                "info", in_article))
        return Face(face_id, gloss, inscriptions, lines, self.key_line("id"))

    def label_pairs(self, labels: dict, locales: list[str]) -> list[tuple[str, str]]:
        pairs = []
        for index, pair in enumerate(self.value(labels, "pairs", list, "labels", [])):
            line = self.key_line("pairs", index)
            if (not isinstance(pair, list) or len(pair) != 2
                    or not all(isinstance(code, str) for code in pair)):
                raise self.error("labels.pairs must be a list of [primary, secondary] locales",
                                 line=line)
            for code in pair:
                if self.locale(code, line) not in locales:
                    raise self.error(f"label language {code!r} is not one of the locales",
                                     line=line)
            if pair[0] == pair[1] or (pair[0], pair[1]) in pairs:
                raise self.error(f"labels.pairs: the pair {pair} is repeated or pairs a "
                                 "language with itself", line=line)
            pairs.append((pair[0], pair[1]))
        return pairs

    def label(self, data: dict) -> Label:
        label_id = self.slug(self.text(data, "id", "labels.items"), "label")
        if label_id in self._label_ids:
            raise self.error(f"two labels have the id {label_id!r}", line=self.key_line("id"))
        self._label_ids.add(label_id)
        line = self.key_line("id")
        formats = self.value(data, "formats", dict, "labels.items", {})
        facts = self.facts(self.value(data, "facts", dict, "labels.items", {}), formats, label_id)
        rows = []
        for index, row in enumerate(self.entries(data, "rows", "labels.items.rows")):
            with self.at(*self.path, "rows", index):
                row_text = self.text(row, "text", "labels.items.rows")
                date = self.value(row, "date", dt.date, "labels.items.rows")
                row_facts = self.facts(self.value(row, "facts", dict, "labels.items.rows", {}),
                                       {}, label_id)
                rows.append(LabelRow(date, row_text, row_facts, self.key_line("text")))
        monument = self.text(data, "monument", "labels.items", None)
        if monument is not None and monument not in {m.id for m in self.monuments}:
            raise self.error(f"label {label_id!r} names an unknown monument {monument!r}",
                             line=self.key_line("monument"))
        label = Label(label_id, self.text(data, "title", "labels.items"),
                      self.text(data, "text", "labels.items", "", empty=True), facts, rows,
                      monument, line)
        self.check_placeholders(label)
        return label

    def facts(self, data: dict, formats: dict, label_id: str) -> list[Fact]:
        """A label's (or a row's) facts, from the ``facts`` and ``formats`` tables of the
        current one."""
        facts = []
        for name in formats:
            if name not in data:
                raise self.error(f"label {label_id!r}: formats names {name!r}, which is not "
                                 "one of its facts", line=self.key_line("formats", name))
        for name, value in data.items():
            fmt = formats.get(name) or _default_format(value)
            if not isinstance(fmt, str) or fmt not in FACT_FORMATS \
                    or not _fits_format(value, fmt):
                raise self.error(f"label {label_id!r}: fact {name!r} = {value!r} cannot be "
                                 f"printed as {fmt!r}", line=self.key_line("facts", name),
                                 hint=f"formats are {', '.join(sorted(FACT_FORMATS))}")
            if not placeholders.is_name(name):
                raise self.error(f"label {label_id!r}: fact name {name!r} cannot be a "
                                 "placeholder", line=self.key_line("facts", name),
                                 hint="use letters, digits and '_'")
            if isinstance(value, list):
                value = tuple(value)
            facts.append(Fact(name, value, fmt, self.key_line("facts", name)))
        return facts

    def check_placeholders(self, label: Label) -> None:
        """The renderer's placeholder grammar: ``{name}``, ``{{`` and ``}}``; nothing else."""
        parts = [(label.text, label.facts, None)] + [(r.text, r.facts, r.line) for r in label.rows]
        for text, facts, row_line in parts:
            names = {f.name for f in facts}
            line = row_line or self.key_line("text")
            found = placeholders.braces(text)
            if found.stray:
                bad = placeholders.malformed(text, found.stray[0])
                raise self.error(f"label {label.id!r}: {bad[:40]!r} is not a placeholder",
                                 line=line,
                                 hint="placeholders are {name}; write {{ and }} for braces")
            used = set(found.names)
            if used - names:
                raise self.error(f"label {label.id!r} uses {sorted(used - names)} with no fact",
                                 line=line)
            if names - used:
                raise self.error(f"label {label.id!r} has facts {sorted(names - used)} it never "
                                 "prints", line=row_line or self.key_line("facts"))

    def names(self) -> dict[str, dict[str, str]]:
        names = self.table(self.data, "names", "names", required=False)
        out = {}
        with self.at("names"):
            for code in names:
                self.locale(code, self.key_line(code))
                out[code] = self.string_table(names, code, "names")
        return out


_KIND_NAMES = {str: "string", int: "whole number", float: "number", list: "list",
               dict: "table", dt.date: "date", bool: "boolean"}


def _kind(value) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dt.datetime):
        return "a date and time"
    for kind, name in _KIND_NAMES.items():
        if isinstance(value, kind):
            return f"a {name}"
    return type(value).__name__


def _fits_format(value, fmt: str) -> bool:
    is_int = isinstance(value, int) and not isinstance(value, bool)
    is_date = isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    if fmt == "number":
        return is_int or isinstance(value, float) and math.isfinite(value)
    if fmt == "year":
        return is_int and 1 <= value <= 9999
    if fmt in ("date", "month-year"):
        return is_date
    if fmt == "period":
        return (isinstance(value, (list, tuple)) and len(value) == 2
                and all(isinstance(v, dt.date) and not isinstance(v, dt.datetime) for v in value)
                and value[0] <= value[1])
    return isinstance(value, str)


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
    """The article, its errors and findings naming it relative to the workspace."""
    return read_article(path, _shown(path, workspace))
