"""Shared fixtures: a copy of the project's workspace that a test may change freely."""
from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TRANSLATED = ("lt", "ru", "la")       # the locales of the prepared workspace
SEED = ROOT / "seeds" / "vorkuta-uprising" / "article.txt"


def copy_workspace(target: Path, with_locales: bool = True) -> Path:
    for name in ("seeds", "templates") + (("locales",) if with_locales else ()):
        shutil.copytree(ROOT / name, target / name,
                        ignore=shutil.ignore_patterns("*.mo", "__pycache__"))
    return target


@pytest.fixture(scope="session", autouse=True)
def run_temporary_files(tmp_path_factory):
    """The temporary files of the tests' own process (WeasyPrint's ``weasyprint-*`` font
    folders among them, which it removes only when a font configuration is collected)
    go to a folder of the run's, removed when the run ends, as a command's are: a test
    run leaves nothing in the system's temporary folder."""
    from memorial_kit import processes
    with processes.temporary_folder(tmp_path_factory.mktemp("tmp")) as folder:
        yield folder


@pytest.fixture
def workspace(tmp_path) -> Path:
    """A fresh copy of seeds/, templates/ and locales/."""
    return copy_workspace(tmp_path / "ws")


def run_kit(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the command line in this process, through ``cli.main`` (what the console script
    and ``python -m memorial_kit`` call), with ``root`` as the working folder, ``env`` set
    for the call, and stdout and stderr captured.  For what only a separate process shows
    (signals, exit at interpreter shutdown, concurrent commands) use ``run_kit_process``."""
    from memorial_kit import cli
    argv = ["--root", str(root), *args]
    stdout, stderr = io.StringIO(), io.StringIO()
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    os.environ.update(env or {})
    os.chdir(root)
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = cli.main(argv)
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    return subprocess.CompletedProcess(argv, code, stdout.getvalue(), stderr.getvalue())


def run_kit_process(root: Path, *args: str, env: dict | None = None
                    ) -> subprocess.CompletedProcess:
    """Run the real command line in a subprocess, as a user would."""
    full_env = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, "-m", "memorial_kit", "--root", str(root), *args],
                          capture_output=True, text=True, env=full_env, cwd=root)


# The start of a child script that records in ``asked`` each name the process's own
# ctypes.util.find_library is asked for (``find_library``: the recording one).
COUNT_LIBRARY_PROBES = """
import ctypes.util
asked = []
standard = ctypes.util.find_library
def find_library(name):
    asked.append(name)
    return standard(name)
ctypes.util.find_library = find_library
"""


def run_python(script: str, *args: str) -> subprocess.CompletedProcess:
    """``script`` in a fresh Python process that imports this checkout's kit; it must succeed."""
    out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)))
    assert out.returncode == 0, out.stderr
    return out


def as_from_a_terminal() -> None:
    """``preexec_fn`` of a command a test Ctrl-Cs: SIGINT as a terminal gives it.  A test
    run started in the background (``pytest &``) ignores SIGINT, and a child inherits
    that, so the kit would rightly go on as a background job does."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def as_in_a_pipe() -> dict:
    """The environment without PYTHONUNBUFFERED: a command's stdout into a pipe is then
    block-buffered, as in a user's ``memorial-kit build | tee build.log``."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}


class Snapshot(dict):
    """Every file under a folder with its bytes: a failed comparison names the files that
    differ (see :func:`pytest_assertrepr_compare`), not every byte of every file."""


def snapshot(root: Path) -> Snapshot:
    """Every file under ``root`` with its bytes (to prove nothing changed)."""
    return Snapshot((str(p.relative_to(root)), p.read_bytes()) for p in sorted(root.rglob("*"))
                    if p.is_file() and ".memorial-kit" not in p.parts)


def pytest_assertrepr_compare(op, left, right):
    if op == "==" and isinstance(left, Snapshot) and isinstance(right, Snapshot):
        return ["two snapshots of a folder differ:"] + [
            f"  {name}: {_how_it_differs(left.get(name), right.get(name))}"
            for name in sorted(set(left) | set(right)) if left.get(name) != right.get(name)]
    return None


def _how_it_differs(left: bytes | None, right: bytes | None) -> str:
    if left is None or right is None:
        return f"only on the {'right' if left is None else 'left'}"
    at = next((i for i, (a, b) in enumerate(zip(left, right)) if a != b), min(len(left), len(right)))
    return (f"{len(left)} bytes against {len(right)}, first different at byte {at}: "
            f"{left[max(0, at - 30):at + 50]!r} against {right[max(0, at - 30):at + 50]!r}")


@contextlib.contextmanager
def must_not_hang(seconds: int = 120):
    """A guard against a hang, not a measure of speed: the work under it once took hours on
    the test's input (a pattern that backtracked), and now takes well under a second; it
    fails only when the work is still running minutes later."""
    def hung(signum, frame):
        raise AssertionError(f"still running after {seconds} s: it hangs")
    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# ------------------------------------------------------------ workspaces ---

