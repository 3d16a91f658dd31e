"""WeasyPrint loaded sooner when the command line allows it: the same C libraries, the
standard library's lookup as it was afterwards, and nothing of it for other programs."""
import ctypes.util
import sys

import pytest

from conftest import COUNT_LIBRARY_PROBES, run_python
from memorial_kit import quickload

LINUX = sys.platform.startswith("linux")

LOAD = COUNT_LIBRARY_PROBES + """
import sys, threading
how = sys.argv[1]
if how == "plain":
    import weasyprint
else:
    from memorial_kit import quickload
    if how != "not allowed":
        quickload.allow()
    if how == "another thread":
        stop = threading.Event()
        threading.Thread(target=stop.wait).start()
    quickload.load_weasyprint()
    if how == "another thread":
        stop.set()
assert ctypes.util.find_library is find_library      # the lookup is as it was
print(len(asked))
print("\\n".join(sorted({line.split()[-1] for line in open("/proc/self/maps") if ".so" in line})))
"""


def load(how: str) -> tuple[int, list[str]]:
    """How many names reached the process's own find_library, and the libraries loaded."""
    lines = run_python(LOAD, how).stdout.splitlines()
    return int(lines[0]), lines[1:]


@pytest.mark.skipif(not LINUX, reason="reads /proc/self/maps")
def test_allowed_it_loads_the_same_libraries_and_asks_fewer_names():
    probes, libraries = load("plain")
    quick_probes, quick_libraries = load("allowed")
    assert quick_libraries == libraries
    for library in ("libgobject-2.0", "libpango-1.0", "libharfbuzz", "libfontconfig"):
        assert any(f"/{library}.so" in path for path in quick_libraries), library
    assert quick_probes < probes


@pytest.mark.skipif(not LINUX, reason="reads /proc/self/maps")
@pytest.mark.parametrize("how", ["not allowed", "another thread"])
def test_every_probe_goes_to_the_standard_lookup_unless_allowed_and_alone(how):
    assert load(how)[0] == load("plain")[0]


def test_names_the_linker_cannot_open_are_not_probed(monkeypatch):
    asked = []

    def standard(name):
        asked.append(name)
        return f"lib{name}.so.0"

    monkeypatch.setattr(ctypes.util, "find_library", standard)
    monkeypatch.setattr(quickload, "_linker_knows", lambda: {"libpango-1.0.so.0", "libc.so.6"})
    monkeypatch.setattr(sys, "platform", "linux")
    with quickload._library_probes_answered_by_the_linker():
        assert ctypes.util.find_library("libpango-1.0-0") is None      # Windows' name
        assert ctypes.util.find_library("pango-1.0-0") is None
        assert ctypes.util.find_library("pango-1.0") == "libpango-1.0.so.0"
        assert ctypes.util.find_library("harfbuzz-vector") is None      # not installed
    assert asked == ["pango-1.0"]           # only the known name reached the slow lookup
    assert ctypes.util.find_library is standard


def test_the_standard_lookup_is_restored_after_a_failed_load(monkeypatch):
    standard = ctypes.util.find_library
    monkeypatch.setattr(quickload, "_linker_knows", lambda: set())
    monkeypatch.setattr(sys, "platform", "linux")
    with pytest.raises(OSError):
        with quickload._library_probes_answered_by_the_linker():
            assert ctypes.util.find_library("gobject-2.0") is None
            raise OSError("cannot load library 'libgobject-2.0.so.0'")
    assert ctypes.util.find_library is standard


def test_without_a_linker_cache_every_lookup_is_the_standard_one(monkeypatch):
    standard = ctypes.util.find_library
    monkeypatch.setattr(quickload, "_linker_knows", lambda: None)     # e.g. musl: no ldconfig -p
    monkeypatch.setattr(sys, "platform", "linux")
    with quickload._library_probes_answered_by_the_linker():
        assert ctypes.util.find_library is standard
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setattr(quickload, "_linker_knows", lambda: pytest.fail("asked off Linux"))
    with quickload._library_probes_answered_by_the_linker():
        assert ctypes.util.find_library is standard


@pytest.mark.skipif(not LINUX, reason="glibc's ldconfig")
def test_the_linker_knows_what_is_installed(monkeypatch, tmp_path):
    (tmp_path / "libmemorial-test.so.3").write_bytes(b"")
    monkeypatch.setenv("LD_LIBRARY_PATH", str(tmp_path))
    known = quickload._linker_knows()
    if known is None:
        pytest.skip("no glibc ldconfig here")
    assert any(name.startswith("libc.so.") for name in known)
    assert "libmemorial-test.so.3" in known         # LD_LIBRARY_PATH is searched too


def test_the_command_allows_it_and_an_importing_program_does_not(monkeypatch):
    from memorial_kit import cli, entry
    monkeypatch.setattr(quickload, "_ALLOWED", False)
    import memorial_kit.api  # noqa: F401  (a program importing the kit)
    assert quickload._ALLOWED is False
    monkeypatch.setattr(cli, "main", lambda argv=None: 0)
    monkeypatch.setattr(entry.signal, "signal", lambda *args: None)
    with pytest.raises(SystemExit) as ended:
        entry.command()
    assert ended.value.code == 0
    assert quickload._ALLOWED is True
