"""The ``memorial-kit`` command's entry point: a Ctrl-C while the kit is still loading
ends it as quietly as one during its work (one line, exit code 130)."""
from __future__ import annotations

import sys


def command() -> None:
    try:
        from .cli import command as run
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    run()
