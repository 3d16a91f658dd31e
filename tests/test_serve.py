"""``memorial-kit serve`` as a translator meets it: a real server process on a free port,
real edits of real catalogs, and headless Chromium watching a page update itself."""
from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from memorial_kit import cli, serve
from conftest import as_from_a_terminal, copy_workspace

SLUG = "vorkuta-uprising"
LEAFLET = f"{SLUG}/lt/leaflet.html"
PO = Path("locales/lt/LC_MESSAGES/vorkuta-uprising.po")


class Served:
    """A ``memorial-kit serve`` process of its own session (as a terminal would start it)."""

    def __init__(self, ws: Path, *args: str):
        self.ws = ws
        self.process = subprocess.Popen(
            [sys.executable, "-m", "memorial_kit", "--root", str(ws), "serve", "--port", "0",
             *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            start_new_session=True, preexec_fn=as_from_a_terminal)
        line = self.process.stdout.readline()
        found = re.match(r"serving (http://127\.0\.0\.1:(\d+)/) \(Ctrl-C to stop\)$", line.strip())
        if found is None:
            self.process.kill()
            raise AssertionError(f"serve did not start: {line!r} {self.process.stderr.read()}")
        self.url, self.port = found.group(1), int(found.group(2))
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_line(self, pattern: str, after: int = 0, limit: float = 120) -> int:
        """The index of the first line from ``after`` on that matches ``pattern``."""
        deadline = time.monotonic() + limit
        while True:
            for index in range(after, len(self.lines)):
                if re.search(pattern, self.lines[index]):
                    return index
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError(f"no line {pattern!r} in {self.lines}")
            time.sleep(0.1)

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=20) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, ""

    def raw(self, method: str, path: str) -> tuple[int, bytes]:
        """A request sent as written: no client tidies ``..`` away."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        connection.putrequest(method, path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, body

    def wait_for(self, path: str, *texts: str, limit: float = 90) -> str:
        """The page once it holds every one of ``texts`` (a limit, not a measurement)."""
        deadline = time.monotonic() + limit
        while True:
            status, body = self.get(path)
            if status == 200 and all(t in body for t in texts):
                return body
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError(f"{path} never showed {texts}: status {status}\n{body[-3000:]}")
            time.sleep(0.1)

    def stop(self) -> tuple[int, str, str]:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)      # what Ctrl-C in a terminal does
        self.process.wait(30)
        self.reader.join(10)
        return self.process.returncode, "\n".join(self.lines), self.process.stderr.read()


def edit(ws: Path, old: str, new: str) -> int:
    """Replace a msgstr line of the Lithuanian catalog; the line number of the msgid."""
    po = ws / PO
    lines = po.read_text("utf-8").splitlines(keepends=True)
    at = lines.index(f'msgstr "{old}"\n')
    lines[at] = f'msgstr "{new}"\n'
    po.write_text("".join(lines), "utf-8")
    return at                           # 1-based line of the msgid just above it


def page_text(html: str) -> str:
    """A served page without what serve adds to it."""
    return html.split('<aside id="mk-serve"')[0]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    ws = copy_workspace(tmp_path_factory.mktemp("serve") / "ws")
    server = Served(ws, "--locale", "lt", "--format", "html,pdf")
    yield server
    if server.process.poll() is None:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait()


def test_index_and_a_leaflet_are_served_with_findings_beside_them(served):
    status, index = served.get("")
    assert status == 200 and LEAFLET in index and 'id="mk-serve"' in index
    leaflet = served.wait_for(LEAFLET, "Vorkutos sukilimas", "[coverage]")
    assert "Findings (lt): 0 errors" in leaflet
    assert "locales/lt/LC_MESSAGES/vorkuta-uprising.po" in leaflet
    # the passages' map: the Lithuanian entries with their msgctxt, msgid and .po line
    assert '"i": "Vorkuta uprising", "s": ["Vorkutos sukilimas"], ' \
           '"f": "locales/lt/LC_MESSAGES/vorkuta-uprising.po"' in leaflet
    # the files in dist/ are build's own: no panel, no script
    for page in ("index.html", LEAFLET):
        written = (served.ws / "dist" / page).read_text("utf-8")
        assert "mk-serve" not in written and "EventSource" not in written


def test_an_edit_is_served_without_a_command_and_only_its_product_is_rebuilt(served):
    dist = served.ws / "dist" / SLUG / "lt"
    served.wait_line(r"^pdf: done")                # the first PDFs, after the HTML
    before = {p.name: p.stat().st_mtime_ns for p in dist.iterdir()}
    seen = len(served.lines)
    line = edit(served.ws, "Sukilimas", "Sukilimas  prasideda")
    body = served.wait_for(LEAFLET, "Sukilimas  prasideda", "[double-space]",
                           f"locales/lt/LC_MESSAGES/vorkuta-uprising.po:{line}")
    assert 'msgid &#34;Uprising&#34;' in body            # the finding names its entry
    built = served.lines[served.wait_line(r"^html: ", seen)]
    assert built.startswith("html: 1 page(s) changed")
    served.wait_line(r"^pdf: done", seen)
    after = {p.name: p.stat().st_mtime_ns for p in dist.iterdir()}
    assert after["leaflet.pdf"] != before["leaflet.pdf"]
    # the plaque does not print the article: its PDF was not made again
    assert after["plaque.pdf"] == before["plaque.pdf"]
    edit(served.ws, "Sukilimas  prasideda", "Sukilimas")


def test_a_half_saved_catalog_shows_its_error_and_the_last_good_page(served):
    po = served.ws / PO
    good = po.read_text("utf-8")
    served.wait_for(LEAFLET, ">Sukilimas<")
    lines = good.splitlines(keepends=True)
    at = lines.index('msgstr "Sukilimas"\n')
    # an editor caught mid-save: the file ends inside a string
    po.write_text("".join(lines[:at]) + 'msgstr "Sukilimas be pabaig', "utf-8")
    body = served.wait_for(LEAFLET, "The last edit cannot be built",
                           "locales/lt/LC_MESSAGES/vorkuta-uprising.po:")
    assert ">Sukilimas<" in page_text(body) and "Sukilimas be pabaig" not in body
    shown = re.search(r"<pre>(locales/lt/LC_MESSAGES/vorkuta-uprising\.po:\d+): ", body)
    assert shown, body[-2000:]
    po.write_text(good, "utf-8")                     # the save completes
    deadline = time.monotonic() + 60
    while "The last edit cannot be built" in served.get(LEAFLET)[1]:
        assert time.monotonic() < deadline, "the error stayed after the catalog was whole again"
        time.sleep(0.1)


def test_a_half_saved_manifest_shows_its_error_beside_every_page(served):
    manifest = served.ws / "seeds" / SLUG / "memorial.toml"
    good = manifest.read_text("utf-8")
    manifest.write_text(good[:len(good) // 2] + '\n[broken\n', "utf-8")
    for page in (LEAFLET, "index.html", f"{SLUG}/labels/lt-en.html"):
        body = served.wait_for(page, "The last edit cannot be built",
                               f"seeds/{SLUG}/memorial.toml:")
        assert "Vorkutos sukilimas" in page_text(body) or page == "index.html"
    manifest.write_text(good, "utf-8")
    deadline = time.monotonic() + 60
    while "The last edit cannot be built" in served.get(LEAFLET)[1]:
        assert time.monotonic() < deadline, "the error stayed after the manifest was whole again"
        time.sleep(0.1)


@pytest.mark.parametrize("path", ["/../seeds/vorkuta-uprising/memorial.toml",
                                  "/vorkuta-uprising/../../seeds/vorkuta-uprising/memorial.toml",
                                  "/%2e%2e/seeds/vorkuta-uprising/memorial.toml",
                                  "/%2E%2E%2Fseeds%2Fvorkuta-uprising%2Fmemorial.toml",
                                  "/vorkuta-uprising/%2e%2e%2f%2e%2e%2fseeds/vorkuta-uprising/memorial.toml",
                                  "/..%5cseeds%5cvorkuta-uprising%5cmemorial.toml",
                                  "/index.html%00.png"])
def test_no_path_leads_out_of_the_served_folder(served, path):
    status, body = served.raw("GET", path)
    assert status in (403, 404) and b"[memorial]" not in body


def test_a_symbolic_link_out_of_the_served_folder_is_refused(served, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the web", "utf-8")
    dist = served.ws / "dist"
    (dist / "outside.txt").symlink_to(secret)
    (dist / "outside-folder").symlink_to(tmp_path, target_is_directory=True)
    try:
        for path in ("/outside.txt", "/outside-folder/secret.txt"):
            status, body = served.raw("GET", path)
            assert status == 403 and b"not for the web" not in body
    finally:
        (dist / "outside.txt").unlink()
        (dist / "outside-folder").unlink()


def test_only_get_and_head(served):
    status, body = served.raw("HEAD", "/" + LEAFLET)
    assert status == 200 and body == b""
    for method in ("POST", "PUT", "DELETE"):
        assert served.raw(method, "/" + LEAFLET)[0] == 405


def test_it_listens_on_the_loopback_address_only(served):
    port = f"{served.port:04X}"
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for row in Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            if state == "0A" and local.endswith(":" + port):
                listening.append(local.split(":")[0])
    if not listening:
        pytest.skip("/proc/net/tcp does not list the server's socket here")
    assert listening == ["0100007F"]                  # 127.0.0.1, nothing else


def test_a_page_of_no_known_locale_is_served_without_a_map(served):
    odd = served.ws / "dist" / SLUG / "not a locale!"
    odd.mkdir()
    (odd / "page.html").write_text("<html><body><p>x</p></body></html>", "utf-8")
    try:
        status, body = served.get(f"{SLUG}/not%20a%20locale%21/page.html")
        assert status == 200 and '"entries": []' in body and 'id="mk-serve"' in body
        status, panel = served.get("__memorial-kit__/panel?page=..%2F..%2Fetc%2Fpasswd")
        assert status == 200 and "Findings" in panel
    finally:
        shutil.rmtree(odd)


def test_ctrl_c_stops_it_and_leaves_no_process(served):
    code, out, err = served.stop()
    assert code == 0, err
    assert out.rstrip().endswith("stopped") and "Traceback" not in err
    time.sleep(0.5)
    with pytest.raises(ProcessLookupError):
        os.killpg(served.process.pid, 0)              # nothing of its session is left
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", served.port), timeout=2)


# --------------------------------------------------------------------------
# In-process: the path rules, the command's refusals
# --------------------------------------------------------------------------
def test_resolve_keeps_to_the_root(tmp_path):
    root = tmp_path / "dist"
    (root / "a").mkdir(parents=True)
    (root / "a" / "page.html").write_text("x")
    (root / "index.html").write_text("x")
    (tmp_path / "secret").write_text("x")
    (root / "link").symlink_to(tmp_path / "secret")
    (root / "inside").symlink_to(root / "a" / "page.html")
    real = Path(os.path.realpath(root))
    assert serve.resolve(root, "/") == (200, real / "index.html")
    assert serve.resolve(root, "/a/page.html") == (200, real / "a" / "page.html")
    assert serve.resolve(root, "/a%2Fpage.html") == (200, real / "a" / "page.html")
    assert serve.resolve(root, "/inside") == (200, real / "a" / "page.html")
    assert serve.resolve(root, "/link") == (403, None)
    for path in ("/../secret", "/a/../../secret", "/%2e%2e/secret", "/a/%2E%2E/index.html",
                 "/nothing.html", "/a/", "/%00"):
        assert serve.resolve(root, path)[0] == 404, path


def test_a_busy_port_is_a_clear_error(tmp_path, capsys):
    ws = copy_workspace(tmp_path / "ws")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert cli.main(["--root", str(ws), "serve", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"error: port {port} is in use" in err and "--port 0" in err
    assert not (ws / "dist").exists()


def test_a_locale_not_in_the_manifest_is_refused(tmp_path, capsys):
    ws = copy_workspace(tmp_path / "ws")
    assert cli.main(["--root", str(ws), "serve", "--locale", "de"]) == 2
    err = capsys.readouterr().err
    assert "'de' is not a locale of vorkuta-uprising's manifest" in err
    # the line of locales = [...], as the loaded model knows it
    assert err.startswith("seeds/vorkuta-uprising/memorial.toml:8: error: ")


def test_another_address_than_loopback_is_warned_about():
    import io
    stream = io.StringIO()
    serve.warn_if_exposed("127.0.0.1", stream)
    assert stream.getvalue() == ""
    serve.warn_if_exposed("0.0.0.0", stream)
    assert stream.getvalue().startswith("warning: serving on 0.0.0.0: anyone")


# --------------------------------------------------------------------------
# A real browser sees the page change
# --------------------------------------------------------------------------
@pytest.fixture
def chromium(tmp_path):
    from test_web import Browser
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        pytest.skip("Chromium is not installed (Debian package chromium): no browser tests")
    pytest.importorskip("websocket", reason="websocket-client is not installed")
    profile = tmp_path / "profile"
    process = subprocess.Popen(
        [binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
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
        import json
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
            target = next(t for t in json.load(response) if t["type"] == "page")
        tab = Browser(target["webSocketDebuggerUrl"])
        yield tab
    finally:
        if tab is not None:
            tab.socket.close()
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def test_a_browser_sees_the_page_update_and_a_clicked_passage_named(tmp_path, chromium):
    ws = copy_workspace(tmp_path / "ws")
    server = Served(ws, "--locale", "lt", "--format", "html")
    try:
        start = chromium.load(server.url + LEAFLET)
        text = ("document.body === null ? '' : [...document.body.children].filter(e => e.id !== 'mk-serve')"
                ".map(e => e.innerText).join(' ')")
        assert "Vorkutos sukilimas" in chromium.evaluate(text)
        # a click on the title names its entry: msgctxt, msgid, .po file and line
        line = (ws / PO).read_text("utf-8").splitlines().index('msgid "Vorkuta uprising"') + 1
        chromium.evaluate("document.querySelector('h1').click()")
        shown = chromium.evaluate("document.getElementById('mk-passage').innerText")
        assert "Vorkuta uprising" in shown
        assert f"locales/lt/LC_MESSAGES/vorkuta-uprising.po:{line}" in shown
        assert chromium.evaluate("document.getElementById('mk-passage').hidden") is False
        # the translator saves the catalog; the open page changes by itself
        # (no number the source lacks: check's verdict would hold the leaflet back)
        edit(ws, "Vorkutos sukilimas", "Didysis Vorkutos sukilimas")
        deadline = time.monotonic() + 60
        while "Didysis Vorkutos sukilimas" not in (chromium.evaluate(text) or ""):
            assert time.monotonic() < deadline, "the open page did not update"
            time.sleep(0.2)
        assert "Findings (lt)" in chromium.evaluate("document.getElementById('mk-serve').innerText")
        # no script error, no request outside the server; a reload cancels the old page's
        # event stream, which is no fault
        problems = [p for p in chromium.problems(start, server.url) if "ERR_ABORTED" not in p]
        assert problems == []
    finally:
        code, _, err = server.stop()
    assert code == 0, err


def test_before_anything_is_built_the_root_says_why(tmp_path):
    ws = copy_workspace(tmp_path / "ws")
    po = ws / PO
    po.write_text(po.read_text("utf-8") + '\nmsgid "unterminated\n', "utf-8")
    server = Served(ws, "--locale", "lt", "--format", "html")
    try:
        body = server.wait_for("", "Nothing is built yet", "The last edit cannot be built",
                               "locales/lt/LC_MESSAGES/vorkuta-uprising.po:")
        assert server.get(LEAFLET)[0] == 404
    finally:
        code, _, err = server.stop()
    assert code == 0 and "not rebuilt: locales/lt/LC_MESSAGES/vorkuta-uprising.po:" in err
    assert 'id="mk-serve"' in body

