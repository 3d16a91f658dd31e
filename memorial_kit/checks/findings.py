"""What a check reports: :class:`Finding`, the codes it may carry, and their order."""
from __future__ import annotations

from dataclasses import asdict, dataclass

SEVERITIES = ("error", "warning", "info")

# Every code the checks report, with its severity and what it is about.  The codes are
# stable: scripts and CI filter on them.
CODES: dict[str, tuple[str, str]] = {
    # catalog integrity
    "header-missing": ("error", "the catalog has no header, or the header lacks a field gettext needs"),
    "header-language": ("warning", "the header's Language is not the catalog's locale"),
    "plural-forms": ("error", "Plural-Forms differs from CLDR, or msgstr[n] forms do not match nplurals"),
    "catalog-outdated": ("warning", "the catalog and its template (.pot) hold different messages"),
    "format-python": ("error", "%(name)s / %s directives differ between msgid and msgstr"),
    "format-brace": ("error", "{name} placeholders differ between msgid and msgstr"),
    "whitespace": ("warning", "leading or trailing whitespace or newlines differ from the source"),
    # the carved inscriptions
    "inscription-missing": ("error", "a carved language's catalog lacks the carved text"),
    "inscription-changed": ("error", "the carved text in the catalog differs from the stone"),
    # facts
    "number-changed": ("error", "a number of the source is missing or different"),
    "number-added": ("error", "a number that the source does not have"),
    "name-missing": ("warning", "a proper name of the source is not in the translation"),
    "date-changed": ("error", "a month beside a day or year that the source's dates do not have"),
    "inscription-quoted": ("error", "the source quotes a carved text the translation does not hold letter for letter"),
    # reading
    "omission-length": ("error", "under half the length this catalog's translations usually have"),
    "omission-sentences": ("warning", "fewer sentences than the source"),
    "invisible-character": ("error", "bidi controls, other format or control characters the source does not have"),
    "max-length": ("warning", "longer than the entry's max-length flag (an error when over twice the limit)"),
    # typography
    "markup": ("error", "HTML markup or entities that the source does not have"),
    "brackets": ("warning", "unbalanced brackets or quotation marks"),
    "quotes": ("warning", "quotation marks that are not the language's"),
    "double-space": ("warning", "two spaces in a row"),
    "end-punctuation": ("warning", "the source ends a sentence and the translation does not, or vice versa"),
    # translation state
    "untranslated": ("warning", "no translation: the products that print it cannot ship"),
    "fuzzy": ("warning", "fuzzy translation: fuzzy text is never printed"),
    "coverage": ("info", "which products a locale can ship"),
    # print
    "glyph-missing": ("error", "a character the products' font has no glyph for"),
    "fit-plaque-pages": ("error", "the plaque does not fit on one page"),
    "fit-overflow": ("error", "a label's text is taller than its card"),
    "fit-margin": ("warning", "a line runs into the page margin"),
    "fit-skipped": ("info", "a product was not fit-checked because it cannot be built"),
    "render-failed": ("error", "a product that can ship cannot be laid out as PDF"),
    "catalog-missing": ("error", "a locale of the edition has no catalog for a domain"),
}


@dataclass
class Finding:
    code: str
    severity: str                   # "error" | "warning" | "info"
    locale: str | None
    domain: str | None
    path: str | None                # relative to the workspace
    line: int | None
    msgctxt: str | None
    msgid: str | None
    message: str
    suggestion: str | None = None

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")

    @property
    def location(self) -> str:
        if not self.path:
            return ""
        return f"{self.path}:{self.line}" if self.line else self.path

    def as_dict(self) -> dict:
        return asdict(self)

    def lines(self) -> list[str]:
        """``path:line: severity: [code] message``, the entry (msgctxt, msgid) and the
        suggestion, for a terminal."""
        where = self.location
        head = f"{where}: " if where else ""
        out = [f"{head}{self.severity}: [{self.code}] {self.message}"]
        if self.msgid is not None:
            out.append(f"  {self.message_name()}")
        if self.suggestion:
            out.append(f"  suggestion: {self.suggestion}")
        return out

    def message_name(self, limit: int = 70) -> str:
        """``msgctxt "…" msgid "…"``: the entry a finding is about, as a .po file spells it."""
        def quoted(text: str) -> str:
            text = " ".join(text.split())
            text = text if len(text) <= limit else text[:limit - 1] + "…"
            return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
        ctxt = f"msgctxt {quoted(self.msgctxt)} " if self.msgctxt is not None else ""
        return f"{ctxt}msgid {quoted(self.msgid or '')}"


def summary(findings: list[Finding]) -> dict[str, int]:
    return {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES}


def char_name(ch: str) -> str:
    """``'ė' U+0117`` for a message a translator can act on."""
    import unicodedata
    shown = ch if unicodedata.category(ch)[0] not in "CZ" else ""
    name = unicodedata.name(ch, "")
    text = f"'{shown}' U+{ord(ch):04X}" if shown else f"U+{ord(ch):04X}"
    return f"{text} ({name})" if name else text
