"""The catalog invariant, checked before every catalog write: nothing a translator
wrote is lost.

Every translation of the old file (each msgstr and msgstr[n] that is not empty)
must be in the new file's bytes, read back, live or obsolete (``#~``), or the
write is refused.  The check reads the bytes about to be written, so that it
holds whatever merged, matched or wrote them.
"""
from __future__ import annotations

from . import po as pofile
from .errors import CatalogError, InvariantError


def _forms(entry: pofile.Entry) -> list[str]:
    return [entry.msgstr] if entry.msgid_plural is None else list(entry.msgstr_plural)


def check_kept(old: pofile.PoFile | None, new_data: bytes, shown) -> None:
    """InvariantError naming the first translation of ``old`` missing in ``new_data``."""
    if old is None:
        return
    try:
        new = pofile.read_po(new_data, str(shown))
    except CatalogError as exc:
        raise InvariantError(f"the new file would not read back ({exc.message}); "
                             "nothing was written", path=shown,
                             hint="this is a bug in memorial-kit: please report it") from None
    have = {form for entry in new.entries for form in _forms(entry) if form}
    lost = [entry for entry in old.entries
            if any(form and form not in have for form in _forms(entry))]
    if lost:
        first = lost[0]
        raise InvariantError(
            f"{len(lost)} translation(s) would be lost, the first of msgid "
            f"{first.msgid[:60]!r} (line {first.line}); nothing was written", path=shown,
            line=first.line, hint="this is a bug in memorial-kit: please report it with the file")
