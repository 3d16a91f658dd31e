"""The ``memorial-kit`` command's entry point (the console script and ``python -m
memorial_kit``): a Ctrl-C at any moment ends it with one line and exit code 130."""
from __future__ import annotations

import os
import signal
import sys

INTERRUPTED = 130


def command() -> None:
    try:
        from . import quickload
        from .cli import main
    except KeyboardInterrupt:           # while the kit was still loading
        print("interrupted", file=sys.stderr)
        _end(INTERRUPTED)
    quickload.allow()                   # this process is the command's own
    code = main()
    # The work is done and reported: a Ctrl-C now, while Python tears the process down
    # (a tenth of a second once WeasyPrint is loaded), would only kill it without a word
    # and turn its exit code into a signal.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _end(code)


def _end(code: int) -> None:
    """Exit with ``code``.  After a Ctrl-C, Python would end the process by the signal
    itself, whatever the code, once the interrupt passed through certain frames on its
    way to the kit's handler (an import's, for one): so an interrupted command, which
    has closed and removed everything it opened, leaves at once with its own code."""
    if code != INTERRUPTED:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(INTERRUPTED)
