"""memorial-kit check: a correct catalog gives no errors; each injected defect is found
at its file and line, with the code a script can rely on."""
import json
import re
import shutil

import pytest

from memorial_kit import merge, messages, po
from memorial_kit.checks import CODES, exit_code, run_checks
from memorial_kit.checks import numbers as nums
from memorial_kit.checks.catalog import describe_difference
from memorial_kit.checks.entries import EntryContext, bracket_problem, check_entry
from memorial_kit.cli import main
from memorial_kit.workspace import Workspace

from conftest import copy_workspace, run_kit

DOMAIN = "vorkuta-uprising"
LT = "locales/lt/LC_MESSAGES/vorkuta-uprising.po"
LT_KIT = "locales/lt/LC_MESSAGES/memorial-kit.po"
QUOTES = {"lt": ("„", "“"), "ru": ("«", "»"), "la": ("“", "”")}


# --------------------------------------------------------------------------
# A correct, complete translation built in the test (not the shipped one)
# --------------------------------------------------------------------------
def _translate(text: str, locale: str, names: dict) -> str:
    """A 'translation' that a careful translator could have written: the source with the
    language's quotation marks and its spelling of the proper names."""
    opening, closing = QUOTES[locale]
    text = re.sub(r'"([^"]*)"|“([^”]*)”', lambda m: opening + (m[1] or m[2] or "") + closing,
                  text)
    for name, stem in names.items():
        text = re.sub(r"(?<!\w)" + re.escape(name) + r"(?!\w)", stem, text)
    return text


def fill_catalogs(root, locales=("lt", "ru", "la")):
    """Fresh catalogs from the templates for ``locales``, every entry translated correctly."""
    ws = Workspace(root)
    memorial = ws.memorial(DOMAIN)
    for locale in locales:
        shutil.rmtree(root / "locales" / locale, ignore_errors=True)
        merge.init(ws, locale)
        carved = {(messages.inscription(m.id, f.id), f.gloss): f.inscriptions[locale]
                  for m in memorial.monuments for f in m.faces if locale in f.inscriptions}
        names = memorial.names.get(locale, {})
        for domain in ("vorkuta-uprising", "memorial-kit"):
            path = ws.po_path(locale, domain)
            catalog = po.read_po(path.read_bytes(), str(path))
            for entry in catalog.entries:
                if entry.key in carved:
                    entry.msgstr = carved[entry.key]
                elif entry.msgid_plural:
                    entry.msgstr_plural = [_translate(entry.msgid if i == 0 else entry.msgid_plural,
                                                      locale, names)
                                           for i in range(len(entry.msgstr_plural))]
                else:
                    entry.msgstr = _translate(entry.msgid, locale, names)
            path.write_bytes(po.write_po(catalog))
    return ws


@pytest.fixture(scope="module")
def clean_root(tmp_path_factory):
    root = copy_workspace(tmp_path_factory.mktemp("clean") / "ws")
    fill_catalogs(root)
    return root


@pytest.fixture
def ws(clean_root, tmp_path):
    """A private copy of the correctly translated workspace."""
    root = tmp_path / "ws"
    shutil.copytree(clean_root, root)
    return Workspace(root)


def edit(ws, path, msgctxt, msgid_start, change, flags=None):
    """Change one entry's msgstr with ``change(msgstr) -> msgstr``; return its line."""
    full = ws.root / path
    catalog = po.read_po(full.read_bytes(), path)
    entry = next(e for e in catalog.entries if e.msgctxt == msgctxt
                 and e.msgid.startswith(msgid_start) and not e.obsolete)
    if entry.msgid_plural:
        entry.msgstr_plural = [change(form) for form in entry.msgstr_plural]
    else:
        entry.msgstr = change(entry.msgstr)
    if flags is not None:
        entry.flags = flags
    full.write_bytes(po.write_po(catalog))
    return po.read_po(full.read_bytes(), path).get(entry.msgctxt, entry.msgid).line


