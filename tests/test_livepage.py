"""memorial_kit/livepage.py: what ``serve`` adds to a page as it serves it (a panel of the
build's errors and the page's findings, the map from passages to catalog entries, the
script), read as a browser would get it; the server itself is tested in test_serve.py."""
from __future__ import annotations

import html.parser
import json
import re

import pytest

from memorial_kit import livepage
from memorial_kit.checks.findings import Finding

PAGE = "vorkuta-uprising/lt/leaflet.html"
PO = "locales/lt/LC_MESSAGES/vorkuta-uprising.po"


def finding(severity="error", code="placeholder-missing", message="{date} is missing",
            path=PO, line=40, msgctxt="fact: date", msgid="Date: {date}") -> Finding:
    return Finding(code, severity, "lt", "vorkuta-uprising", path, line, msgctxt, msgid, message)


class _Elements(html.parser.HTMLParser):
    """The elements of a page with their attributes, and the text of its data script."""

    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.data = ""
        self._in_data = False

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._in_data = dict(attrs).get("id") == "mk-serve-data"

    def handle_endtag(self, tag):
        self._in_data = False

    def handle_data(self, data):
        if self._in_data:
            self.data += data


def parsed(page: str) -> _Elements:
    parser = _Elements()
    parser.feed(page)
    return parser


# --------------------------------------------------------------- page_locales ---
@pytest.mark.parametrize("page, expected", [
    (PAGE, ("vorkuta-uprising", ["lt"])),
    ("m/ru/plaque.html", ("m", ["ru"])),
    ("/m/ru/plaque.html", ("m", ["ru"])),
    ("m/labels/lt-en.html", ("m", ["lt", "en"])),
    ("m/labels/he-yi.html", ("m", ["he", "yi"])),
    ("index.html", (None, [])),
    ("m/contact-sheet.png", (None, [])),
    ("m/lt/leaflet.pdf", (None, [])),
    ("m/press/x/plaque.html", (None, [])),
])
def test_the_languages_of_a_page(page, expected):
    assert livepage.page_locales(page) == expected


# ----------------------------------------------------------------- panel_html ---
def test_a_page_still_being_checked():
    assert livepage.panel_html(PAGE, None, [], None, ["lt"]) == \
        "<h2>Findings (lt)</h2><p>Checking…</p>"


def test_a_page_with_nothing_found():
    assert livepage.panel_html("index.html", None, [], [], []) == \
        "<h2>Findings: 0 errors, 0 warnings, 0 info</h2><p>Nothing found.</p>"


def test_findings_are_counted_and_listed_with_file_line_and_entry():
    panel = livepage.panel_html(PAGE, None, [], [
        finding(), finding("warning", "length", "longer than 40 characters", line=None),
        finding("info", "untranslated", "not translated yet", path=None, msgctxt=None,
                msgid=None)], ["lt"])
    assert panel.startswith("<h2>Findings (lt): 1 errors, 1 warnings, 1 info</h2><ol>")
    assert ('<li class="mk-error"><strong>error [placeholder-missing]</strong> {date} is missing'
            f'<br><code>{PO}:40</code><br><code>msgctxt &#34;fact: date&#34; msgid &#34;Date: '
            '{date}&#34;</code></li>') in panel
    assert ('<li class="mk-warning"><strong>warning [length]</strong> longer than 40 characters'
            f"<br><code>{PO}</code>") in panel
    assert '<li class="mk-info"><strong>info [untranslated]</strong> not translated yet</li>' \
        in panel


def test_an_error_and_failures_come_first_and_nothing_is_markup():
    panel = livepage.panel_html(PAGE, f"{PO}:12: error: unterminated <b>string</b>",
                                ["plaque/lt: <script>alert(1)</script>"],
                                [finding(message="<img src=x onerror=alert(1)>")], ["lt"])
    assert panel.startswith('<div class="mk-banner" role="alert"><strong>The last edit cannot '
                            'be built.</strong> This is the last good render.<pre>'
                            f'{PO}:12: error: unterminated &lt;b&gt;string&lt;/b&gt;</pre></div>'
                            '<h2>Not built</h2><ol><li class="mk-error">plaque/lt: '
                            '&lt;script&gt;alert(1)&lt;/script&gt;</li></ol><h2>Findings')
    assert "<img" not in panel and "&lt;img src=x onerror=alert(1)&gt;" in panel


# --------------------------------------------------------------------- inject ---
def test_the_script_and_panel_go_before_the_end_of_the_body():
    html = "<html><body><p>x</p></body></html>"
    out = livepage.inject(html, "m/lt/leaflet.html", "<p>panel</p>",
                          [{"c": None, "i": "a</script>", "s": ["b"], "f": "x.po", "l": 3}])
    assert out.startswith("<html><body><p>x</p><aside id=\"mk-serve\"")
    assert out.endswith("</script></body></html>")
    assert "a</script>" not in out and "a<\\/script>" in out     # the map cannot end the script


def test_what_a_served_page_carries():
    entries = [{"c": "fact: date", "i": "Date: {date}", "s": ["Data: {date}"], "f": PO, "l": 40}]
    out = livepage.inject('<html lang="he" dir="rtl"><body><p>x</p></body></html>',
                          "m/he yi/leaflet.html", "<p>panel</p>", entries)
    page = parsed(out)
    tags = {attrs.get("id"): (tag, attrs) for tag, attrs in page.elements if attrs.get("id")}
    # the panel is English, left to right, whatever the page's language
    assert tags["mk-serve"] == ("aside", {"id": "mk-serve", "lang": "en", "dir": "ltr",
                                          "aria-label": "memorial-kit serve"})
    assert "hidden" in tags["mk-passage"][1]                      # until a passage is clicked
    assert '<div id="mk-serve-panel"><p>panel</p></div>' in out
    assert "@media print{#mk-serve{display:none}}" in out          # never printed
    data = json.loads(page.data)
    slot = data.pop("slot")
    assert data == {
        "page": "m/he yi/leaflet.html", "entries": entries,
        "events": "/__memorial-kit__/events",
        "panel": "/__memorial-kit__/panel?page=m/he%20yi/leaflet.html"}
    # what a passage is split at to find its entry: the filled placeholders
    assert re.split(slot, "Data: {date}, %(count)s of 100%% {") == ["Data: ", ", ", " of 100", " {"]


def test_text_outside_latin_is_kept_as_it_is():
    entries = [{"c": None, "i": "Monument", "s": ["אַנדענקמאָל"], "f": "yi.po", "l": 9}]
    out = livepage.inject("<body></body>", "m/yi/plaque.html", "", entries)
    assert json.loads(parsed(out).data)["entries"] == entries
    assert "אַנדענקמאָל" in out


def test_the_last_end_of_body_in_any_case():
    html = "<html><BODY><p>a literal </body> in a comment</p></BODY ></html>"
    out = livepage.inject(html, PAGE, "", [])
    assert out.startswith("<html><BODY><p>a literal </body> in a comment</p><aside ")
    assert out.endswith("</script></BODY ></html>")


def test_a_page_without_an_end_of_body_gets_it_at_the_end():
    out = livepage.inject("<p>fragment</p>", PAGE, "", [])
    assert out.startswith('<p>fragment</p><aside id="mk-serve"') and out.endswith("</script>")
