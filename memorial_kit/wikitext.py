"""MediaWiki wikitext (as Wikipedia exports it) -> the seed article format.

Parsed with mwparserfromhell: the infobox template becomes the "Infobox" list;
sections, subsections and lists are kept; links become their text; bold and italic
marks, references, other templates, files and categories go; the References, Notes,
Sources, Further reading and External links sections go ("See also" stays).  A
Special:Export XML file is read too: its title, revision and site give the provenance.
"""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import mwparserfromhell
from mwparserfromhell.nodes import (Argument, Comment, ExternalLink, Heading, HTMLEntity, Tag,
                                    Template, Text, Wikilink)

from .errors import SourceError

DROPPED_SECTIONS = {"references", "notes", "external links", "sources", "further reading",
                    "bibliography", "citations", "footnotes", "notes and references",
                    "literature"}
_FILE_PREFIXES = ("file:", "image:", "category:", "media:")
_SUFFIXES = (".wiki", ".wikitext", ".mediawiki")


@dataclass
class WikiPage:
    seed: str               # the article in the seed format
    title: str
    revision: str = ""
    url: str = ""


def looks_like_wikitext(text: str, name: str = "") -> bool:
    """Wikitext (or its XML export) rather than the seed format."""
    if name.lower().endswith(_SUFFIXES) or text.lstrip().startswith("<mediawiki"):
        return True
    first = text.lstrip().split("\n", 1)[0].strip()
    if re.fullmatch(r"=[^=].*[^=]=", first):
        return False                                 # the seed's "= Title =" line
    return bool(re.search(r"\{\{[^{}]*\||\[\[[^\]]+\]\]|'''", text))


def read_page(text: str, path: str, url_title: str = "", file_title: str = "") -> WikiPage:
    """The page's title: the export's, else the source URL's, else the lead's bold
    words, else the file's name."""
    title, revision, url = "", "", ""
    if text.lstrip().startswith("<mediawiki"):
        title, revision, url, text = _from_export(text, path)
    shown = title or url_title or _bold_title(text) or file_title or "Untitled"
    return WikiPage(to_seed(text, shown), shown, revision, url)