def found(findings, code):
    return [f for f in findings if f.code == code]


def only(findings, code):
    hits = found(findings, code)
    assert len(hits) == 1, [f.lines() for f in findings if f.severity != "info"]
    return hits[0]


def target_findings(findings):
    """Findings about the translations (the article's own findings have no locale)."""
    return [f for f in findings if f.locale is not None]


# --------------------------------------------------------------------------
# Clean
# --------------------------------------------------------------------------
def test_clean_catalogs_give_no_errors_and_no_warnings(clean_root):
    findings = run_checks(Workspace(clean_root))
    noisy = [f.lines() for f in target_findings(findings) if f.severity != "info"]
    assert noisy == []
    coverage = {f.locale: f.message for f in found(findings, "coverage")}
    assert coverage["lt"] == "lt: leaflet, plaque, labels lt-en can ship"
    assert coverage["ru"] == "ru: leaflet, plaque, labels ru-en can ship"
    assert coverage["la"] == "la: leaflet, plaque can ship"
    assert not found(findings, "fit-skipped")
    assert exit_code(findings) == 0


def test_source_findings_of_the_article_are_reported(clean_root):
    findings = run_checks(Workspace(clean_root), ["lt"], render=False)
    mismatch = only(findings, "source-count-mismatch")
    assert mismatch.severity == "warning" and mismatch.path == "seeds/vorkuta-uprising/article.txt"
    assert mismatch.line == 13 and mismatch.locale is None
    assert found(findings, "source-missing-name") and found(findings, "source-gloss-corrected")


def test_every_code_has_a_severity():
    assert all(severity in ("error", "warning", "info") for severity, _ in CODES.values())


# --------------------------------------------------------------------------
# Carved inscriptions
# --------------------------------------------------------------------------
FRONT = "inscription: yurshor, front face"


def test_a_changed_diacritic_in_a_carved_line_is_an_error_at_its_line(ws):
    line = edit(ws, LT, FRONT, "Fatherland", lambda s: s.replace("Tėvynė", "Tevynė"))
    f = only(run_checks(ws, ["lt"], render=False), "inscription-changed")
    assert (f.severity, f.path, f.line, f.msgctxt) == ("error", LT, line, FRONT)
    assert "at character 2, expected 'ė' U+0117" in f.message and "found 'e' U+0065" in f.message
    assert "Tėvynė Lietuva didžiuojasi" in f.suggestion


def test_a_decomposed_carved_line_is_the_same_text():
    assert describe_difference("Tėvynė", "Tėvynė") == ""


def test_a_fuzzy_or_empty_carved_line_is_missing(ws):
    line = edit(ws, LT, FRONT, "Fatherland", lambda s: s, flags=["fuzzy"])
    edit(ws, LT, "inscription: yurshor, back face", "Fatherland", lambda s: "")
    findings = run_checks(ws, ["lt"], render=False)
    missing = found(findings, "inscription-missing")
    assert [(f.line, f.severity) for f in missing][0] == (line, "error") and len(missing) == 2
    assert not found(findings, "fuzzy") and not found(findings, "untranslated")


def test_the_gloss_in_a_language_that_is_not_carved_is_translated_freely(ws):
    edit(ws, "locales/ru/LC_MESSAGES/vorkuta-uprising.po", FRONT, "Fatherland",
         lambda s: "Отчизна Литва гордится")
    assert not target_findings([f for f in run_checks(ws, ["ru"], render=False)
                                if f.severity != "info"])


# --------------------------------------------------------------------------
# Facts
# --------------------------------------------------------------------------
BACKGROUND = "Vorkuta Rechlag or Special Camp"


def test_a_changed_number_is_an_error(ws):
    line = edit(ws, LT, None, BACKGROUND, lambda s: s.replace("62,700", "62,800"))
    findings = run_checks(ws, ["lt"], render=False)
    f = only(findings, "number-changed")
    assert (f.path, f.line, f.severity) == (LT, line, "error")
    assert "62,700" in f.message and "62,800" in f.message
    assert not found(findings, "number-added")


