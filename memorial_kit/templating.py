"""The Jinja2 environment the templates are rendered in, its filters, and template
errors as ``path:line`` errors: the only module that sets Jinja2 up.

The environment is sandboxed and autoescaped, with the i18n extension's new-style
``gettext``; the filters format in the page's language (``{{ 62700|number }}``,
``{{ d|date(lang=secondary) }}``), give a passage's plain text (``plain``), isolate a
value alone in its block where isolation can matter (``isolated_alone``) and make a
translated "Page 1 of 4" a CSS content value (``css_counters``).
"""
from __future__ import annotations

import re
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from .errors import RenderError, TemplateError
from .language import Lang, isolated_alone, plain_text


def environment(templates: Path) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True, lstrip_blocks=True)
    env.policies["ext.i18n.trimmed"] = True
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.filters.update(BABEL_FILTERS)
    env.filters["plain"] = plain_text       # attribute values: {{ gettext("Facts")|plain }}
    env.filters["css_counters"] = css_counters    # @page content: "Page 1 of 4"
    # a value that is the whole text of its block: {{ row.date|isolated_alone(s.dir) }}
    env.filters["isolated_alone"] = isolated_alone
    return env


def _in_lang(method: str):
    """A filter that formats in the language of the page (the context's ``lang``), or of
    the ``lang`` given: ``{{ 62700|number }}``, ``{{ d|date(lang=secondary) }}``."""
    @jinja2.pass_context
    def formatter(context, value, *args, lang: "Lang | None" = None):
        target = lang or context.get("lang")
        if not isinstance(target, Lang):
            raise RenderError(f"the filter {method!r} needs a page language")
        return getattr(target, method)(value, *args)
    formatter.__name__ = method
    return formatter


# Babel's formats in the current language, as filters: numbers, percentages, dates, date
# intervals (``start|date_interval(end)``), month and year, and lists (``format_list``:
# Jinja's own ``list`` filter stays).
BABEL_FILTERS = {"number": _in_lang("number"), "percent": _in_lang("percent"),
                 "date": _in_lang("date"), "date_interval": _in_lang("period"),
                 "month_year": _in_lang("month_year"), "format_list": _in_lang("list")}


def render_template(env: SandboxedEnvironment, name: str, context: dict, templates: Path) -> str:
    """Render ``name``; template faults become TemplateError with file and line."""
    try:
        template = env.get_template(name)
        return template.render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"template syntax error: {exc.message}",
                            path=_template_path(templates, exc.filename or name),
                            line=exc.lineno) from None
    except jinja2.UndefinedError as exc:
        path, line = _template_frame(exc, templates, name)
        raise TemplateError(f"unknown variable: {exc.message}", path=path, line=line,
                            hint="templates may use only what the render context gives") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template {exc.name!r} not found",
                            path=_template_path(templates, name)) from None
    except jinja2.exceptions.SecurityError as exc:
        path, line = _template_frame(exc, templates, name)
        raise TemplateError(f"unsafe template operation: {exc}", path=path, line=line) from None


def _template_path(templates: Path, filename: str) -> str:
    path = Path(filename)
    if not path.is_absolute():
        path = templates / path
    try:
        return str(path.relative_to(templates.parent))
    except ValueError:
        return str(path)


def _template_frame(exc: Exception, templates: Path, name: str) -> tuple[str, int | None]:
    """The template file and line of the innermost template frame of ``exc``."""
    tb, found = exc.__traceback__, (name, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(str(templates)) or filename.endswith(".j2"):
            found = (filename, tb.tb_lineno)
            template = tb.tb_frame.f_globals.get("__jinja_template__")
            if template is not None:
                found = (filename, template.get_corresponding_lineno(tb.tb_lineno))
        tb = tb.tb_next
    return _template_path(templates, found[0]), found[1]


def css_counters(value) -> Markup:
    """A translated "Page \\x01 of \\x02" as a CSS content value with page counters: CSS
    strings of the translation's plain text (a fallback's marking is HTML, not text)."""
    text = plain_text(value)
    pieces = []
    for part in re.split("([\x01\x02])", text):
        if part == "\x01":
            pieces.append("counter(page)")
        elif part == "\x02":
            pieces.append("counter(pages)")
        elif part:
            quoted = (part.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
                      .replace("<", "\\3c ").replace(">", "\\3e "))
            pieces.append(f'"{quoted}"')
    return Markup(" ".join(pieces) or '""')
