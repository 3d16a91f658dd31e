"""The command line: parse arguments, call the API, print, map errors to exit codes.

Exit codes: 0 success, 1 findings of error severity (check) or products that
failed (build), 2 bad usage or unreadable input.
"""
from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import sys

from . import __version__, api, processes
from .errors import MemorialKitError, UsageError

EXAMPLES = {
    "extract": "memorial-kit extract            # write locales/*.pot from seeds/ and templates/",
    "init": "memorial-kit init de            # start German catalogs from the templates",
    "update": "memorial-kit update lt ru       # merge new source text into lt and ru catalogs",
    "compile": "memorial-kit compile            # write .mo files beside every .po",
    "stats": "memorial-kit stats --json       # translated / fuzzy / untranslated per catalog",
    "build": "memorial-kit build --locale lt --product plaque --format pdf,png",
    "check": "memorial-kit check lt --json    # findings in the Lithuanian catalogs and products",
    "pseudo": "memorial-kit pseudo             # write the qps pseudo-locale to test fit and glyphs",
    "preview": "memorial-kit preview lt         # build lt fast and print the preview paths",
    "new": "memorial-kit new my-memorial --article article.txt",
    "serve": "memorial-kit serve --locale lt   # live preview on http://127.0.0.1:8000/",
}


class Output:
    """Where every line the CLI prints goes through: quiet, verbose, colour, JSON.

    Each line is flushed as it is printed: in a pipe (``| tee build.log``, a CI log) each
    job's line arrives when the job ends, not all at once when the command exits, and
    in the order it has among the errors printed on stderr."""

    def __init__(self, quiet=False, verbose=False, stream=None, err=None):
        self.quiet, self.verbose = quiet, verbose
        self.stream = stream or sys.stdout
        self.err = err or sys.stderr
        self.color = (self.err.isatty() and "NO_COLOR" not in os.environ
                      and os.environ.get("TERM") != "dumb")

    def line(self, text: str = "") -> None:
        if not self.quiet:
            print(text, file=self.stream, flush=True)

    def bar(self, text: str, done: int | None = None, total: int | None = None) -> None:
        """A progress bar on stderr, drawn only on a terminal (CI logs get none)."""
        if self.quiet or not self.err.isatty() or done is None or not total:
            return
        width = 24
        filled = width * done // total
        print(f"\r\033[K[{'#' * filled}{'-' * (width - filled)}] {done}/{total} "
              f"{text.split(':')[0]}", end="", file=self.err, flush=True)
        if done == total:
            print("\r\033[K", end="", file=self.err, flush=True)

    def progress_line(self, text: str, done: int | None = None, total: int | None = None) -> None:
        """On a terminal a progress bar and what failed or was skipped; in a pipe, every line."""
        if self.quiet:
            return
        self.bar(text, done, total)
        if not self.err.isatty() or self.verbose or not text.startswith(("built", "unchanged")):
            print(text, file=self.stream, flush=True)

    def detail(self, text: str) -> None:
        if self.verbose and not self.quiet:
            print(text, file=self.stream, flush=True)

    def json(self, data) -> None:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str), file=self.stream)

    def error(self, exc: MemorialKitError) -> None:
        label = "\033[31merror\033[0m" if self.color else "error"
        where = exc.location
        print(f"{where}: {label}: {exc.message}" if where else f"{label}: {exc.message}",
              file=self.err)
        if exc.hint:
            print(f"  hint: {exc.hint}", file=self.err)


class _Parser(argparse.ArgumentParser):
    """argparse, with "did you mean" for a mistyped command, option or choice."""

    argv: list[str] = []                # what is being parsed, for the suggestions

    def error(self, message: str):
        if message.startswith("the following arguments are required: COMMAND"):
            # no command: an option before it that is not one, e.g. --verison
            known = [o for a in self._actions for o in a.option_strings]
            unknown = [a for a in self.argv if a.startswith("--") and a.split("=")[0] not in known]
            if unknown:
                message = f"unrecognized arguments: {unknown[0]}"
        super().error(message + _suggestion(message, self))


