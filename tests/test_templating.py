"""The Jinja2 environment: filters in the page's language, and template faults as path:line."""
from __future__ import annotations

import pytest

from conftest import copy_workspace
from memorial_kit import api
from memorial_kit.errors import RenderError, TemplateError
from memorial_kit.language import Passage, make_lang
from memorial_kit.manifest import load_memorial
from memorial_kit.templating import css_counters, environment, render_template


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    root = copy_workspace(tmp_path_factory.mktemp("templating") / "ws")
    ws = api.workspace(root)
    memorial = load_memorial(root / "seeds" / "vorkuta-uprising", root)
    return ws, {code: make_lang(ws, memorial, code) for code in ("ru", "en", "lt")}


def test_a_format_filter_without_a_page_language_is_an_error(kit):
    ws, _ = kit
    with pytest.raises(RenderError, match="the filter 'number' needs a page language"):
        environment(ws.templates).from_string("{{ 5|number }}").render()


def test_output_is_escaped_and_plain_gives_a_passages_text(kit):
    ws, _ = kit
    template = environment(ws.templates).from_string('<p title="{{ p|plain }}">{{ p }} {{ raw }}</p>')
    passage = Passage('<span lang="en" class="fallback">Facts &amp; "figures"</span>',
                      'Facts & "figures"')
    assert template.render(p=passage, raw="<script>") == (
        '<p title="Facts &amp; &#34;figures&#34;"><span lang="en" class="fallback">Facts &amp; '
        '"figures"</span> &lt;script&gt;</p>')


def test_a_page_number_line_becomes_css_counters_and_quoted_strings():
    assert css_counters("Page \x01 of \x02") == '"Page " counter(page) " of " counter(pages)'
    assert css_counters('\x01 "a\\b" <c>') == 'counter(page) " \\"a\\\\b\\" \\3c c\\3e "'
    assert css_counters(Passage("<span>x</span>", "")) == '""'


def test_template_faults_name_their_file_and_line(kit, tmp_path):
    ws, _ = kit
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "broken.html.j2").write_text("<p>\n{% if %}\n</p>\n", "utf-8")
    (templates / "unknown.html.j2").write_text("<p>\n\n{{ nothing_given }}</p>\n", "utf-8")
    env = environment(templates)
    with pytest.raises(TemplateError) as syntax:
        render_template(env, "broken.html.j2", {}, templates)
    assert (syntax.value.path, syntax.value.line) == ("templates/broken.html.j2", 2)
    with pytest.raises(TemplateError) as unknown:
        render_template(env, "unknown.html.j2", {}, templates)
    assert (unknown.value.path, unknown.value.line) == ("templates/unknown.html.j2", 3)
    assert "nothing_given" in unknown.value.message
    with pytest.raises(TemplateError, match="template 'missing.html.j2' not found"):
        render_template(env, "missing.html.j2", {}, templates)


def test_the_sandbox_keeps_templates_from_the_kits_internals(kit, tmp_path):
    ws, langs = kit
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "internals.html.j2").write_text("{{ lang._memorial.table }}\n", "utf-8")
    with pytest.raises(TemplateError) as refused:
        render_template(environment(templates), "internals.html.j2", {"lang": langs["ru"]},
                        templates)
    assert refused.value.path == "templates/internals.html.j2" and refused.value.line == 1
    assert "_memorial" in refused.value.message


def test_babel_filters_format_in_the_page_language():
    import datetime as dt
    from memorial_kit.workspace import Workspace
    from conftest import ROOT
    ws = Workspace.at(ROOT)
    memorial = ws.memorial("vorkuta-uprising")
    env = environment(ws.templates)
    template = env.from_string("{{ 62700|number }}|{{ 0.25|percent }}|{{ a|date_interval(b) }}"
                               "|{{ a|month_year }}|{{ names|format_list }}|{{ 62700|number(lang=en) }}")
    en = make_lang(ws, memorial, "en")
    out = {code: template.render(lang=make_lang(ws, memorial, code), en=en,
                                 a=dt.date(1953, 7, 19), b=dt.date(1953, 8, 1),
                                 names=["Vilnius", "Vorkuta"]).split("|")
           for code in ("lt", "ru", "en")}
    assert out["lt"] == ["62\u00a0700", "25\u00a0%", "1953 m. liepos 19 d. – rugpjūčio 1 d.",
                         "1953 m. liepa", "Vilnius ir Vorkuta", "62,700"]
    assert out["ru"][0] == "62\u00a0700" and out["ru"][2] == "19 июля – 1 августа 1953\u202fг."
    assert out["en"][:3] == ["62,700", "25%", "July 19 – August 1, 1953"]
