"""``memorial-kit serve``: the edition on http://127.0.0.1, rebuilt as its sources change.

The main thread builds: once at the start, then for each batch of edits the watcher
(:mod:`memorial_kit.watch`) reports, the HTML of every product first (the build's input
hashes limit it to the products an edit touches), then the checks' findings, then the
PDFs and PNGs.  A newer edit cuts the PDF stage short (what it did not finish is built
next time).  Open pages hear of each rebuild over Server-Sent Events and reload.  A build
that fails (a catalog caught half-saved) leaves dist/ as it was: the pages show the
error beside their last good render.

The HTTP server (the standard library's ThreadingHTTPServer) answers GET and HEAD only,
from files inside the served folder: a path with ``..`` (also encoded), or a symbolic
link leading out of it, is refused.  Only served pages carry the panel and the script
(:mod:`memorial_kit.livepage`); the files in dist/ stay as ``build`` writes them.
"""
from __future__ import annotations

import errno
import hashlib
import http.server
import json
import mimetypes
import os
import queue
import signal
import socket
import socketserver
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from . import livepage
from .errors import MemorialKitError, UsageError
from .watch import Watcher, affected_locales
from .workspace import TEMPLATE_DOMAIN, Workspace

LOOPBACK = "127.0.0.1"
ALL = object()                          # every product served


@dataclass
class ServeOptions:
    host: str = LOOPBACK
    port: int = 8000
    memorial: str | None = None
    locales: list[str] | None = None
    formats: tuple[str, ...] = ("html", "pdf", "png")


class _Superseded(Exception):
    """A newer edit arrived while PDFs were being made: build the HTML of that first."""


