"""Paths that cannot walk out: of the workspace (symlinks), of the output folder
(ids made into file names), or into the sources (``--out``).

Every check resolves the path (``..``, symlinks) before it compares, so that no
spelling of a path gets around it.
"""
from __future__ import annotations

import os
from pathlib import Path

from .errors import UsageError

SOURCE_FOLDERS = ("seeds", "locales", "templates")


def is_inside(folder: Path, path: Path) -> bool:
    """Whether ``path``, resolved, is ``folder`` (resolved) or inside it."""
    return _inside_resolved(os.path.realpath(folder), path)


def _inside_resolved(folder: str, path: Path) -> bool:
    try:
        Path(os.path.realpath(path)).relative_to(folder)
        return True
    except ValueError:
        return False


def refuse_outside_links(root: Path) -> None:
    """A symlink in seeds/, locales/ or templates/ that resolves outside the workspace is
    an error naming the link: the asset copy, the template loader and the catalog reader
    would otherwise read (and publish) whatever it points at."""
    for name in SOURCE_FOLDERS:
        top = root / name
        if not top.exists() and not top.is_symlink():
            continue
        for link in _links(top):
            if not is_inside(root, link):
                raise UsageError(f"a symbolic link to {os.path.realpath(link)}, outside the "
                                 "workspace", path=os.path.relpath(link, root),
                                 hint="copy the file into the workspace instead of linking it")


def _links(top: Path):
    if top.is_symlink():
        yield top
        if not is_inside(top.parent, top):
            return                      # not walked: it is refused as it is
    for parent, folders, files in os.walk(top):
        for name in folders + files:
            path = Path(parent) / name
            if path.is_symlink():
                yield path


def check_output_path(out: Path, path: Path, what: str) -> Path:
    """``path`` if it stays inside the output folder ``out``; else an error."""
    if not is_inside(out, path):
        raise UsageError(f"{what} would be written outside the output folder, to "
                         f"{os.path.realpath(path)}", path=str(out),
                         hint="ids and names become file names: use lower-case letters, "
                              "digits and '-'")
    return path


def check_out_folder(root: Path, out: Path) -> Path:
    """The build's output folder: not inside the sources, and a folder if it exists."""
    for name in SOURCE_FOLDERS:
        if is_inside(root / name, out):
            raise UsageError(f"the output folder is inside {name}/: a build would litter "
                             "the sources", path=str(out),
                             hint="build into dist/ (the default) or a folder outside "
                                  "seeds/, locales/ and templates/")
    if out.exists() and not out.is_dir():
        raise UsageError("the output folder is a file", path=str(out),
                         hint="remove it, or pass another folder with --out")
    return out


def check_output_files(out: Path, paths) -> None:
    """Each file a build will write is a file or absent, never a folder, and stays inside
    ``out`` once resolved (a symlink there is not written through to elsewhere).  Checked
    before any work, so that such a build stops at once with one error."""
    resolved_out = os.path.realpath(out)        # once: an edition has many outputs
    for path in paths:
        if Path(path).is_dir():
            raise UsageError("an output file of the build is a folder", path=str(path),
                             hint="remove or rename the folder")
        if not _inside_resolved(resolved_out, path):
            raise UsageError(f"an output file of the build leads outside the output folder, "
                             f"to {os.path.realpath(path)}", path=str(path),
                             hint="remove the symbolic link")
