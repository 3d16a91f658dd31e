"""Untrusted text stays text; products fetch nothing; names cannot walk out.

Translators, curators and template authors are trusted with words, not with
code: markup in a translation is never printed (check's verdict holds it back), and
would be printed as characters if it were; a template cannot
make a build fetch from the network or read files outside templates/, a
Plural-Forms expression is parsed, never evaluated, a placeholder cannot
reach attributes, and locale or memorial names cannot be paths.
"""
from __future__ import annotations

import builtins
import http.server
import re
import shutil
import subprocess
import threading
import unicodedata
from pathlib import Path

import pytest

from memorial_kit.errors import CatalogError, RenderError

from conftest import run_kit, snapshot, translate
from test_bad_input import DATA, apply_case

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=http://evil/x>"
HAVE_PDFTOTEXT = shutil.which("pdftotext") is not None


def source_texts(root: Path) -> dict[str, str]:
    from memorial_kit.manifest import load_memorial
    memorial = load_memorial(root / "seeds" / "vorkuta-uprising", root)
    return {"title": memorial.article.title, "lead": memorial.article.lead[0].text}


def pdf_text(path: Path) -> str:
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True,
                          check=True, text=True).stdout
    # Line ends, hyphenation and spaces are layout, not text.
    return re.sub(r"[\s\u00ad-]+", "", unicodedata.normalize("NFC", text))


# ------------------------------------------------- markup in translations ---

class _NoVerdict:
    """Every message printable: the renderer's own escaping, behind check's verdict."""

    def of(self, locale):
        return {}


def render_unchecked(root: Path, product: str, locales: tuple[str, ...]) -> str:
    """``product``'s HTML as build renders it, were check's verdict to let everything by."""
    from memorial_kit.jobs import Job, render_job
    from memorial_kit.render import Renderer
    from memorial_kit.workspace import Workspace
    ws_ = Workspace(root)
    memorial = ws_.memorial("vorkuta-uprising")
    return render_job(ws_, memorial, Job(memorial.slug, product, locales), Renderer(ws_.templates),
                      switcher=False, verdicts=_NoVerdict()).html


def test_markup_in_translations_is_never_printed_and_would_be_text(ws):
    texts = source_texts(ws)
    hostile = {
        (None, texts["title"]): SCRIPT,
        (None, texts["lead"]): f"Before {IMG} after, and {SCRIPT} too.",
        (None, "In memory of the victims"): f"{SCRIPT} kicker",
        ("label: uprising, text", "Inmates of the Rechlag special camp went on strike, "
                                  "{strikers} of them at its height."): f"{IMG} {{strikers}}",
    }
    translate(ws, "lt", hostile)
    result = run_kit(ws, "build", "--locale", "lt", "--format", "html,pdf",
                     "--product", "leaflet")
    assert result.returncode == 1, result.stdout + result.stderr    # check's [markup] errors
    assert "error: [markup]" in result.stdout
    assert not (ws / "dist" / "vorkuta-uprising" / "lt" / "leaflet.html").exists()
    html = render_unchecked(ws, "leaflet", ("lt",))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=http://evil/x&gt;" in html
    assert not re.search(r"<\s*script", html, re.I)
    assert not re.search(r"<\s*img", html, re.I)
    assert "<title>&lt;script&gt;" in html              # the <title> too
    if HAVE_PDFTOTEXT:
        from memorial_kit.printing import html_to_pdf
        pdf = ws / "leaflet.pdf"
        pdf.write_bytes(html_to_pdf(html, ws / "templates", "leaflet").pdf)
        text = pdf_text(pdf)
        assert SCRIPT in text
        assert re.sub(r"\s", "", IMG) in text


