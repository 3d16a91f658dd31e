"""The digest of the kit's own code, which build records and kept verdicts are keyed by.

Every module of the package counts, however the package is laid out: a record made by
other code is not up to date, and moving code between modules can never leave a stale
record trusted."""
from __future__ import annotations

import hashlib
from pathlib import Path

_PACKAGE = Path(__file__).parent
_DIGEST: list[str] = []


def code_digest() -> str:
    if not _DIGEST:
        digest = hashlib.sha256()
        for source in sorted(_PACKAGE.rglob("*.py")):
            digest.update(source.relative_to(_PACKAGE).as_posix().encode() + b"\0")
            digest.update(source.read_bytes())
        _DIGEST.append(digest.hexdigest())
    return _DIGEST[0]