def test_a_dropped_number_is_an_error(ws):
    line = edit(ws, LT, None, BACKGROUND, lambda s: s.replace("consisted of 17 separate",
                                                             "consisted of separate"))
    f = only(run_checks(ws, ["lt"], render=False), "number-changed")
    assert (f.path, f.line) == (LT, line) and "lacks" in f.message and "17" in f.message


def test_an_added_number_is_an_error(ws):
    line = edit(ws, LT, None, BACKGROUND, lambda s: s.replace("coal mining", "coal mining (300 t)"))
    f = only(run_checks(ws, ["lt"], render=False), "number-added")
    assert (f.path, f.line, f.severity) == (LT, line, "error") and "300" in f.message


def test_numbers_are_read_as_each_language_writes_them(ws):
    source = "In 1946 it housed 62,700 inmates, 56,000 in July 1953."
    for written in ("62 700", "62.700", "62\u00a0700", "62\u202f700"):
        diff = nums.compare(source, f"1946 m. – {written} kalinių, 1953 m. liepą – 56 000.")
        assert (diff.changed, diff.missing, diff.added) == ([], [], []), written
    ok = nums.compare("from 19 July 1953 to 1 August 1953", "с 19 июля по 1 августа 1953 года")
    assert not (ok.changed or ok.missing or ok.added)
    assert not nums.compare("Special Camp No. 6", "Особый лагерь № 6").missing
    assert not nums.compare("the uprising of 1953", "seditio anni MCMLIII").missing
    assert not nums.compare("after two weeks", "через 2 недели").added
    placeholders = nums.compare("{inmates_1946} in {year_1946}", "{inmates_1946} ({year_1946} m.)")
    assert not (placeholders.missing or placeholders.added)
    assert [n.value for n in nums.numbers("1953 and 62,700 and {x1953}")] == [1953, 62700]


def test_a_proper_name_the_translation_lost_is_a_warning(ws):
    path = "locales/ru/LC_MESSAGES/vorkuta-uprising.po"
    line = edit(ws, path, "label: rechlag, title", "Rechlag", lambda s: s.replace("Речлаг", "Rechlag"))
    f = only(run_checks(ws, ["ru"], render=False), "name-missing")
    assert (f.path, f.line, f.severity) == (path, line, "warning")
    assert "Речлаг" in f.message and "English spelling" in f.message


# --------------------------------------------------------------------------
# Placeholders and format directives
# --------------------------------------------------------------------------
def test_a_dropped_brace_placeholder_is_an_error(ws):
    line = edit(ws, LT, "label: uprising, text", "{period}",
                lambda s: s.replace("{strikers} of them", "many of them"))
    f = only(run_checks(ws, ["lt"], render=False), "format-brace")
    assert (f.path, f.line, f.severity) == (LT, line, "error") and "{strikers}" in f.message


def test_an_unknown_or_stray_brace_is_an_error(ws):
    edit(ws, LT, "label: mendriks, text", "A Latvian", lambda s: s + " {priest")
    f = only(run_checks(ws, ["lt"], render=False), "format-brace")
    assert "stray brace" in f.message


def test_a_dropped_python_placeholder_is_an_error(ws):
    line = edit(ws, LT_KIT, None, "Text: ", lambda s: s.replace(", %(url)s", ""))
    f = only(run_checks(ws, ["lt"], render=False), "format-python")
    assert (f.path, f.line, f.domain) == (LT_KIT, line, "memorial-kit") and "%(url)s" in f.message


def test_a_lone_percent_in_the_templates_words_is_an_error(ws):
    edit(ws, LT_KIT, None, "Facts", lambda s: "100 % Facts")
    f = only(run_checks(ws, ["lt"], render=False), "format-python")
    assert "%%" in f.message