def _from_export(text: str, path: str) -> tuple[str, str, str, str]:
    """Special:Export XML -> (title, revision id, page URL, wikitext)."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise SourceError(f"not a readable MediaWiki export: {exc}", path=path,
                          line=exc.position[0]) from None
    ns = {"m": root.tag[1:].split("}")[0]} if root.tag.startswith("{") else {}
    find = (lambda el, tag: el.find(f"m:{tag}", ns)) if ns else (lambda el, tag: el.find(tag))
    page = find(root, "page")
    if page is None:
        raise SourceError("the MediaWiki export holds no page", path=path, line=1)
    revision = find(page, "revision")
    wikitext = find(revision, "text") if revision is not None else None
    title = (find(page, "title").text or "") if find(page, "title") is not None else ""
    rev_id = (find(revision, "id").text or "") if revision is not None and \
        find(revision, "id") is not None else ""
    base = ""
    info = find(root, "siteinfo")
    if info is not None and find(info, "base") is not None:
        base = find(info, "base").text or ""
    url = ""
    if base and title and "/wiki/" in base:
        url = base.split("/wiki/")[0] + "/wiki/" + title.replace(" ", "_")
    return title, rev_id, url, (wikitext.text or "") if wikitext is not None else ""


def _bold_title(text: str) -> str:
    match = re.search(r"'''(.+?)'''", text)
    return _plain(match[1]) if match else ""


def to_seed(text: str, title: str) -> str:
    code = mwparserfromhell.parse(text)
    infobox = _infobox(code)
    out = [f"= {_one_line(title)} =", ""]
    if infobox:
        out += ["Infobox"] + [f"- {key}: {value}" for key, value in infobox] + [""]
    out += _body(code)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


def _infobox(code) -> list[tuple[str, str]]:
    for template in code.filter_templates(recursive=False):
        if str(template.name).strip().lower().startswith("infobox"):
            fields, seen = [], set()
            for param in template.params:
                key = _one_line(str(param.name)).replace("_", " ").strip().capitalize()
                value = _plain(str(param.value))
                if not key or not value or key in seen or key.isdigit() or ":" in key:
                    continue
                seen.add(key)
                fields.append((key, value))
            return fields
    return []


def _body(code) -> list[str]:
    """Headings, paragraphs and list items, section by section."""
    out: list[str] = []
    sections = code.get_sections(flat=True, include_lead=True)
    for section in sections:
        headings = section.filter_headings(recursive=False)
        heading = headings[0] if headings else None
        if heading is not None and _plain(str(heading.title)).lower() in DROPPED_SECTIONS:
            continue
        if heading is not None:
            section.remove(heading)
            name = _plain(str(heading.title)).strip("= ")
            if name:
                out += [f"=={name}==", ""]
        out += _blocks(section)
    return out


def _blocks(section) -> list[str]:
    out: list[str] = []
    paragraph: list[str] = []

    def flush():
        if paragraph:
            # a line starting "-" or "=" would read as a list item or a heading
            text = _one_line(" ".join(paragraph)).lstrip("-= \t")
            if text and text != "Infobox":
                out.extend([text, ""])
            paragraph.clear()

    text = _strip(section)
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            flush()
        elif stripped[0] in "*#":
            flush()
            item = _one_line(stripped.lstrip("*#:; "))
            if item:
                if out and out[-1] == "":
                    out.pop()
                if out and not out[-1].startswith("- "):
                    out.append("")
                out.append(f"- {item}")
                out.append("")
        elif stripped[0] in "{|!" or stripped.startswith("__"):
            continue                                # table rows and magic words
        else:
            paragraph.append(stripped)
    flush()
    return _tidy(out)


def _tidy(lines: list[str]) -> list[str]:
    """One blank line between paragraphs; list items of one list together."""
    out: list[str] = []
    for line in lines:
        if line == "" and out and out[-1] == "":
            continue
        if line.startswith("- ") and len(out) >= 2 and out[-1] == "" and out[-2].startswith("- "):
            out.pop()
        out.append(line)
    return out


def _strip(code) -> str:
    """The text of wikicode: links as their text, markup, refs, templates, files gone."""
    pieces = []
    for node in code.nodes:
        pieces.append(_node_text(node))
    return "".join(pieces)


def _node_text(node) -> str:
    if isinstance(node, Text):
        return str(node.value)
    if isinstance(node, Template):
        return _template_text(node)
    if isinstance(node, (Comment, Argument, Heading)):
        return ""
    if isinstance(node, HTMLEntity):
        return node.normalize()
    if isinstance(node, Wikilink):
        target = str(node.title).strip()
        if target.lower().startswith(_FILE_PREFIXES) or target.startswith(":Category"):
            return ""
        return _strip(node.text) if node.text is not None else target.split("#")[0] or target
    if isinstance(node, ExternalLink):
        return _strip(node.title) if node.title is not None else ""
    if isinstance(node, Tag):
        tag = str(node.tag).lower()
        if tag in ("ref", "references", "gallery", "math", "table", "timeline", "score",
                   "templatestyles", "syntaxhighlight"):
            return ""
        if tag == "br":
            return " "
        if tag in ("li",):
            return "\n* " + (_strip(node.contents) if node.contents is not None else "")
        if node.wiki_markup and tag in ("li", "dt", "dd"):
            return ""
        return _strip(node.contents) if node.contents is not None else ""
    return str(node)


MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]
_DATE_TEMPLATES = {"start date", "end date", "start date and age", "end date and age",
                   "birth date", "death date", "dts", "date", "start-date", "end-date"}
_QUOTE_TEMPLATES = {"quote", "blockquote", "cquote", "quotation", "quote box", "poemquote",
                    "centered pull quote", "rquote"}
_TEXT_TEMPLATES = {"lang", "nowrap", "nobr", "transl", "transliteration", "small", "big",
                   "flag", "noitalic", "nobold", "script", "linktext", "lang-rtl", "rtl-lang",
                   "rtl", "ltr", "hebrew", "yiddish", "notatypo", "sic"}


def _template_text(template) -> str:
    """The few templates whose text belongs to the article: dates, languages, no-wrap."""
    name = str(template.name).strip().lower().replace("_", " ")
    positional = [_strip(p.value).strip() for p in template.params if not p.showkey]
    if name in _DATE_TEMPLATES:
        numbers = [p for p in positional if p.isdigit()]
        if numbers:
            parts = [int(n) for n in numbers[:3]]
            if len(parts) == 3 and 1 <= parts[1] <= 12:
                return f"{parts[2]} {MONTH_NAMES[parts[1] - 1]} {parts[0]}"
            if len(parts) == 2 and 1 <= parts[1] <= 12:
                return f"{MONTH_NAMES[parts[1] - 1]} {parts[0]}"
            return str(parts[0])
        return positional[0] if positional else ""
    if name in _QUOTE_TEMPLATES:                 # an inscription is often quoted so
        named = {str(p.name).strip(): _strip(p.value).strip() for p in template.params
                 if p.showkey}
        return named.get("text") or named.get("quote") or (positional[0] if positional else "")
    if name in ("circa", "c."):
        return f"c. {positional[0]}" if positional else "c."
    if name == "convert" and len(positional) >= 2:
        return f"{positional[0]} {positional[1]}"
    if name in _TEXT_TEMPLATES or name.startswith("lang-") or name.startswith("lang "):
        return positional[-1] if positional else ""
    return ""


def _plain(text: str) -> str:
    return _one_line(_strip(mwparserfromhell.parse(text)))


def _one_line(text: str) -> str:
    text = html.unescape(text).replace("\u00a0", " ")
    text = re.sub(r"'{2,}", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\(\s*[,;]?\s*\)", "", text)          # "()" left by a removed template
    text = re.sub(r"\s+([,.;:])", r"\1", text)
    return text.strip()