def _suggestion(message: str, parser: argparse.ArgumentParser) -> str:
    choice = re.search(r"invalid choice: '(.*?)' \(choose from (.*)\)", message)
    if choice:
        wrong, known = choice.group(1), re.findall(r"'(.*?)'", choice.group(2))
    else:
        unknown = re.match(r"unrecognized arguments: (\S+)", message)
        if not unknown:
            return ""
        wrong = unknown.group(1).split("=")[0]
        known = [o for a in parser._actions for o in a.option_strings]
    close = difflib.get_close_matches(wrong, known, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _common_options(defaults: bool) -> argparse.ArgumentParser:
    """--root, --quiet and --verbose: accepted before the command and after it.  After it
    they default to "not given", so as not to undo the same option given before it."""
    parent = argparse.ArgumentParser(add_help=False)
    given = {} if defaults else {"default": argparse.SUPPRESS}
    parent.add_argument("--root", metavar="DIR", help="workspace folder (default: the one "
                        "holding the current folder)", **({"default": None} if defaults else given))
    parent.add_argument("-q", "--quiet", action="store_true", help="print errors only", **given)
    parent.add_argument("-v", "--verbose", action="store_true", help="print more detail", **given)
    return parent


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="memorial-kit", parents=[_common_options(True)],
        description="Memorial articles and inscriptions to gettext catalogs and print products.",
        epilog="Run 'memorial-kit COMMAND --help' for a command's options and an example.")
    parser.add_argument("--version", action="version", version=f"memorial-kit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True,
                                parser_class=_Parser)
    parser.commands = {}
    after = _common_options(False)

    def command(name, help_text):
        p = sub.add_parser(name, help=help_text, description=help_text, parents=[after],
                           epilog=f"example:\n  {EXAMPLES[name]}",
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        parser.commands[name] = p
        return p

    p = command("extract", "write the translation templates (.pot) from seeds and templates")
    p.add_argument("--memorial", metavar="M", help="only this memorial")
    _json(p)
    p = command("init", "start the catalogs of a new language")
    p.add_argument("locale", metavar="LOCALE")
    p.add_argument("--translator", metavar="'NAME <EMAIL>'", help="Last-Translator header")
    _json(p)
    p = command("update", "merge the templates into the catalogs (msgmerge semantics)")
    p.add_argument("locales", nargs="*", metavar="LOCALE")
    _json(p)
    p = command("compile", "compile the catalogs to .mo files")
    p.add_argument("locales", nargs="*", metavar="LOCALE")
    _json(p)
    p = command("stats", "translated, fuzzy and untranslated messages and words")
    p.add_argument("locales", nargs="*", metavar="LOCALE")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = command("build", "render leaflets, plaques and labels to HTML, PDF and PNG")
    _build_options(p)
    p = command("check", "check catalogs and products: inscriptions, facts, typography, "
                         "glyphs and fit")
    p.add_argument("locales", nargs="*", metavar="LOCALE")
    p.add_argument("--memorial", metavar="M", help="only this memorial")
    p.add_argument("--json", action="store_true", help="print the findings as JSON")
    p.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    p.add_argument("--no-render", action="store_true",
                   help="do not lay the products out as PDF (skips the fit checks)")
    p = command("pseudo", "write a pseudo-translation (accented, longer, bracketed) "
                          "to test fit and glyphs")
    p.add_argument("--locale", default=None, metavar="LOCALE",
                   help="the pseudo-locale (default: qps, or qps_XB with --rtl)")
    p.add_argument("--rtl", action="store_true",
                   help="a mirrored right-to-left pseudo-locale (as Android's ar-XB): the "
                        "pages are laid out right to left, each word reads backwards")
    _json(p)
    p = command("new", "start a new memorial from an article (seed format or wikitext)")
    p.add_argument("slug", metavar="SLUG", help="the memorial's name: lower-case letters, digits, '-'")
    p.add_argument("--article", required=True, metavar="PATH", help="the article to start from")
    p.add_argument("--wikitext", action="store_true", default=None,
                   help="the article is MediaWiki wikitext (detected when not given)")
    p.add_argument("--source-url", metavar="URL", help="where the article comes from (provenance)")
    p.add_argument("--revision", metavar="ID", help="the source's revision (provenance)")
    _json(p)
    p = command("preview", "build one language's products fast and print the preview paths")
    p.add_argument("locale", metavar="LOCALE")
    p.add_argument("--memorial", metavar="M", help="only this memorial")
    p.add_argument("--allow-fallback", action="store_true",
                   help="preview with missing translations in English")
    _json(p)
    p = command("serve", "serve the edition on 127.0.0.1, rebuilt and reloaded as its "
                         "sources change, with each page's findings beside it")
    p.add_argument("--port", type=int, default=8000, metavar="N",
                   help="the port (default: 8000; 0: any free port)")
    p.add_argument("--host", default="127.0.0.1", metavar="ADDRESS",
                   help="the address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--memorial", metavar="M", help="only this memorial")
    p.add_argument("--locale", nargs="+", metavar="LL", help="only these locales")
    p.add_argument("--format", default="html,pdf,png", metavar="html,pdf,png",
                   help="formats to keep current (default: html,pdf,png; html is always made)")
    return parser


def _json(p) -> None:
    p.add_argument("--json", action="store_true", help="print a JSON report")


def _build_options(p) -> None:
    p.add_argument("--memorial", metavar="M", help="only this memorial")
    p.add_argument("--locale", metavar="LOCALE", action="append",
                   help="only this locale (repeatable)")
    p.add_argument("--product", choices=["leaflet", "plaque", "labels", "press", "archive"],
                   action="append",
                   help="only this product (repeatable)")
    p.add_argument("--format", default="html,pdf,png", metavar="html,pdf,png",
                   help="output formats (default: html,pdf,png)")
    p.add_argument("--out", metavar="DIR", help="output folder (default: dist/)")
    p.add_argument("--allow-fallback", action="store_true",
                   help="print missing translations in English (marked lang=en) instead of "
                        "skipping the product")
    p.add_argument("--serial", action="store_true", help="build in this process, one at a time")
    p.add_argument("--force", action="store_true", help="rebuild even what is up to date")
    p.add_argument("--json", action="store_true", help="print a JSON report")


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parse(argv)
    except SystemExit as exc:           # --help, --version, or bad usage (argparse printed it)
        return exc.code if isinstance(exc.code, int) else 2
    except KeyboardInterrupt:           # Ctrl-C while the arguments were read
        print("interrupted", file=sys.stderr)
        return 130
    out = Output(args.quiet, args.verbose)
    try:
        ws = api.workspace(args.root)
        with processes.private_temp(ws.state, sweep=(ws.locales, ws.seeds)):  # see processes
            return HANDLERS[args.command](ws, args, out)
    except MemorialKitError as exc:
        out.error(exc)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:            # `memorial-kit stats | head`: the reader left
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:             # a user's path the kit did not foresee: one line
        out.error(MemorialKitError(exc.strerror or str(exc), path=exc.filename))
        return 2


def _parse(argv: list[str] | None) -> argparse.Namespace:
    """The arguments; an option the command does not know is reported with the
    command's own usage (argparse alone would print the top-level one)."""
    parser = _parser()
    parser.argv = list(sys.argv[1:] if argv is None else argv)
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        parser.commands[args.command].error(f"unrecognized arguments: {' '.join(unknown)}")
    return args


def _files(results, out: Output, as_json: bool = False) -> int:
    if as_json:
        out.json([{"path": r.path, "changed": r.changed, "detail": r.detail} for r in results])
        return 0
    for result in results:
        state = "wrote" if result.changed else "skip " if result.skipped else "kept "
        out.line(f"{state} {result.path}" + (f"  ({result.detail})" if result.detail else ""))
    return 0


def cmd_extract(ws, args, out):
    return _files(api.extract(ws, args.memorial), out, args.json)


def cmd_init(ws, args, out):
    return _files(api.init(ws, args.locale, args.translator), out, args.json)


def cmd_update(ws, args, out):
    return _files(api.update(ws, args.locales or None), out, args.json)


def cmd_compile(ws, args, out):
    return _files(api.compile(ws, args.locales or None), out, args.json)


def cmd_stats(ws, args, out):
    rows = api.stats(ws, args.locales or None)
    if args.json:
        out.json([row.as_dict() for row in rows])
        return 0
    out.line(f"{'locale':<7}{'domain':<20}{'translated':>11}{'fuzzy':>7}{'untransl.':>10}"
             f"{'words':>14}{'%':>7}")
    for row in rows:
        words = f"{row.translated_words}/{row.translated_words + row.fuzzy_words + row.untranslated_words}"
        out.line(f"{row.locale:<7}{row.domain:<20}{row.translated:>11}{row.fuzzy:>7}"
                 f"{row.untranslated:>10}{words:>14}{row.percent:>7.1f}")
    return 0


def cmd_build(ws, args, out):
    from .build import BuildRequest, run_build
    request = BuildRequest(memorial=args.memorial, locales=args.locale, products=args.product,
                           formats=api.parse_formats(args.format), out=args.out,
                           allow_fallback=args.allow_fallback, parallel=not args.serial,
                           force=args.force)
    report = run_build(ws, request, progress=None if args.json else out.progress_line)
    if args.json:
        out.json(report.as_dict())
    else:
        for line in report.summary_lines(details=False):
            out.line(line)
    return 1 if report.failed else 0


def cmd_check(ws, args, out):
    from .checks import exit_code, run_checks, summary
    findings = run_checks(ws, args.locales or None, args.memorial, render=not args.no_render,
                          progress=None if args.json else out.bar)
    if args.json:
        out.json([f.as_dict() for f in findings])
        return exit_code(findings, args.strict)
    for finding in findings:
        for line in finding.lines():
            if out.quiet and finding.severity == "error":
                print(line, file=out.stream)      # -q still shows what fails the check
            else:
                out.line(line)
    counts = summary(findings)
    locales = sorted({f.locale for f in findings if f.locale})
    out.line(f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} info"
             + (f" ({', '.join(locales)})" if locales else ""))
    return exit_code(findings, args.strict)