def test_a_plural_form_for_one_number_only_may_leave_the_number_out(ws):
    # Russian msgstr[0] serves 1, 21, 31...: it must keep %(num)s
    path = "locales/ru/LC_MESSAGES/memorial-kit.po"
    line = edit(ws, path, None, "%(num)s person", lambda s: s.replace("%(num)s ", "", 1)
                if "person killed" in s else s)
    f = only(run_checks(ws, ["ru"], render=False), "format-python")
    assert f.line == line and "msgstr[0]" in f.message


# --------------------------------------------------------------------------
# Typography
# --------------------------------------------------------------------------
def test_markup_is_an_error(ws):
    line = edit(ws, LT, None, "The Latvian Catholic", lambda s: s.replace("priest", "<b>priest</b>"))
    f = only(run_checks(ws, ["lt"], render=False), "markup")
    assert (f.path, f.line, f.severity) == (LT, line, "error") and "<b>" in f.message


def test_unbalanced_brackets_quotes_double_space_and_end_punctuation(ws):
    lines = {   # from the end of the file up, so that no edit moves another's line
        "quotes": edit(ws, LT, "monument: yurshor, name", "Monument",
                       lambda s: s.replace("„", '"').replace("“", '"')),
        "double-space": edit(ws, LT, None, "Novocherkassk", lambda s: s.replace(" ", "  ")),
        "end-punctuation": edit(ws, LT, None, "The Latvian Catholic", lambda s: s.rstrip(".")),
        "brackets": edit(ws, LT, None, "On 31 July", lambda s: s.replace("(many of", "many of")),
    }
    findings = run_checks(ws, ["lt"], render=False)
    for code, line in lines.items():
        f = only(findings, code)
        assert (f.path, f.line, f.severity) == (LT, line, "warning"), code
    assert not [f for f in findings if f.severity == "error"]


def test_abbreviations_and_locale_quotes_are_not_findings():
    ctx = EntryContext("lt", "memorial-kit", "x.po", template_domain=True)
    good = [po.Entry("Sculpture %(year)s", "Skulptūra %(year)s m.", flags=["python-format"]),
            po.Entry("Text: “%(title)s”.", "Tekstas: „%(title)s“.", flags=["python-format"]),
            po.Entry("The uprising (1953).", "Sukilimas (1953 m.).")]
    assert [check_entry(e, ctx) for e in good] == [[], [], []]
    assert bracket_problem("«Tėvynė „Lietuva“»") is None
    assert bracket_problem("„skyrių“ ir (kita") is not None


def test_whitespace_that_differs_from_the_source(ws):
    line = edit(ws, LT, None, "Novocherkassk", lambda s: s + " ")
    f = only(run_checks(ws, ["lt"], render=False), "whitespace")
    assert (f.line, f.severity) == (line, "warning")


# --------------------------------------------------------------------------
# Catalog integrity and state
# --------------------------------------------------------------------------
def test_plural_forms_that_differ_from_cldr(ws):
    path = ws.root / "locales/ru/LC_MESSAGES/memorial-kit.po"
    text = path.read_text("utf-8")
    text = re.sub(r'"Plural-Forms: [^"]*"\n(?:"[^"]*"\n)*',
                  lambda m: '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n', text)
    path.write_text(text, "utf-8")
    findings = run_checks(ws, ["ru"], render=False)
    codes = [(f.code, f.severity) for f in findings if f.code == "plural-forms"]
    assert ("plural-forms", "error") in codes and len(codes) == 2    # header + 3 forms != 2
    assert any("nplurals=2" in f.message and "3 plural forms" in f.message
               for f in found(findings, "plural-forms"))


def test_untranslated_and_fuzzy_entries_and_what_can_ship(ws):
    untranslated = edit(ws, LT, "monument: yurshor, caption", "To the", lambda s: "")
    fuzzy = edit(ws, LT, "label: noble, text", "A notable", lambda s: s, flags=["fuzzy"])
    findings = run_checks(ws, ["lt"], render=False)
    assert only(findings, "untranslated").line == untranslated
    f = only(findings, "fuzzy")
    assert f.line == fuzzy and "never printed" in f.message and f.severity == "warning"
    coverage = only(findings, "coverage").message
    assert coverage.startswith("lt: nothing can ship yet")
    assert "the labels lt-en lacks 1 message" in coverage and "the plaque lacks 1 message" in coverage


