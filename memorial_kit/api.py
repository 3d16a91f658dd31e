"""The small public Python API the CLI is a thin layer over."""
from __future__ import annotations

import dataclasses
import difflib
import inspect

from . import merge
from .extract import extract as write_templates
from .errors import UsageError
from .workspace import Workspace

FORMATS = ("html", "pdf", "png")


def workspace(root=None) -> Workspace:
    return Workspace.at(root)


def extract(ws: Workspace, memorial: str | None = None):
    return write_templates(ws, memorial)


def init(ws: Workspace, locale: str, translator: str | None = None):
    return merge.init(ws, locale, translator)


def update(ws: Workspace, locales=None):
    return merge.update(ws, locales)


def compile(ws: Workspace, locales=None):  # noqa: A001 - the command's name
    return merge.compile_catalogs(ws, locales)


def stats(ws: Workspace, locales=None):
    return merge.stats(ws, locales)


def parse_formats(text: str) -> tuple[str, ...]:
    formats = tuple(f.strip() for f in text.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UsageError(f"unknown format {', '.join(unknown) or text!r}",
                         hint="--format takes html, pdf and png, comma-separated")
    return formats


def build(ws: Workspace, **options):
    """Build products; options are BuildRequest's (memorial, locales, products, formats...)."""
    from .build import BuildRequest, run_build
    _check_options("build", options, [f.name for f in dataclasses.fields(BuildRequest)])
    return run_build(ws, BuildRequest(**options))


def memorial(ws: Workspace, slug: str):
    return ws.memorial(slug)


def check(ws: Workspace, locales=None, memorial: str | None = None, render: bool = True):
    """The findings of every check (see memorial_kit.checks.findings for the codes)."""
    from .checks import run_checks
    return run_checks(ws, locales, memorial, render=render)


def new(ws: Workspace, slug: str, article_path, **origin):
    """Create seeds/<slug>/ with the article and a drafted memorial.toml; ``origin``:
    source_url, revision, wikitext (see drafting.new_memorial).  Returns the paths and
    the drafting report."""
    from .drafting import new_memorial
    takes = [p.name for p in inspect.signature(new_memorial).parameters.values()
             if p.kind is p.KEYWORD_ONLY]
    _check_options("new", origin, takes)
    return new_memorial(ws, slug, article_path, **origin)


def _check_options(function: str, given: dict, known: list[str]) -> None:
    """UsageError naming the keyword options of ``given`` that ``function`` does not take
    (a misspelling, with the option meant) and the ones it takes."""
    unknown = [name for name in given if name not in known]
    if not unknown:
        return
    close = difflib.get_close_matches(unknown[0], known, n=1, cutoff=0.6)
    meant = f" (did you mean '{close[0]}'?)" if close and len(unknown) == 1 else ""
    raise UsageError(f"unknown option{'s' * (len(unknown) > 1)} of {function}(): "
                     f"{', '.join(map(repr, unknown))}{meant}",
                     hint=f"the options of {function}(): {', '.join(known[:-1])} and {known[-1]}")