def test_markup_in_a_label_caption_is_never_printed_and_would_be_text(ws):
    from memorial_kit.manifest import load_memorial
    memorial = load_memorial(ws / "seeds" / "vorkuta-uprising", ws)
    label = next(label for label in memorial.labels
                 if label.text and "{" in label.text)
    placeholders = re.findall(r"\{[A-Za-z_]\w*\}", label.text)
    translate(ws, "lt", {(f"label: {label.id}, text", label.text):
                         f"{SCRIPT} {IMG} " + " ".join(placeholders)})
    result = run_kit(ws, "build", "--locale", "lt", "--format", "html", "--product", "labels")
    assert result.returncode == 1 and "error: [markup]" in result.stdout, result.stdout
    assert not (ws / "dist" / "vorkuta-uprising" / "labels" / "lt-en.html").exists()
    html = render_unchecked(ws, "labels", ("lt", "en"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=http://evil/x&gt;" in html
    assert not re.search(r"<\s*(script|img)", html, re.I)


# ---------------------------------------------------- nothing is fetched ---

class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 - the stdlib's name
        type(self).requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server():
    _Recorder.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.requests
    server.shutdown()
    server.server_close()


def test_a_template_cannot_make_the_build_fetch_anything(ws, http_server):
    base, requests = http_server
    apply_case(ws, "template/external-urls")
    leaflet = ws / "templates" / "leaflet.html.j2"
    text = leaflet.read_text("utf-8")
    local = f"{base}/spy.css"
    leaflet.write_text(text.replace(
        '<h1>', f'<link rel="stylesheet" href="{local}">\n<img src="{base}/spy.png">\n<h1>', 1),
        "utf-8")
    outside = ws.parent / "outside.css"          # where ../../outside.css leads
    outside.write_text("body { color: red }", "utf-8")
    result = run_kit(ws, "build", "--locale", "lt", "--format", "pdf", "--product", "leaflet")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    failed = [line for line in result.stdout.splitlines() if line.startswith("failed")]
    assert len(failed) == 1 and "refused to fetch" in failed[0], output
    for url in ("http://example.com/x.css", "file:///etc/passwd", "outside.css", local,
                f"{base}/spy.png"):
        assert url in failed[0], url
    assert requests == []
    assert not (ws / "dist" / "vorkuta-uprising" / "lt" / "leaflet.pdf").exists()


@pytest.fixture
def fetcher(tmp_path):
    from memorial_kit.printing import TemplatesOnlyFetcher
    templates = tmp_path / "templates"
    (templates / "fonts").mkdir(parents=True)
    (templates / "print.css").write_text("p { color: black }", "utf-8")
    (templates / "fonts" / "Serif.ttf").write_bytes(b"\0\1\0\0font")
    (tmp_path / "outside.css").write_text("p { color: red }", "utf-8")
    (templates / "escape.css").symlink_to(tmp_path / "outside.css")
    return TemplatesOnlyFetcher(templates), templates


def test_fetcher_serves_files_inside_templates(fetcher):
    fetch, templates = fetcher
    response = fetch.fetch((templates / "print.css").as_uri())
    body = response.read() if hasattr(response, "read") else response.body
    assert body == b"p { color: black }"
    font = fetch.fetch((templates / "fonts" / "Serif.ttf").as_uri())
    assert (font.read() if hasattr(font, "read") else font.body) == b"\0\1\0\0font"
    assert fetch.refused == []


@pytest.mark.parametrize("url", [
    "http://example.com/x.css",
    "https://example.com/x.css",
    "ftp://example.com/x.css",
    "file:///etc/passwd",
    "file://localhost/etc/passwd",
    "data:text/css,body%7Bcolor:red%7D",
    "data:text/css;base64,Ym9keXtjb2xvcjpyZWR9",
    "data:image/png;base64,iVBORw0KGgo=",
    "javascript:alert(1)",
    "//example.com/x.css",
])
def test_fetcher_refuses_anything_else(fetcher, url):
    fetch, _ = fetcher
    with pytest.raises(ValueError, match="fetches only files inside"):
        fetch.fetch(url)
    assert fetch.refused == [url]


@pytest.mark.parametrize("relative", [
    "../outside.css",
    "fonts/../../outside.css",
    "%2e%2e/outside.css",
    "fonts/%2E%2E/%2E%2E/outside.css",
    "escape.css",                        # a symlink out of templates/
    "fonts",                             # a folder
    "missing.css",
])
def test_fetcher_refuses_paths_that_leave_templates(fetcher, relative):
    fetch, templates = fetcher
    url = templates.as_uri() + "/" + relative
    with pytest.raises(ValueError, match="fetches only files inside"):
        fetch.fetch(url)
    assert fetch.refused == [url]


def test_fetcher_refuses_other_hosts_naming_templates(fetcher):
    fetch, templates = fetcher
    url = "file://evil.example" + str(templates / "print.css")
    with pytest.raises(ValueError, match="fetches only files inside"):
        fetch.fetch(url)
    assert fetch.refused == [url]


# ------------------------------------------------- names are not paths ---

@pytest.mark.parametrize("command", [
    ("build", "--locale", "../../x", "--format", "html"),
    ("build", "--locale", "lt/../../../x", "--format", "html"),
    ("build", "--memorial", "../x", "--format", "html"),
    ("build", "--memorial", "/etc", "--format", "html"),
    ("extract", "--memorial", "../x"),
    ("init", "../../x"),
    ("init", "lt/../../x"),
    ("update", "../../x"),
    ("compile", "../../x"),
    ("stats", "../../x"),
])
def test_names_that_are_paths_are_refused(ws, command):
    (ws.parent / "x").mkdir()
    before = snapshot(ws)
    outside = snapshot(ws.parent / "x")
    result = run_kit(ws, *command)
    assert result.returncode == 2, result.stdout + result.stderr
    assert re.match(r"^error: '[^']*' is not a (locale code the kit knows|memorial name)",
                    result.stderr), result.stderr
    assert "  hint: " in result.stderr
    assert snapshot(ws) == before
    assert snapshot(ws.parent / "x") == outside


# ------------------------------------------- Plural-Forms is never run ---

LT_RULE = ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "
           "(n%100<10 || n%100>=20) ? 1 : 2);")


def test_plural_forms_are_parsed_without_eval(monkeypatch):
    from memorial_kit.catalogs import validate_plurals
    from memorial_kit.plurals import parse_plural_forms
    from memorial_kit.po import read_po

    calls = []

    def forbidden(name):
        def refuse(*args, **kwargs):
            calls.append(name)
            raise AssertionError(f"{name}() was called on {args[:1]!r}")
        return refuse

    hostile = (DATA / "po" / "plural-forms-hostile.po").read_bytes()
    good = (DATA / "tolerated" / "good-bom-crlf.po").read_bytes()
    for name in ("eval", "exec", "compile"):
        monkeypatch.setattr(builtins, name, forbidden(name))

    forms = parse_plural_forms(LT_RULE)
    assert [forms(n) for n in (0, 1, 2, 5, 11, 21, 22, 111, 1001)] == [2, 0, 1, 1, 2, 0, 1, 2, 0]
    catalog = read_po(good, "good.po")
    assert validate_plurals(catalog, "lt").nplurals == 3
    with pytest.raises(CatalogError, match="unknown identifier '__import__'"):
        validate_plurals(read_po(hostile, "hostile.po"), "lt")
    for expression in ('__import__("os").system("true")', "n.__class__", "lambda: 1",
                       "[n for n in ()]", "open('/etc/passwd')", "n if n else 0",
                       "n ** 999999999", "1e9", "0x10", "n; import os"):
        with pytest.raises(CatalogError):
            parse_plural_forms(f"nplurals=2; plural={expression};")
    assert calls == []


# ----------------------------------------------- placeholders do not leak ---

@pytest.mark.parametrize("text", [
    "{strikers.__class__}",
    "{strikers.__class__.__mro__}",
    "{strikers[0]}",
    "{strikers!r}",
    "{strikers:>99999999}",
    "{0}",
    "{}",
    "{__class__}",
    "{strikers",
    "strikers}",
])
def test_placeholders_reach_no_attribute(text):
    from memorial_kit.language import fill_placeholders
    with pytest.raises(RenderError):
        fill_placeholders(f"{text} went on strike", {"strikers": "18,000"})


def test_placeholders_fill_escaped_values():
    from memorial_kit.language import fill_placeholders
    out = fill_placeholders("<b>{strikers}</b> {{literal}}", {"strikers": "<i>18,000</i>"})
    # the value is escaped, and isolated (bidi) in <bdi>: the kit's own markup
    assert str(out) == "&lt;b&gt;<bdi>&lt;i&gt;18,000&lt;/i&gt;</bdi>&lt;/b&gt; {literal}"


def test_a_translated_caption_cannot_reach_attributes(ws):
    from memorial_kit.manifest import load_memorial
    memorial = load_memorial(ws / "seeds" / "vorkuta-uprising", ws)
    label = next(label for label in memorial.labels if "{strikers}" in label.text)
    translate(ws, "lt", {(f"label: {label.id}, text", label.text):
                         label.text.replace("{strikers}", "{strikers.__class__.__mro__}")})
    result = run_kit(ws, "build", "--locale", "lt", "--format", "html", "--product", "labels")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "error: [format-brace]" in result.stdout and "stray brace" in result.stdout
    assert "internal error" not in result.stdout
    with pytest.raises(RenderError, match="stray brace"):    # and the renderer refuses it
        render_unchecked(ws, "labels", ("lt", "en"))
    assert not (ws / "dist" / "vorkuta-uprising" / "labels" / "lt-en.html").exists()
    for path in (ws / "dist").rglob("*.html"):
        assert "<class" not in path.read_text("utf-8") and "__mro__" not in path.read_text("utf-8")


# ------------------------ %-directives in template-domain translations ---

@pytest.mark.parametrize("translation", ["Aukų %(nope)s atminimui", "Aukų %s %s atminimui",
                                         "Aukų atminimui 100%"])
def test_a_translation_with_an_unknown_directive_fails_as_a_kit_error(ws, translation):
    translate(ws, "lt", {(None, "In memory of the victims"): translation})
    result = run_kit(ws, "build", "--locale", "lt", "--format", "html", "--product", "leaflet")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "error: [format-python]" in result.stdout and "internal error" not in result.stdout
    with pytest.raises(RenderError, match="In memory of the victims"):  # the renderer's own
        render_unchecked(ws, "leaflet", ("lt",))


def test_a_translation_cannot_pad_the_page_to_megabytes(ws):
    """'%(page)2000000s' would pad the page to 2 MB ('%(num)999999999s' to 1 GB)."""
    translate(ws, "lt", {
        (None, "Page %(page)s of %(pages)s"): "Puslapis %(page)2000000s iš %(pages)s"})
    result = run_kit(ws, "build", "--locale", "lt", "--format", "html", "--product", "leaflet")
    html = ws / "dist" / "vorkuta-uprising" / "lt" / "leaflet.html"
    assert result.returncode == 1 and not html.exists(), result.stdout
