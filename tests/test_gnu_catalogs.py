"""The kit's read->write over GNU gettext's own test-suite catalogs, against msgcat.

Opt-in: set MEMORIAL_KIT_GETTEXT_TESTS to the ``gettext-tools/tests`` folder of a
GNU gettext source tree.  The catalogs are the folder's ``.po``/``.pot`` files and
those its test scripts write (``cat <<EOF > NAME.po``).  Each must read and
write back as ``msgcat`` prints it, or differ only as README's "Reading what
msgfmt reads" says.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from memorial_kit.errors import CatalogError
from memorial_kit.po import read_po, write_po

SOURCE = os.environ.get("MEMORIAL_KIT_GETTEXT_TESTS")
pytestmark = pytest.mark.skipif(not SOURCE or shutil.which("msgcat") is None,
                                reason="set MEMORIAL_KIT_GETTEXT_TESTS to gettext-tools/tests")
HEREDOC = re.compile(rb"^\s*cat\s+<<\\?'?(\w+)'?\s*>\s*(\S+\.pot?)\s*$")
NEWER_FLAG = re.compile(rb"^#, (?:c\+\+|d|go|modula2|ocaml|rust|sh-printf)-format\n", re.M)


def catalogs(folder: Path):
    for path in sorted(folder.iterdir()):
        if path.suffix in (".po", ".pot"):
            yield path.name, path.read_bytes()
        elif path.is_file():
            lines = path.read_bytes().split(b"\n")
            for i, line in enumerate(lines):
                match = HEREDOC.match(line)
                if match:
                    end = lines.index(match[1], i + 1) if match[1] in lines[i + 1:] else len(lines)
                    yield f"{path.name}:{match[2].decode()}", b"\n".join(lines[i + 1:end]) + b"\n"


def explained(ours: bytes, gnu: bytes) -> bool:
    if NEWER_FLAG.sub(b"", ours) == gnu:
        return True                     # flags newer than msgcat 0.21 are kept
    if gnu == b"" and read_po(ours).entries == []:
        return True                     # only a header: msgcat prints nothing
    return ours == gnu.replace(b"\r", b"")  # a CR msgcat keeps in a '#:' file name


def test_read_write_equals_msgcat_on_gnu_test_catalogs(tmp_path):
    found, unexplained = 0, []
    for name, data in catalogs(Path(SOURCE)):
        found += 1
        path = tmp_path / "catalog.po"
        path.write_bytes(data)
        gnu = subprocess.run(["msgcat", str(path)], capture_output=True)
        try:
            ours = write_po(read_po(data, name))
        except CatalogError:
            ours = None
        if gnu.returncode != 0 or ours is None:
            continue                    # refused by one or both: README lists the readings
        if ours != gnu.stdout and not explained(ours, gnu.stdout):
            unexplained.append(name)
    assert found > 200
    assert unexplained == []
