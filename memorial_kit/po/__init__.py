"""Read and write gettext PO/POT files exactly as GNU gettext writes them.

Why our own writer: translators' tools (Poedit, Weblate) and the GNU tools
rewrite a catalog in GNU's form, and Babel and polib wrap long strings
differently (76/78 columns, other break points).  Every save would then be
a noisy diff.  ``write_po`` produces what ``msgcat`` 0.21 prints for the same
catalog, byte for byte, so ``msgcat FILE`` == FILE.  The rules were found by
running msgcat on many inputs:

* page width 79; a string that does not fit, or that has a ``\\n`` before its
  end, is written as ``msgid ""`` plus continuation lines, and every string
  is split after each ``\\n``;
* long lines break where libunistring's UAX #14 line breaker allows it (after
  spaces, but also after hyphens, em dashes, slashes...), computed on the
  *escaped* text, never inside an escape sequence, and never inside a format
  directive of the entry's first format flag (c-format, python-format);
  widths are display columns (combining marks 0, East Asian wide 2);
* escapes: ``\\a \\b \\f \\n \\r \\t \\v \\\\ \\"``; other control characters are
  written raw;
* ``#:`` references keep their order, drop exact duplicates, lose a leading
  ``./`` and are packed into lines of at most 79 bytes;
* ``#,`` flags: fuzzy (only when msgstr is non-empty), format flags in GNU's
  fixed order, ``range:``, ``no-wrap``.  GNU drops flags it does not know
  (Weblate's ``max-length:80``...); we keep them, after the known ones;
* obsolete ``#~`` entries come after all others, and GNU drops those whose
  msgstr is empty; entries are separated by one blank line, none at the end.

The modules, after Babel's babel/messages (a model without I/O, then reading and
writing):

* ``model``: Entry and PoFile, header fields and charsets;
* ``reader``: read_po (the line parser) and ``fast_reader``, the whole-entry path for
  files in GNU's layout, which a benchmark target needs;
* ``writer``: write_po, over ``linebreak`` (libunistring 1.0's line breaking and
  display widths; libunistring is the library msgcat 0.21 links against), its tables in
  ``linebreak_data`` and ``linebreak_fast``, the faster path a benchmark target needs;
* ``mo``: write_mo, msgfmt's .mo with its hash table (``mo_hash``).
"""
from __future__ import annotations

from .mo import write_mo
from .model import DEFAULT_DOMAIN, MAX_CATALOG_BYTES, Entry, PoFile
from .reader import read_po, read_po_file
from .writer import GNU_FORMATS, write_po, write_po_file

__all__ = ["Entry", "PoFile", "read_po", "read_po_file", "write_po",
           "write_po_file", "write_mo", "GNU_FORMATS", "MAX_CATALOG_BYTES", "DEFAULT_DOMAIN"]
