"""The web edition, read as a browser, a screen reader and a phone's QR reader would.

The edition is built once, from a copy of the workspace whose manifest names an online
address (the shipped manifest names none, so it prints no QR code).  The browser tests
drive Debian's headless Chromium over the Chrome DevTools Protocol, against the built
dist/ served on 127.0.0.1 with every other host unresolvable; the accessibility audit
injects axe-core from the npm registry.  Each of these skips, saying why, when its tool
cannot be had.
"""
from __future__ import annotations

import base64
import contextlib
import functools
import http.server
import json
import os
import shutil
import struct
import subprocess
import threading
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

from memorial_kit import previews, printing, render
from memorial_kit.language import make_lang
from memorial_kit.jobs import _languages, Job
from memorial_kit.errors import RenderError
from memorial_kit.workspace import Workspace

from conftest import copy_workspace, run_kit

SLUG = "vorkuta-uprising"
# A domain reserved for examples: the test needs an address, not a site.
BASE_URL = "https://memorials.example.org"
PAGES = [f"{SLUG}/ru/leaflet.html", f"{SLUG}/en/plaque.html", f"{SLUG}/labels/ru-en.html",
         "index.html"]


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    """dist/ of a full build whose manifest names the online edition's address."""
    ws = copy_workspace(tmp_path_factory.mktemp("web") / "ws")
    manifest = ws / "seeds" / SLUG / "memorial.toml"
    text = manifest.read_text("utf-8")
    assert "online_base_url" not in text
    manifest.write_text(text.replace('article = "article.txt"\n',
                                     f'article = "article.txt"\nonline_base_url = "{BASE_URL}"\n', 1),
                        "utf-8")
    result = run_kit(ws, "build", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    return ws / "dist"


# --------------------------------------------------------------------------
# The pages as markup
# --------------------------------------------------------------------------
class Page(HTMLParser):
    """What a page says about its structure: language, headings, landmarks, links."""

    def __init__(self, text: str):
        super().__init__()
        self.lang = None
        self.headings: list[int] = []
        self.mains = 0
        self.alternates: list[dict] = []
        self.switcher: list[dict] = []
        self.images: list[dict] = []
        self.svgs: list[dict] = []
        self.links: list[dict] = []
        self._in_switcher = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.headings.append(int(tag[1]))
        elif tag == "main":
            self.mains += 1
        elif tag == "link" and a.get("rel") == "alternate":
            self.alternates.append(a)
        elif tag == "nav" and "switcher" in a.get("class", "").split():
            self._in_switcher = True
        elif tag == "a":
            (self.switcher if self._in_switcher else self.links).append(a)
        elif tag == "img":
            self.images.append(a)
        elif tag == "svg":
            self.svgs.append(a)

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_switcher = False


def page(dist: Path, rel: str) -> Page:
    return Page((dist / rel).read_text("utf-8"))


def test_switcher_links_the_same_product_in_every_built_language(edition):
    leaflet = page(edition, f"{SLUG}/ru/leaflet.html")
    # The Latin leaflet is not built (its messages are not translated): no link to it.
    assert [a["href"] for a in leaflet.switcher] == ["../en/leaflet.html", "../lt/leaflet.html",
                                                     "../ru/leaflet.html"]
    assert [a.get("aria-current") for a in leaflet.switcher] == [None, None, "page"]
    assert all(a["hreflang"] == a["lang"] for a in leaflet.switcher)
    assert [(a["hreflang"], a["href"]) for a in leaflet.alternates] == [
        (a["hreflang"], a["href"]) for a in leaflet.switcher]
    plaque = page(edition, f"{SLUG}/la/plaque.html")
    assert [a["hreflang"] for a in plaque.switcher] == ["en", "lt", "ru", "la"]
    assert plaque.lang == "la" and plaque.switcher[-1]["aria-current"] == "page"
    labels = page(edition, f"{SLUG}/labels/lt-en.html")
    assert [(a["href"], a["hreflang"], a.get("aria-current")) for a in labels.switcher] == [
        ("ru-en.html", "ru", None), ("lt-en.html", "lt", "page")]
    # Every switcher and alternate link, on every page, leads to a page that was built.
    for html in edition.rglob("*.html"):
        found = page(edition, str(html.relative_to(edition)))
        for link in found.switcher + found.alternates:
            assert (html.parent / link["href"]).resolve().is_file(), (html, link)


def test_pages_are_structured_for_assistive_technology(edition):
    pages = sorted(edition.rglob("*.html"))
    assert len(pages) == 10
    for html in pages:
        found = page(edition, str(html.relative_to(edition)))
        where = html.relative_to(edition)
        assert found.lang, where
        assert found.headings[0] == 1 and found.headings.count(1) == 1, (where, found.headings)
        steps = zip(found.headings, found.headings[1:])
        assert all(b <= a + 1 for a, b in steps), (where, found.headings)   # no level skipped
        assert found.mains == 1, where
        assert all(img.get("alt") for img in found.images), where
        for svg in found.svgs:     # the QR codes; the labels' crop marks are hidden from readers
            if svg.get("class") == "crop":
                assert svg.get("aria-hidden") == "true" and "role" not in svg, where
                continue
            assert svg.get("role") == "img" and svg.get("aria-label", "").startswith(BASE_URL)
    index = (edition / "index.html").read_text("utf-8")
    assert f'href="{SLUG}/ru/leaflet.html" hreflang="ru"' in index


# --------------------------------------------------------------------------
# The QR code, decoded from the printed page
# --------------------------------------------------------------------------
def zbarimg(png: bytes, tmp_path: Path) -> list[str]:
    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg is not installed (Debian package zbar-tools): cannot decode QR codes")
    image = tmp_path / "page.png"
    image.write_bytes(png)
    result = subprocess.run(["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True)
    return result.stdout.split()


def test_leaflet_qr_code_reads_as_the_online_leaflet(edition, tmp_path):
    pdf = (edition / SLUG / "lt" / "leaflet.pdf").read_bytes()
    last = printing.page_count(pdf) - 1
    assert zbarimg(previews.pdf_to_png(pdf, page=last, width_px=1600), tmp_path) == [
        f"{BASE_URL}/{SLUG}/lt/leaflet.html"]
    assert zbarimg(previews.pdf_to_png(pdf, page=0, width_px=1600), tmp_path) == []  # last page only


def test_every_label_card_has_a_qr_code_of_its_primary_language(edition, tmp_path):
    pdf = (edition / SLUG / "labels" / "ru-en.pdf").read_bytes()
    codes = zbarimg(previews.pdf_to_png(pdf, page=0, width_px=3200), tmp_path)
    html = (edition / SLUG / "labels" / "ru-en.html").read_text("utf-8")
    assert len(codes) == 4 == html.count('<article class="card"', 0, html.index('</section>'))
    assert set(codes) == {f"{BASE_URL}/{SLUG}/ru/leaflet.html"}


@pytest.fixture
def shipped(tmp_path):
    ws = Workspace(copy_workspace(tmp_path / "ws"))
    return ws, ws.memorial(SLUG)


def test_without_an_address_nothing_online_is_printed_and_the_switcher_never_is(shipped):
    """The shipped manifest names no address: no QR code.  And the switcher (hidden in
    print media) leaves the PDF byte for byte as it was without it."""
    ws, memorial = shipped
    assert memorial.online_base_url is None
    job = Job(SLUG, "leaflet", ("ru",))
    langs = {code: make_lang(ws, memorial, code) for code in _languages(memorial, job)}
    carved = {code: langs[code] for code in memorial.monuments[0].carved_languages}
    renderer = render.Renderer(ws.templates)
    alternates = render.edition_links(memorial, "leaflet", ("ru",), [("en",), ("lt",), ("ru",)])
    plain = renderer.render("leaflet.html.j2", render.leaflet_context(memorial, langs["ru"], carved))
    web = renderer.render("leaflet.html.j2", render.leaflet_context(memorial, langs["ru"], carved,
                                                                    alternates=alternates))
    assert '<nav class="switcher">' in web and '<nav class="switcher">' not in plain
    assert "<svg" not in web and 'class="qr-link"' not in web
    assert (printing.html_to_pdf(web, ws.templates, "web").pdf
            == printing.html_to_pdf(plain, ws.templates, "plain").pdf)


def test_online_address_must_be_a_web_address(shipped):
    import dataclasses
    _, memorial = shipped
    for bad in ("ftp://memorials.example.org", "memorials.example.org", "https://x.org/?a=1"):
        with pytest.raises(RenderError, match="not a web address"):
            render.online_url(dataclasses.replace(memorial, online_base_url=bad), "ru")
    good = dataclasses.replace(memorial, online_base_url="https://x.org/editions/")
    assert render.online_url(good, "lt") == f"https://x.org/editions/{SLUG}/lt/leaflet.html"
    qr = render.qr_svg('https://x.org/"><script>')
    assert "<script>" not in qr and 'aria-label="https://x.org/&#34;&gt;&lt;script&gt;"' in qr


# --------------------------------------------------------------------------
# A real browser: headless Chromium over the DevTools Protocol
# --------------------------------------------------------------------------
class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Browser:
    """One Chromium tab, driven over CDP; every event is kept for the test to read."""

    def __init__(self, ws_url: str):
        import websocket
        self.socket = websocket.create_connection(ws_url, timeout=30, suppress_origin=True)
        self.events: list[dict] = []
        self._id = 0
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.send(f"{domain}.enable")

    def _receive(self) -> dict:
        message = json.loads(self.socket.recv())
        if "id" not in message:
            self.events.append(message)
        return message

    def send(self, method: str, **params):
        self._id += 1
        ident = self._id
        self.socket.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = self._receive()
            if message.get("id") == ident:
                if "error" in message:
                    raise AssertionError(f"{method}: {message['error']}")
                return message.get("result", {})

    def wait_for(self, method: str, start: int, timeout: float = 20) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for event in self.events[start:]:
                if event.get("method") == method:
                    return event
            if time.monotonic() > deadline:
                raise AssertionError(f"no {method} within {timeout} s")
            self._receive()

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True,
                           awaitPromise=True)
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression[:80]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def load(self, url: str) -> int:
        """Open ``url``, wait for it and its fonts; the index of its first event."""
        start = len(self.events)
        self.send("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired", start)
        self.evaluate("document.fonts.ready.then(() => document.fonts.size)")
        return start

    def viewport(self, width: int, height: int, mobile: bool):
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height,
                  deviceScaleFactor=1, mobile=mobile)

    def problems(self, start: int, root: str) -> list[str]:
        """Console errors, uncaught exceptions, failed loads and requests outside ``root``."""
        found = []
        for event in self.events[start:]:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
                found.append(f"console.{params['type']}: {params['args']}")
            elif method == "Runtime.exceptionThrown":
                found.append(f"exception: {params['exceptionDetails']}")
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                found.append(f"log: {params['entry']['text']} {params['entry'].get('url', '')}")
            elif method == "Network.requestWillBeSent":
                url = params["request"]["url"]
                if not (url.startswith(root) or url.startswith("data:")):
                    found.append(f"request outside dist/: {url}")
            elif method == "Network.responseReceived" and params["response"]["status"] >= 400:
                found.append(f"{params['response']['status']}: {params['response']['url']}")
            elif method == "Network.loadingFailed":
                found.append(f"failed: {params.get('errorText')}")
        return found


@pytest.fixture(scope="module")
def browser(edition, tmp_path_factory):
    with chromium_tab(edition, tmp_path_factory.mktemp("chromium")) as tab:
        yield tab


@contextlib.contextmanager
def chromium_tab(directory: Path, profile: Path):
    """A headless Chromium tab on ``directory``, served on the loopback; skips the test
    where Chromium or websocket-client is missing."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Chromium is not installed (Debian package chromium): no browser tests")
    pytest.importorskip("websocket", reason="websocket-client is not installed (pip install -e '.[test]')")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    process = subprocess.Popen(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
         # No host but this machine's loopback resolves: the pages cannot reach out.
         "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
         f"--user-data-dir={profile}", "--remote-debugging-address=127.0.0.1",
         "--remote-debugging-port=0", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    tab = None
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().strip()):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.skip(f"Chromium did not start (exit code {process.poll()})")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
            targets = json.load(response)
        page_target = next(t for t in targets if t["type"] == "page")
        tab = Browser(page_target["webSocketDebuggerUrl"])
        tab.root = f"http://127.0.0.1:{server.server_address[1]}/"
        yield tab
    finally:
        if tab is not None:
            tab.socket.close()
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait(10)
        server.shutdown()
        server.server_close()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_pages_load_offline_without_errors(browser):
    for rel in PAGES:
        for width, mobile in ((360, True), (1280, False)):
            browser.viewport(width, 800, mobile)
            start = browser.load(browser.root + rel)
            assert browser.problems(start, browser.root) == [], (rel, width)
            assert browser.evaluate("document.fonts.check('16px \"DejaVu Serif\"')"), rel
            loaded = browser.evaluate("[...document.fonts].filter(f => f.status == 'loaded').length")
            assert loaded >= 1, rel


def test_language_switcher_leads_to_the_other_language(browser):
    browser.viewport(360, 800, True)
    browser.load(browser.root + f"{SLUG}/ru/leaflet.html")
    assert browser.evaluate("document.documentElement.lang") == "ru"
    start = len(browser.events)
    browser.evaluate("document.querySelector('nav.switcher a[hreflang=\"lt\"]').click()")
    browser.wait_for("Page.loadEventFired", start)
    assert browser.evaluate("document.documentElement.lang") == "lt"
    assert browser.evaluate("location.pathname") == f"/{SLUG}/lt/leaflet.html"
    assert browser.evaluate("document.querySelector('[aria-current=page]').hreflang") == "lt"
    assert browser.problems(start, browser.root) == []


def test_pages_fit_the_window_from_phone_to_desktop(browser, tmp_path):
    """No sideways scrolling at 360, 1024 or 1280 px; labels and plaque shrink to fit;
    screenshots of a phone's and a desktop's view."""
    keep = os.environ.get("MEMORIAL_KIT_SCREENSHOTS")     # a folder to keep them in, to look at
    for rel in PAGES[:3]:
        for width, height, mobile in ((360, 740, True), (1024, 768, False), (1280, 800, False)):
            browser.viewport(width, height, mobile)
            browser.load(browser.root + rel)
            assert browser.evaluate("document.documentElement.scrollWidth") <= width, (rel, width)
            shot = base64.b64decode(browser.send("Page.captureScreenshot", format="png")["data"])
            assert png_size(shot) == (width, height)
            name = f"{rel.replace('/', '_')[:-5]}-{width}.png"
            (tmp_path / name).write_bytes(shot)
            if keep:
                Path(keep).mkdir(parents=True, exist_ok=True)
                (Path(keep) / name).write_bytes(shot)
    browser.viewport(1280, 800, False)
    browser.load(browser.root + f"{SLUG}/labels/ru-en.html")
    # A wide window shows the printed sheet (crop marks and all); a phone, the cards alone.
    assert browser.evaluate("getComputedStyle(document.querySelector('.crop')).display") == "block"
    browser.viewport(360, 740, True)
    browser.load(browser.root + f"{SLUG}/labels/ru-en.html")
    assert browser.evaluate("getComputedStyle(document.querySelector('.crop')).display") == "none"
    assert browser.evaluate("parseFloat(getComputedStyle(document.querySelector('.side p')).fontSize)") >= 14


def test_browser_print_hides_the_switcher_and_keeps_the_page_setup(browser):
    browser.viewport(1280, 800, False)
    browser.load(browser.root + f"{SLUG}/ru/leaflet.html")
    browser.send("Emulation.setEmulatedMedia", media="print")
    try:
        assert browser.evaluate("getComputedStyle(document.querySelector('nav.switcher')).display") == "none"
        pdf = base64.b64decode(browser.send("Page.printToPDF", preferCSSPageSize=True)["data"])
    finally:
        browser.send("Emulation.setEmulatedMedia", media="")
    import pypdfium2
    document = pypdfium2.PdfDocument(pdf)
    try:
        width_mm = document[0].get_width() * 25.4 / 72
        height_mm = document[0].get_height() * 25.4 / 72
    finally:
        document.close()
    assert (round(width_mm), round(height_mm)) == (148, 210)           # the A5 of @page


@pytest.fixture(scope="module")
def axe_source(tmp_path_factory) -> str:
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed: no axe-core accessibility audit")
    folder = tmp_path_factory.mktemp("axe")
    try:
        result = subprocess.run([npm, "install", "--no-save", "--no-audit", "--no-fund",
                                 "--prefix", str(folder), "axe-core@4"],
                                capture_output=True, text=True, timeout=180)
    except subprocess.TimeoutExpired:
        pytest.skip("npm install axe-core timed out: the npm registry is unreachable")
    script = folder / "node_modules" / "axe-core" / "axe.min.js"
    if result.returncode != 0 or not script.exists():
        pytest.skip(f"npm install axe-core failed: {result.stderr.strip()[-300:]}")
    return script.read_text("utf-8")


def test_axe_core_finds_no_serious_or_critical_violations(browser, axe_source):
    report = {}
    for rel in PAGES:
        for width, mobile in ((360, True), (1280, False)):
            browser.viewport(width, 800, mobile)
            browser.load(browser.root + rel)
            browser.evaluate(axe_source + "\n;true")
            found = browser.evaluate("""
                axe.run(document, {resultTypes: ['violations']}).then(r => ({
                  version: axe.version,
                  violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                                      nodes: v.nodes.map(n => n.target.join(' '))}))}))""")
            report[f"{rel} @ {width}px"] = found["violations"]
    print(f"axe-core {found['version']}:", json.dumps(report, indent=1, ensure_ascii=False))
    serious = {page: [v for v in found if v["impact"] in ("serious", "critical")]
               for page, found in report.items()}
    assert all(not v for v in serious.values()), json.dumps(serious, indent=1, ensure_ascii=False)