def cmd_pseudo(ws, args, out):
    from .pseudo import write_pseudo
    from .locales import PSEUDO_LOCALE, PSEUDO_RTL_LOCALE
    locale = args.locale or (PSEUDO_RTL_LOCALE if args.rtl else PSEUDO_LOCALE)
    return _files(write_pseudo(ws, locale, rtl=args.rtl), out, args.json)


def cmd_new(ws, args, out):
    from .drafting import new_memorial
    made = new_memorial(ws, args.slug, args.article, source_url=args.source_url,
                        revision=args.revision, wikitext=args.wikitext)
    paths = made.paths
    article = ws.relative(paths[0].parent / "article.txt")
    if args.json:
        out.json({"memorial": args.slug, "files": [ws.relative(p) for p in paths],
                  "found": [{"line": n, "what": w} for n, w in made.report.found],
                  "skipped": [{"line": n, "text": t, "why": w} for n, t, w in made.report.skipped],
                  "confirm": made.report.confirm})
        return 0
    out.line(f"drafting report ({article}):")
    for line in made.report.lines(article):
        out.line("  " + line)
    for path in paths:
        out.line(f"wrote {ws.relative(path)}")
    out.line(f"next: check the values marked CONFIRM in {ws.relative(paths[-1])}, then run "
             f"'memorial-kit extract' and 'memorial-kit init LL' for each language")
    return 0