def test_a_catalog_behind_its_template(ws):
    pot = ws.root / "locales/vorkuta-uprising.pot"
    pot.write_text(pot.read_text("utf-8") + '\nmsgid "A new paragraph."\nmsgstr ""\n', "utf-8")
    f = only(run_checks(ws, ["lt"], render=False), "catalog-outdated")
    assert f.path == LT and "memorial-kit update lt" in f.suggestion


# --------------------------------------------------------------------------
# Glyphs and fit
# --------------------------------------------------------------------------
def test_characters_no_declared_font_has(ws):
    # An emoji and Devanagari letters: no family of templates/fonts.css has them.  Each
    # is reported once per script for the one product that prints it, at its entry.
    emoji = edit(ws, LT, "label: noble, title", "John", lambda s: s + " \U0001F600")
    deva = edit(ws, LT, "label: mendriks, title", "Jānis", lambda s: s + " स्मारक")
    findings = found(run_checks(ws, ["lt"], render=False), "glyph-missing")
    assert sorted((f.path, f.line, f.severity) for f in findings) == sorted(
        [(LT, emoji, "error"), (LT, deva, "error")])
    by_script = {f.message.split(": ")[1]: f.message for f in findings}
    assert set(by_script) == {"Common", "Devanagari"}
    assert "labels lt-en" in by_script["Devanagari"]
    assert "6 letters that no declared font covers" in by_script["Devanagari"]
    assert "declare a font for Devanagari in templates/fonts.css" in by_script["Devanagari"]
    assert "U+1F600" in by_script["Common"]
    assert "monument face" not in " ".join(by_script.values())


def test_build_refuses_what_check_reports(ws):
    edit(ws, LT, "label: mendriks, title", "Jānis", lambda s: s + " स्मारक")
    report = json.loads(run_kit(ws.root, "build", "--locale", "lt", "--format", "html",
                                "--json").stdout)
    results = {r["job"]: r for r in report["results"]}
    refused = results["vorkuta-uprising/labels/lt-en"]
    assert refused["status"] == "skipped" and report["failed"]
    (finding,) = refused["findings"]
    assert re.match(r"locales/lt/LC_MESSAGES/vorkuta-uprising\.po:\d+: error: \[glyph-missing\] "
                    r"the labels lt-en: Devanagari: 6 letters", finding), finding
    assert results["vorkuta-uprising/leaflet/lt"]["status"] == "built"


def test_a_caption_much_longer_overflows_its_label(ws):
    # The 120 x 80 mm card has room: three times the caption still fits; five do not.
    line = edit(ws, LT, "label: uprising, text", "{period}", lambda s: " ".join([s] * 5))
    findings = run_checks(ws, ["lt"])
    f = only(findings, "fit-overflow")
    assert (f.path, f.line, f.severity, f.msgctxt) == (LT, line, "error", "label: uprising, text")
    assert "'uprising'" in f.message and "labels lt-en" in f.message and " mm " in f.message
    assert not found(findings, "fit-plaque-pages") and not found(findings, "fit-margin")


def test_a_plaque_on_two_pages_and_a_line_in_the_margin(ws):
    word = edit(ws, LT, None, "The Vorkuta uprising was",
                lambda s: s.replace("after two", "after tw" + "o" * 90))
    # without its max-length flag (which --no-render reads), only laying it out shows it
    caption = edit(ws, LT, "monument: yurshor, caption", "To the", lambda s: " ".join([s] * 18),
                   flags=[])
    findings = run_checks(ws, ["lt"])
    plaque = only(findings, "fit-plaque-pages")
    assert (plaque.path, plaque.line, plaque.severity) == (LT, caption, "error")
    assert "2 pages" in plaque.message
    # build fails a plaque that does not fit: the coverage does not say it can ship
    coverage = only(findings, "coverage").message
    assert coverage.startswith("lt: leaflet, labels lt-en can ship;")
    assert "the plaque does not fit" in coverage
    margin = only(findings, "fit-margin")
    assert (margin.path, margin.line, margin.severity) == (LT, word, "warning")
    assert "leaflet (page 1)" in margin.message