def translate(root: Path, locale: str, texts: dict | None = None) -> None:
    """Give every message of ``locale`` a translation: ``texts[(msgctxt, msgid)]``, the
    carved text for an inscription carved in ``locale``, else the source text itself."""
    from memorial_kit import po as pofile
    from memorial_kit import messages
    from memorial_kit.manifest import load_memorial
    from memorial_kit.plurals import parse_plural_forms

    texts = dict(texts or {})
    memorial = load_memorial(root / "seeds" / "vorkuta-uprising", root)
    for monument in memorial.monuments:
        for face in monument.faces:
            if locale in face.inscriptions:
                key = (messages.inscription(monument.id, face.id), face.gloss)
                texts.setdefault(key, face.inscriptions[locale])
    for path in sorted((root / "locales" / locale / "LC_MESSAGES").glob("*.po")):
        catalog = pofile.read_po(path.read_bytes(), str(path))
        nplurals = parse_plural_forms(catalog.header_value("Plural-Forms")).nplurals
        for entry in catalog.entries:
            if entry.obsolete:
                continue
            entry.fuzzy = False
            if entry.msgid_plural is not None:
                entry.msgstr_plural = [entry.msgid] + [entry.msgid_plural] * (nplurals - 1)
            else:
                entry.msgstr = texts.get(entry.key, entry.msgid)
        path.write_bytes(pofile.write_po(catalog))


def make_workspace(target: Path) -> Path:
    """seeds/ and templates/ of the project, with fresh, fully translated catalogs."""
    from memorial_kit import api
    copy_workspace(target, with_locales=False)
    ws = api.workspace(target)
    api.extract(ws)
    for locale in TRANSLATED:
        api.init(ws, locale)
        translate(target, locale)
    api.compile(ws)
    return target


@pytest.fixture(scope="session")
def prepared(tmp_path_factory) -> Path:
    return make_workspace(tmp_path_factory.mktemp("prepared") / "ws")


@pytest.fixture
def ws(prepared, tmp_path) -> Path:
    """A private copy of the prepared workspace."""
    target = tmp_path / "ws"
    shutil.copytree(prepared, target)
    return target


# ------------------------------------------------------- catalogs and GNU gettext ---
EPOCH = {"SOURCE_DATE_EPOCH": "1764460800"}


def msgcat(path, *args) -> bytes:
    return subprocess.run(["msgcat", *args, str(path)], capture_output=True, check=True).stdout


def without_unknown_flags(data: bytes) -> bytes:
    """FILE as GNU tools print it: they drop flags they do not know (max-length:N)."""
    out = []
    for line in data.split(b"\n"):
        if line.startswith(b"#, "):
            flags = [f for f in line[3:].split(b", ") if not f.startswith(b"max-length:")]
            if not flags:
                continue
            line = b"#, " + b", ".join(flags)
        out.append(line)
    return b"\n".join(out)


def gnu_form(path) -> bool:
    """msgcat prints FILE byte for byte, once the flags GNU does not know are taken out."""
    return msgcat(path) == without_unknown_flags(Path(path).read_bytes())


def msgfmt_check(path) -> None:
    result = subprocess.run(["msgfmt", "--check", "--check-format", "-o", "/dev/null", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def fill(path, prefix="T: "):
    """Translate every message of a catalog mechanically (numbers and placeholders kept)."""
    from memorial_kit import po
    catalog = po.read_po_file(path)
    for entry in catalog.entries:
        if entry.msgid_plural:
            entry.msgstr_plural = [prefix + entry.msgid, prefix + entry.msgid_plural,
                                   prefix + entry.msgid_plural][:len(entry.msgstr_plural)]
        else:
            entry.msgstr = prefix + entry.msgid
        entry.fuzzy = False
    po.write_po_file(catalog, path)


@pytest.fixture
def fresh(tmp_path):
    """A workspace with seeds and templates but no catalogs yet."""
    return copy_workspace(tmp_path / "ws", with_locales=False)


@pytest.fixture
def translated(fresh):
    run_kit(fresh, "extract", env=EPOCH)
    run_kit(fresh, "init", "lt")
    for domain in ("vorkuta-uprising", "memorial-kit"):
        fill(fresh / "locales" / "lt" / "LC_MESSAGES" / f"{domain}.po")
    return fresh


@pytest.fixture(scope="module")
def scripts_memorial(tmp_path_factory):
    """The memorial carved in Hebrew, Yiddish and Arabic (tests/data/scripts), with its
    translations: its workspace and its memorial."""
    from memorial_kit import api
    from memorial_kit.manifest import load_memorial
    root = tmp_path_factory.mktemp("scripts") / "ws"
    shutil.copytree(ROOT / "templates", root / "templates")
    for name in ("seeds", "locales"):
        shutil.copytree(ROOT / "tests" / "data" / "scripts" / name, root / name)
    return api.workspace(root), load_memorial(root / "seeds" / "yizkor-stone", root)
