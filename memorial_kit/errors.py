"""One hierarchy of errors, each able to say where the problem is.

Every error the kit raises on purpose is a MemorialKitError.  It carries the
file and 1-based line of the offending input where there is one, so that the
command line can print ``path:line: problem`` and a hint.
"""
from __future__ import annotations

import os


class MemorialKitError(Exception):
    """Base of the kit's own errors; ``str()`` gives ``path:line: message``."""

    exit_code = 2

    def __init__(self, message: str, path: str | os.PathLike | None = None,
                 line: int | None = None, hint: str | None = None,
                 text: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = os.fspath(path) if path is not None else None
        self.line = line
        self.hint = hint
        self.text = text

    @property
    def location(self) -> str:
        if self.path is None:
            return ""
        if self.line is None:
            return self.path
        return f"{self.path}:{self.line}"

    def __str__(self) -> str:
        where = self.location
        return f"{where}: {self.message}" if where else self.message


class UsageError(MemorialKitError):
    """A command was called with arguments that cannot work."""


class SourceError(MemorialKitError):
    """The seed article cannot be parsed."""


class ManifestError(MemorialKitError):
    """memorial.toml is missing, not TOML, or does not describe a memorial."""


class CatalogError(MemorialKitError):
    """A .po/.pot/.mo file cannot be read or written as asked."""


class TemplateError(MemorialKitError):
    """A template cannot be parsed or rendered."""


class RenderError(MemorialKitError):
    """A product cannot be laid out or printed as it must be."""


class LockError(MemorialKitError):
    """Another run of the kit holds a file this run must change."""


class ConflictError(MemorialKitError):
    """A file changed on disk while a command was rewriting it; nothing was written."""

    exit_code = 1


class InvariantError(MemorialKitError):
    """A write would break a guarantee (a translation lost...); nothing was written."""

    exit_code = 1


class WorkerDied(MemorialKitError):
    """A worker process ended abruptly (killed, out of memory); the command stopped."""

    exit_code = 1


class LockTimeout(LockError):
    """Another live run held a lock longer than this run waits."""

    exit_code = 1


class WriteError(MemorialKitError, OSError):
    """A file could not be written (disk full, file too large, permissions...).

    Also an OSError, so that code written against the plain OSError still works.
    """