def cmd_preview(ws, args, out):
    from .build import BuildRequest, run_build
    _require_locale(ws, args.locale, args.memorial)
    request = BuildRequest(memorial=args.memorial, locales=[args.locale],
                           formats=("html", "pdf", "png"), allow_fallback=args.allow_fallback)
    report = run_build(ws, request, progress=None)
    previews = [p for r in report.results for p in r.outputs if p.endswith((".png", ".html"))]
    if args.json:
        out.json({"previews": previews, "report": report.as_dict()})
    else:
        for path in previews:
            out.line(str(ws.root / path))
        for result in report.results:
            if result.status in ("skipped", "failed"):
                out.line(f"{result.status} {result.job}: {result.reason}")
    return 1 if report.failed else 0


def cmd_serve(ws, args, out):
    from .serve import ServeOptions, serve, warn_if_exposed
    if args.memorial:
        ws.memorial(args.memorial)
    for locale in args.locale or []:
        _require_locale(ws, locale, args.memorial)
    formats = tuple(dict.fromkeys(("html",) + api.parse_formats(args.format)))
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} is not a port", hint="use 1-65535, or 0 for any free one")
    warn_if_exposed(args.host, out.err)

    def say(text: str, error: bool = False) -> None:
        if error:
            print(text, file=out.err, flush=True)
        elif not out.quiet:
            print(text, file=out.stream, flush=True)
    return serve(ws, ServeOptions(args.host, args.port, args.memorial,
                                  list(dict.fromkeys(args.locale)) if args.locale else None,
                                  formats), say)


def _require_locale(ws, locale: str, only: str | None) -> None:
    """A locale no memorial's manifest lists would build nothing: say so, and where."""
    from .locales import PSEUDO_LOCALE, check_locale
    check_locale(locale)
    memorials = ws.memorials(only)
    if not memorials or any(locale in m.locales for m in memorials):
        return
    if locale == PSEUDO_LOCALE and any(ws.po_path(locale, m.domain).exists() for m in memorials):
        return
    first = memorials[0]
    names = (f"{first.slug}'s manifest" if len(memorials) == 1
             else f"the manifest of any memorial ({', '.join(m.slug for m in memorials)})")
    raise UsageError(f"{locale!r} is not a locale of {names}: its locales are "
                     f"{', '.join(first.locales)}", path=ws.relative(first.manifest_path),
                     line=first.locales_line or None,
                     hint=f"add \"{locale}\" to locales there, then run 'memorial-kit init {locale}'")


HANDLERS = {"extract": cmd_extract, "init": cmd_init, "update": cmd_update,
            "compile": cmd_compile, "stats": cmd_stats, "build": cmd_build,
            "check": cmd_check, "pseudo": cmd_pseudo, "new": cmd_new, "preview": cmd_preview,
            "serve": cmd_serve}


if __name__ == "__main__":
    sys.exit(main())