# --------------------------------------------------------------------------
# The live edition: builds, findings, errors, and who is listening
# --------------------------------------------------------------------------
class LiveEdition:
    def __init__(self, ws: Workspace, options: ServeOptions, say=lambda text, error=False: None):
        self.ws, self.options, self.say = ws, options, say
        self.root = ws.dist
        self.lock = threading.Lock()
        self.error: str | None = None
        self.failures: dict[str, str] = {}
        self.findings: list | None = None       # None: not checked yet
        self.listeners: list[queue.Queue] = []
        self.pending: "queue.Queue[set[Path]]" = queue.Queue()
        self._entries: dict = {}
        self._entries_lock = threading.Lock()
        self.closing = False
        self.unprinted: set | object = ALL      # (product, locale) whose PDF is not made yet

    # -- building ------------------------------------------------------------
    def _build(self, formats, locales, products=None, stop_for_edits: bool = False) -> list[str]:
        """One build; the pages (paths under dist/) whose bytes it changed."""
        from .build import BuildRequest, run_build

        def progress(line, done, total):
            if stop_for_edits and not self.pending.empty():
                raise _Superseded
        before = self._pages()
        request = BuildRequest(memorial=self.options.memorial, locales=locales,
                               products=products, formats=formats, parallel=False)
        report = run_build(self.ws, request, progress=progress)
        with self.lock:
            for result in report.results:
                self.failures.pop(result.job, None)
            self.failures.update({r.job: r.reason for r in report.results
                                  if r.status == "failed"})
        after = self._pages()
        return sorted(page for page, digest in after.items() if before.get(page) != digest)

    def _pages(self) -> dict[str, bytes]:
        found = {}
        for path in self.root.rglob("*.html"):
            try:
                found[path.relative_to(self.root).as_posix()] = hashlib.sha256(
                    path.read_bytes()).digest()
            except OSError:
                continue
        return found

    def rebuild(self, locales: list[str] | None, catalogs_only: bool = False,
                then=lambda: None) -> None:
        """HTML (pages reload; then ``then()``), findings (panels refresh), PDF and PNG."""
        started = time.monotonic()
        try:
            pages = self._build(("html",), locales)
        except MemorialKitError as exc:
            self._failed(exc)
            then()
            return
        with self.lock:
            self.error = None
        self.publish(pages)
        then()
        self.say(f"html: {len(pages)} page(s) changed in {time.monotonic() - started:.2f} s")
        self.refresh_findings()
        self._to_print(pages, catalogs_only)
        rest = tuple(f for f in self.options.formats if f != "html")
        if rest and self.unprinted:
            self._print(rest, started)

    def _to_print(self, pages: list[str], catalogs_only: bool) -> None:
        """What the PDF stage must make: after a catalog edit, the products whose page
        changed (their PDF is made from the same text); after a seed, template or font
        edit, everything served (a font changes the PDF and not the page)."""
        if not catalogs_only:
            self.unprinted = ALL
        elif self.unprinted is not ALL:
            for page in pages:
                memorial, locales = livepage.page_locales(page)
                if memorial is not None:
                    kind = "labels" if "/labels/" in page else Path(page).stem.split("-")[0]
                    self.unprinted.add((kind, locales[0]))

    def _print(self, formats: tuple[str, ...], started: float) -> None:
        if self.unprinted is ALL:
            products, locales = None, self.options.locales
        else:
            products = sorted({kind for kind, _ in self.unprinted})
            locales = sorted({code for _, code in self.unprinted})
        try:
            pages = self._build(("html",) + formats, locales, products, stop_for_edits=True)
        except _Superseded:
            return                      # the next rebuild prints what is left
        except MemorialKitError as exc:
            self._failed(exc)
            return
        self.unprinted = set()
        # the pages' HTML is as the first stage made it; the index now lists the new files
        self.publish([p for p in pages if p == "index.html"])
        self.say(f"{', '.join(formats)}: done in {time.monotonic() - started:.2f} s")

    def _failed(self, exc: MemorialKitError) -> None:
        text = str(exc) + (f"\nhint: {exc.hint}" if exc.hint else "")
        with self.lock:
            self.error = text
        self.say(f"not rebuilt: {text}", error=True)
        self.publish([])

    def refresh_findings(self) -> None:
        from . import api
        try:
            findings = api.check(self.ws, self._checked_locales(), self.options.memorial,
                                 render=False)
        except MemorialKitError as exc:
            self._failed(exc)
            return
        with self.lock:
            self.findings = findings
        self.publish([])

    def _checked_locales(self) -> list[str] | None:
        if not self.options.locales:
            return None
        sources = {m.source_locale for m in self.ws.memorials(self.options.memorial)}
        wanted = [c for c in self.options.locales if c not in sources]
        return wanted or None

    def wanted(self, changed: set[Path]) -> tuple[bool, list[str] | None]:
        """Whether a batch of edits concerns the served edition, and its locales."""
        locales = affected_locales(self.ws, changed)
        if locales is None:
            return True, self.options.locales
        if self.options.locales:
            locales &= set(self.options.locales)
        # a catalog's translated messages decide the other pages' language switchers:
        # every served locale is asked for, and the input hashes keep the rest as they are
        return bool(locales), self.options.locales

    # -- listeners -------------------------------------------------------------
    def publish(self, pages: list[str], panel: bool = True) -> None:
        event = {"pages": sorted(set(pages)), "panel": panel}
        with self.lock:
            for listener in self.listeners:
                listener.put(event)

    def listen(self) -> queue.Queue:
        listener: queue.Queue = queue.Queue()
        with self.lock:
            self.listeners.append(listener)
        return listener

    def forget(self, listener: queue.Queue) -> None:
        with self.lock:
            if listener in self.listeners:
                self.listeners.remove(listener)

    def close(self) -> None:
        with self.lock:
            self.closing = True
            for listener in self.listeners:
                listener.put(None)

    # -- what a page shows beside it --------------------------------------------
    def panel(self, page: str) -> str:
        memorial, locales = livepage.page_locales(page)
        with self.lock:
            error, failures, findings = self.error, dict(self.failures), self.findings
        if findings is None or memorial is None:    # the index: every finding
            mine = findings
        else:
            domain, source = self._about(memorial)
            mine = [f for f in findings if f.locale in locales
                    or (f.locale is None and source in locales and f.domain == domain)]
        reasons = [f"{job}: {reason}" for job, reason in failures.items()
                   if not locales or any(f"/{c}" in job or f"-{c}" in job for c in locales)]
        return livepage.panel_html(page, error, reasons, mine, locales)

    def entries(self, page: str) -> list[dict]:
        """Every translated entry the page's languages print: a clicked passage's text
        is looked up among them by the script."""
        memorial, locales = livepage.page_locales(page)
        if memorial is None:
            return []
        domain, source = self._about(memorial)
        if domain is None:
            return []
        out = []
        for code in locales:
            for name in (domain, TEMPLATE_DOMAIN):
                try:
                    path = (self.ws.pot_path(name) if code == source
                            else self.ws.po_path(code, name))
                except MemorialKitError:        # a folder in dist/ no locale is named
                    return []
                out += self._catalog_entries(path, code == source)
        return out

    def _catalog_entries(self, path: Path, source: bool) -> list[dict]:
        try:
            stat = path.stat()
        except OSError:
            return []
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        with self._entries_lock:
            return self._entries_of(path, key, source)

    def _entries_of(self, path: Path, key: tuple, source: bool) -> list[dict]:
        from .catalogs import read_catalog
        if key not in self._entries:
            try:
                po = read_catalog(self.ws, path)
            except MemorialKitError:
                return []
            rel = self.ws.relative(path)
            rows = []
            for e in po.entries:
                if e.obsolete or not e.msgid or (not source and (not e.translated or e.fuzzy)):
                    continue
                texts = ([e.msgid] + ([e.msgid_plural] if e.msgid_plural else []) if source
                         else ([e.msgstr] if not e.msgid_plural else list(e.msgstr_plural)))
                rows.append({"c": e.msgctxt, "i": e.msgid, "s": texts, "f": rel, "l": e.line})
            self._entries = {k: v for k, v in self._entries.items() if k[0] != key[0]}
            self._entries[key] = rows
        return self._entries[key]

    def _about(self, slug: str) -> tuple[str | None, str | None]:
        """A memorial's domain and source locale; (None, None) while its manifest cannot
        be read (the panel shows the build's error about it)."""
        try:
            memorial = self.ws.memorial(slug)
        except MemorialKitError:
            return None, None
        return memorial.domain, memorial.source_locale


