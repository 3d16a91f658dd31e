"""The catalog model: entries and a catalog with its header, no reading or writing.

A header's charset names the text codec of a file; which charsets a .po file can be
written in is decided here, for the reader and the writer alike."""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from ..errors import CatalogError

# The largest catalog the kit reads (GNU has no bound): a line may be as long as the file.
MAX_CATALOG_BYTES = 64 * 1024 * 1024
DEFAULT_DOMAIN = "messages"       # GNU's name for the entries before any 'domain' directive



@dataclass
class Entry:
    msgid: str
    msgstr: str = ""
    msgid_plural: str | None = None
    msgstr_plural: list[str] = field(default_factory=list)
    msgctxt: str | None = None
    translator_comments: list[str] = field(default_factory=list)
    extracted_comments: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    previous_msgctxt: str | None = None
    previous_msgid: str | None = None
    previous_msgid_plural: str | None = None
    obsolete: bool = False
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @fuzzy.setter
    def fuzzy(self, value: bool) -> None:
        if value and "fuzzy" not in self.flags:
            self.flags.insert(0, "fuzzy")
        elif not value:
            self.flags[:] = [f for f in self.flags if f != "fuzzy"]

    @property
    def translated(self) -> bool:
        if self.fuzzy:
            return False
        if self.msgid_plural is not None:
            return bool(self.msgstr_plural) and all(self.msgstr_plural)
        return self.msgstr != ""

    @property
    def first_msgstr(self) -> str:
        """msgstr, or msgstr[0] of a plural entry (GNU tests this one)."""
        if self.msgid_plural is not None:
            return self.msgstr_plural[0] if self.msgstr_plural else ""
        return self.msgstr


@dataclass
class PoFile:
    entries: list[Entry] = field(default_factory=list)
    header: Entry | None = None
    path: str | None = None
    # header field name -> the 1-based line its string starts on (when read from a file)
    header_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    # entries after a 'domain "NAME"' directive (NAME not "messages"): NAME -> its entries
    # (a header among them first), and NAME -> the line of its first directive
    domains: dict[str, list[Entry]] = field(default_factory=dict)
    domain_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def only_domain(self, name: str) -> "PoFile":
        """This catalog as the one of domain ``name``: entries a 'domain' directive gives
        ``name`` join the others; those it gives another domain are an error."""
        for other, entries in self.domains.items():
            if other != name:
                raise CatalogError(f"a 'domain \"{other}\"' directive: this file is the "
                                   f"catalog of the domain {name!r}, one domain per file",
                                   path=self.path, line=self.domain_lines.get(other),
                                   hint=f"move those entries to the catalog {other}.po, "
                                        "or remove the directive")
            seen = {e.key: e.line for e in self.entries}
            for entry in entries:
                if entry.key in seen:
                    raise CatalogError(f"msgid {entry.msgid[:60]!r} twice: in the domain "
                                       f"{name!r} and before its 'domain' directive",
                                       path=self.path, line=entry.line)
                if entry.msgid == "" and entry.msgctxt is None and self.header is None:
                    self.header = entry
                else:
                    self.entries.append(entry)
        self.domains = {}
        return self

    def header_line(self, name: str) -> int | None:
        """The line of header field ``name`` (else of the header), for error messages."""
        return self.header_lines.get(name) or (self.header.line if self.header else None)

    def header_fields(self) -> list[tuple[str, str]]:
        """``Name: value`` lines of the header, in order."""
        if self.header is None:
            return []
        fields = []
        for line in self.header.msgstr.split("\n"):
            name, sep, value = line.partition(":")
            if sep and name.strip():
                fields.append((name.strip(), value.strip()))
        return fields

    def set_header_fields(self, fields: list[tuple[str, str]]) -> None:
        if self.header is None:
            self.header = Entry(msgid="")
        self.header.msgstr = "".join(f"{k}: {v}\n" for k, v in fields)

    def header_value(self, name: str) -> str | None:
        for key, value in self.header_fields():
            if key.lower() == name.lower():
                return value
        return None

    @property
    def charset(self) -> str | None:
        """The charset named in Content-Type, as written (None if absent)."""
        return header_charset(self.header.msgstr) if self.header else None

    def get(self, msgctxt: str | None, msgid: str) -> Entry | None:
        key = (msgctxt, msgid)
        index = self.__dict__.get("_index")
        if index is not None:
            hit = index.get(key)
            if hit is not None and hit[1] < len(self.entries) \
                    and self.entries[hit[1]] is hit[0] and hit[0].key == key:
                return hit[0]
        # Stale or missing: rebuild (entries is a plain, mutable list).
        index = {}
        for pos, entry in enumerate(self.entries):
            index.setdefault(entry.key, (entry, pos))
        self.__dict__["_index"] = index
        hit = index.get(key)
        return hit[0] if hit else None


def header_charset(msgstr: str) -> str | None:
    # GNU looks for "charset=" anywhere in the header and stops at white space.
    pos = msgstr.find("charset=")
    if pos < 0:
        return None
    m = re.match(r"[^ \t\n]*", msgstr[pos + 8:])
    return m.group(0) or None



def text_codec(charset: str) -> str | None:
    """Python's codec for a .po charset, or None if it cannot be one.

    Only text encodings that write the PO keywords and quotes as ASCII qualify
    (as for GNU gettext): not 'rot13' or 'base64' (bytes-to-bytes codecs whose
    decode() raises LookupError), nor UTF-16/32, EBCDIC and the like.
    """
    try:
        info = codecs.lookup(charset)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in ("idna", "punycode"):
        return None
    try:
        if _ASCII_PROBE.encode(info.name) != _ASCII_PROBE.encode("ascii"):
            return None
    except (UnicodeError, LookupError):
        return None
    return info.name


def charset_problem(charset: str, where: str) -> str:
    try:
        codecs.lookup(charset)
    except (LookupError, ValueError):
        return f"unknown charset {charset!r} {where}"
    return (f"charset {charset!r} {where} cannot be a .po file's: it does not write "
            "the ASCII keywords and quotes as ASCII")


_ASCII_PROBE = 'msgid "x" msgstr[0] #~|:,.\\\n\r\t'