def test_a_product_that_cannot_ship_is_not_fit_checked(ws):
    edit(ws, LT, "monument: yurshor, caption", "To the", lambda s: "")
    findings = run_checks(ws, ["lt"])
    skipped = {f.message.split(" was")[0] for f in found(findings, "fit-skipped")}
    assert skipped == {"the leaflet", "the plaque"}       # the labels do not print the caption


# --------------------------------------------------------------------------
# The command line
# --------------------------------------------------------------------------
def kit(ws, *args) -> int:
    """The command line in this process (fast); run_kit runs it as a user would."""
    return main(["--root", str(ws.root), *args])


def test_cli_exit_codes_and_json(ws, capsys):
    assert kit(ws, "check", "lt", "ru", "--no-render") == 0
    out = capsys.readouterr().out
    assert re.search(r"^0 errors, \d+ warnings, \d+ info \(lt, ru\)$", out, re.M)
    assert kit(ws, "check", "lt", "--no-render", "--strict") == 1   # the article's own warnings
    line = edit(ws, LT, None, BACKGROUND, lambda s: s.replace("62,700", "26,700"))
    capsys.readouterr()
    assert kit(ws, "check", "lt", "--no-render") == 1
    out = capsys.readouterr().out
    assert f"{LT}:{line}: error: [number-changed]" in out and "\n  suggestion: " in out
    # the text names the entry as the .po file does: its msgid (and msgctxt, if any)
    assert re.search(rf"\[number-changed\] .*\n  msgid \"{re.escape(BACKGROUND[:30])}", out)
    as_json = run_kit(ws.root, "check", "lt", "--no-render", "--json")
    assert as_json.returncode == 1
    data = json.loads(as_json.stdout)
    hit = next(d for d in data if d["code"] == "number-changed")
    assert hit == {**hit, "severity": "error", "locale": "lt", "domain": DOMAIN, "path": LT,
                   "line": line, "msgctxt": None}
    assert set(hit) == {"code", "severity", "locale", "domain", "path", "line", "msgctxt",
                        "msgid", "message", "suggestion"}


def test_cli_bad_usage_and_unreadable_input_exit_2(ws, capsys):
    assert kit(ws, "check", "xx") == 2
    assert kit(ws, "check", "en") == 2
    assert kit(ws, "check", "de") == 2                  # no catalogs
    assert kit(ws, "check", "--memorial", "nowhere") == 2
    (ws.root / LT).write_text('msgid "unterminated\n', "utf-8")
    capsys.readouterr()
    assert kit(ws, "check", "lt", "--no-render") == 2
    assert LT in capsys.readouterr().err


# --------------------------------------------------------------------------
# The shipped translations
# --------------------------------------------------------------------------
def test_the_shipped_catalogs_have_no_errors(workspace):
    findings = run_checks(Workspace(workspace))
    errors = [f.lines() for f in findings if f.severity == "error"]
    assert errors == []


@pytest.mark.parametrize("text, problem", [
    ("Mine 29 (Yurshor", "'(' at character 9 is never closed"),
    ("18 000) strikers", "')' at character 7 closes nothing it matches"),
    ("„Vorkuta“ and [Rechlag)", "')' at character 23 closes nothing it matches"),
    ("“quoted” then ” alone", "'”' at character 15 closes no opening quotation mark"),
    ("« Речлаг ‹ 6 ›", "'«' at character 1 is never closed"),
    ("⟦Vorkuta⟧ 1953 {strikers}", None),
])
def test_a_bracket_problem_names_the_character_where_the_text_goes_wrong(text, problem):
    assert bracket_problem(text) == problem