# --------------------------------------------------------------------------
# HTTP
# --------------------------------------------------------------------------
class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    live: LiveEdition

    def server_bind(self) -> None:
        # HTTPServer's own asks the resolver for the host's name, which can take seconds
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def handle_error(self, request, client_address) -> None:
        """A browser that closed or reloaded a page while it was sent is no error; any
        other fault is one line on stderr, never a traceback."""
        kind, exc = sys.exc_info()[:2]
        if kind is not None and not issubclass(kind, (ConnectionError, TimeoutError)):
            print(f"serve: answering {client_address[0]}: {kind.__name__}: {exc}",
                  file=sys.stderr, flush=True)


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server
    server_version = "memorial-kit-serve"

    def log_message(self, format, *args):     # noqa: A002 - the base class's name
        pass

    def do_GET(self):                          # noqa: N802 - http.server's names
        self._guarded(head=False)

    def do_HEAD(self):                         # noqa: N802
        self._guarded(head=True)

    def _guarded(self, head: bool) -> None:
        try:
            self._answer(head)
        except (ConnectionError, TimeoutError):
            raise
        except Exception as exc:  # noqa: BLE001 - one page's fault must not stop the server
            print(f"serve: {self.path}: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
            self._send(500, "text/plain; charset=utf-8", b"500 Internal Server Error\n", head)

    def _refuse(self):
        self.send_response(405)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = _refuse

    def _answer(self, head: bool) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path == livepage.PREFIX + "events":
            return self._events(head)
        if url.path == livepage.PREFIX + "panel":
            page = urllib.parse.parse_qs(url.query).get("page", [""])[0]
            return self._send(200, "text/html; charset=utf-8",
                              self.server.live.panel(page).encode(), head)
        status, target = resolve(self.server.live.root, url.path)
        if target is None and url.path in ("/", "/index.html"):
            page = livepage.inject("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                                   "<title>memorial-kit serve</title></head><body><h1>Nothing "
                                   "is built yet</h1></body></html>", "index.html",
                                   self.server.live.panel("index.html"), [])
            return self._send(200, "text/html; charset=utf-8", page.encode(), head)
        if target is None:
            return self._send(status, "text/plain; charset=utf-8",
                              f"{status} {self.responses[status][0]}\n".encode(), head)
        try:
            body = target.read_bytes()
        except OSError:
            return self._send(404, "text/plain; charset=utf-8", b"404 Not Found\n", head)
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind == "text/html":
            page = target.relative_to(Path(os.path.realpath(self.server.live.root))).as_posix()
            live = self.server.live
            body = livepage.inject(body.decode("utf-8", "replace"), page, live.panel(page),
                                   live.entries(page)).encode("utf-8")
        if kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml"):
            kind += "; charset=utf-8"
        self._send(200, kind, body, head)

    def _send(self, status: int, kind: str, body: bytes, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self, head: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if head:
            return
        live = self.server.live
        listener = live.listen()
        try:
            self.wfile.write(b"retry: 500\n\n")
            self.wfile.flush()
            while not live.closing:
                try:
                    event = listener.get(timeout=10)
                except queue.Empty:
                    self.wfile.write(b": still here\n\n")      # notices a closed tab
                else:
                    if event is None:
                        break
                    self.wfile.write(f"event: update\ndata: {json.dumps(event)}\n\n".encode())
                self.wfile.flush()
        except OSError:                 # the page was closed or reloaded
            pass
        finally:
            live.forget(listener)


def resolve(root: Path, url_path: str) -> tuple[int, Path | None]:
    """The file a URL path names inside ``root``, or (status, None): 404 for a path that
    steps out (``..``, also percent-encoded) or does not exist, 403 for a symbolic link
    leading out of ``root``."""
    text = urllib.parse.unquote(url_path, errors="strict") if "%" in url_path else url_path
    parts = [p for p in text.split("/") if p]
    if any(p in (".", "..") or "\0" in p or "\\" in p for p in parts):
        return 404, None
    base = os.path.realpath(root)
    target = os.path.join(base, *parts)
    if os.path.isdir(target):
        target = os.path.join(target, "index.html")
    real = os.path.realpath(target)
    if os.path.commonpath([base, real]) != base:
        return 403, None
    if not os.path.isfile(real):
        return 404, None
    return 200, Path(real)


# --------------------------------------------------------------------------
# The command
# --------------------------------------------------------------------------
def serve(ws: Workspace, options: ServeOptions, say) -> int:
    """Build, serve and watch until Ctrl-C.  ``say(text, error=False)`` prints a line."""
    live = LiveEdition(ws, options, say)
    server = _bind(options)
    previous = signal.signal(signal.SIGTERM, _as_interrupt)     # `kill` stops it as Ctrl-C does
    server.live = live
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                     name="memorial-kit-http", daemon=True).start()
    watcher = Watcher(ws, live.pending)
    try:
        watcher.start()
        host, port = server.server_address[:2]
        shown = f"[{host}]" if ":" in host else host
        live.rebuild(options.locales,
                     then=lambda: say(f"serving http://{shown}:{port}/ (Ctrl-C to stop)"))
        while True:
            changed = _next_batch(live.pending)
            if watcher.failure is not None:
                raise UsageError(f"cannot watch the workspace: {watcher.failure}")
            concerned, locales = live.wanted(changed)
            if concerned:
                live.rebuild(locales, catalogs_only=affected_locales(ws, changed) is not None)
            elif any(path.suffix == ".pot" for path in changed):
                live.refresh_findings()     # a template says whether a catalog is outdated
    except KeyboardInterrupt:
        say("stopped")
        return 0
    finally:
        live.close()
        watcher.stop()
        server.shutdown()
        server.server_close()
        signal.signal(signal.SIGTERM, previous)


def _as_interrupt(signum, frame):
    raise KeyboardInterrupt


def _next_batch(pending: "queue.Queue[set[Path]]") -> set[Path]:
    """The next batch of edits, with any that came meanwhile."""
    while True:
        try:
            changed = pending.get(timeout=0.5)  # a timeout: Ctrl-C is not held up by the wait
            break
        except queue.Empty:
            continue
    while True:
        try:
            changed |= pending.get_nowait()
        except queue.Empty:
            return changed


def _bind(options: ServeOptions) -> _Server:
    family = socket.AF_INET6 if ":" in options.host else socket.AF_INET
    server_class = type("_Bound", (_Server,), {"address_family": family})
    try:
        return server_class((options.host, options.port), _Handler)
    except OSError as exc:
        hint = "choose another with --port N (--port 0: any free port)"
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"port {options.port} is in use", hint=hint) from None
        raise UsageError(f"cannot listen on {options.host}:{options.port}: {exc.strerror}",
                         hint=hint) from None


def warn_if_exposed(host: str, stream=sys.stderr) -> None:
    if host not in (LOOPBACK, "localhost", "::1"):
        print(f"warning: serving on {host}: anyone who can reach this machine there can read "
              f"the edition and its findings", file=stream, flush=True)
