"""How the printing module loads WeasyPrint: quickly, and with the same C libraries."""
import ctypes.util
import subprocess
import sys

import pytest

from memorial_kit import printing

LINUX = sys.platform.startswith("linux")

LOADED_LIBRARIES = """
import sys
if sys.argv[1] == "kit":
    import memorial_kit.printing
else:
    import weasyprint
import ctypes.util
print(ctypes.util.find_library.__module__)
print("\\n".join(sorted({line.split()[-1] for line in open("/proc/self/maps") if ".so" in line})))
"""


@pytest.mark.skipif(not LINUX, reason="reads /proc/self/maps")
def test_weasyprint_loads_the_same_libraries_as_on_its_own():
    def loaded(how: str) -> list[str]:
        out = subprocess.run([sys.executable, "-c", LOADED_LIBRARIES, how],
                             capture_output=True, text=True, check=True).stdout.splitlines()
        assert out[0] == "ctypes.util"          # the standard lookup is back afterwards
        return out[1:]

    ours = loaded("kit")
    assert ours == loaded("plain")
    for library in ("libgobject-2.0", "libpango-1.0", "libharfbuzz", "libfontconfig"):
        assert any(f"/{library}.so" in path for path in ours), library


def test_names_the_linker_cannot_open_are_not_probed(monkeypatch):
    asked = []

    def standard(name):
        asked.append(name)
        return f"lib{name}.so.0"

    monkeypatch.setattr(ctypes.util, "find_library", standard)
    monkeypatch.setattr(printing, "_linker_knows", lambda: {"libpango-1.0.so.0", "libc.so.6"})
    monkeypatch.setattr(sys, "platform", "linux")
    with printing._library_probes_answered_by_the_linker():
        assert ctypes.util.find_library("libpango-1.0-0") is None      # Windows' name
        assert ctypes.util.find_library("pango-1.0-0") is None
        assert ctypes.util.find_library("pango-1.0") == "libpango-1.0.so.0"
        assert ctypes.util.find_library("harfbuzz-vector") is None      # not installed
    assert asked == ["pango-1.0"]           # only the known name reached the slow lookup
    assert ctypes.util.find_library is standard


def test_the_standard_lookup_is_restored_after_a_failed_load(monkeypatch):
    standard = ctypes.util.find_library
    monkeypatch.setattr(printing, "_linker_knows", lambda: set())
    monkeypatch.setattr(sys, "platform", "linux")
    with pytest.raises(OSError):
        with printing._library_probes_answered_by_the_linker():
            assert ctypes.util.find_library("gobject-2.0") is None
            raise OSError("cannot load library 'libgobject-2.0.so.0'")
    assert ctypes.util.find_library is standard


def test_without_a_linker_cache_every_lookup_is_the_standard_one(monkeypatch):
    standard = ctypes.util.find_library
    monkeypatch.setattr(printing, "_linker_knows", lambda: None)     # e.g. musl: no ldconfig -p
    monkeypatch.setattr(sys, "platform", "linux")
    with printing._library_probes_answered_by_the_linker():
        assert ctypes.util.find_library is standard
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setattr(printing, "_linker_knows", lambda: pytest.fail("asked off Linux"))
    with printing._library_probes_answered_by_the_linker():
        assert ctypes.util.find_library is standard


@pytest.mark.skipif(not LINUX, reason="glibc's ldconfig")
def test_the_linker_knows_what_is_installed(monkeypatch, tmp_path):
    (tmp_path / "libmemorial-test.so.3").write_bytes(b"")
    monkeypatch.setenv("LD_LIBRARY_PATH", str(tmp_path))
    known = printing._linker_knows()
    if known is None:
        pytest.skip("no glibc ldconfig here")
    assert any(name.startswith("libc.so.") for name in known)
    assert "libmemorial-test.so.3" in known         # LD_LIBRARY_PATH is searched too
