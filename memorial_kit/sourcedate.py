"""SOURCE_DATE_EPOCH, read and checked in one place.

The dates the kit writes come from it when it is set (reproducible builds): a template's
POT-Creation-Date, a new catalog's header, a printed PDF's dates.  A value that is no such
date is refused, never replaced by another date: an edition printed with the wrong date
cannot be told from one printed with the right one.

It is the reproducible-builds.org convention: the decimal number of seconds since
1970-01-01 UTC that ``date +%s`` prints (whitespace around it, as a file's final newline,
is allowed).  The kit reads it as a UTC date, which must be before the year 10000.
"""
from __future__ import annotations

import datetime as dt
import os
import re

from .errors import UsageError

VARIABLE = "SOURCE_DATE_EPOCH"

# ASCII digits only: int() would also take "+5", "1_000" and other scripts' digits.
_SECONDS = re.compile(r"\s*[0-9]+\s*", re.ASCII)


def source_date() -> dt.datetime | None:
    """SOURCE_DATE_EPOCH's date (UTC), or None when it is not set; UsageError when it is
    set to anything but a number of seconds since 1970 before the year 10000."""
    raw = os.environ.get(VARIABLE)
    if raw is None:
        return None
    if _SECONDS.fullmatch(raw):
        try:
            return dt.datetime.fromtimestamp(int(raw), dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            pass                        # past the year 9999, or past what the platform holds
    raise UsageError(f"{VARIABLE}={raw[:40]!r} is not a number of seconds since 1970 before "
                     "the year 10000", hint=f"for example {VARIABLE}=$(date +%s)")
