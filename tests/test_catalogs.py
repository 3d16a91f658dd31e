"""The catalog files: domains, headers, plural forms and reading, good input and bad."""
import pytest

from memorial_kit import catalogs, po
from memorial_kit.errors import CatalogError, UsageError
from memorial_kit.plurals import parse_plural_forms
from memorial_kit.workspace import Workspace

from conftest import EPOCH


@pytest.mark.parametrize("locale, forms", [
    ("lt", {1: 0, 21: 0, 2: 1, 42: 1, 10: 2, 11: 2}),
    ("ru", {1: 0, 3: 1, 5: 2, 11: 2}),
    ("la", {1: 0, 2: 1}),                  # a gap in CLDR: gettext's convention
    ("qps", {1: 0, 2: 1}),                 # the pseudo-locale
    ("ja", {1: 0, 5: 0}),
])
def test_plural_forms_header_picks_each_number_s_form(locale, forms):
    rule = parse_plural_forms(catalogs.plural_forms_header(locale))
    assert rule.nplurals == len(set(forms.values()))
    assert {n: rule(n) for n in forms} == forms


def test_creation_date_follows_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH["SOURCE_DATE_EPOCH"])
    assert catalogs.creation_date() == "2025-11-30 00:00+0000"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "-1")       # each bad value: test_sourcedate.py
    with pytest.raises(UsageError, match="is not a number of seconds"):
        catalogs.creation_date()


def test_a_header_value_is_one_line():
    catalogs.check_header_value("--translator", "Ona Šimaitė <ona@example.org>")
    catalogs.check_header_value("--translator", None)
    with pytest.raises(UsageError, match="U[+]000A"):
        catalogs.check_header_value("--translator", "Ona\nPlural-Forms: nplurals=1")


def test_header_fields_are_read_and_set():
    header = po.Entry("", msgstr="Language: lt\nPlural-Forms: nplurals=3; plural=0;\n")
    assert catalogs.header_field(header, "Language") == "lt"
    assert catalogs.header_field(header, "Missing") is None
    assert catalogs.header_field(None, "Language") is None
    catalogs.set_header_field(header, "Language", "ru")
    catalogs.set_header_field(header, "POT-Creation-Date", "2025-11-30 00:00+0000")
    assert header.msgstr == ("Language: ru\nPlural-Forms: nplurals=3; plural=0;\n"
                             "POT-Creation-Date: 2025-11-30 00:00+0000\n")


def test_the_templates_domain_comes_first_for_every_language(workspace):
    found = catalogs.domains(Workspace.at(workspace))
    assert [d.name for d in found] == ["memorial-kit", "vorkuta-uprising"]
    assert found[0].locales == found[1].locales == ("lt", "ru", "la")
    assert found[1].title == "Vorkuta uprising" and found[1].source_locale == "en"
    assert catalogs.existing_locales(Workspace.at(workspace)) == ["la", "lt", "ru"]


def test_reading_a_catalog_that_is_not_there(fresh):
    ws = Workspace.at(fresh)
    with pytest.raises(UsageError, match="does not exist") as caught:
        catalogs.read_pot(ws, "vorkuta-uprising")
    assert "memorial-kit extract" in caught.value.hint
    with pytest.raises(CatalogError, match="catalog not found"):
        catalogs.read_catalog(ws, fresh / "locales" / "lt" / "LC_MESSAGES" / "x.po")


def test_a_catalog_holds_its_own_domain_only(workspace):
    path = workspace / "locales" / "lt" / "LC_MESSAGES" / "vorkuta-uprising.po"
    original = path.read_bytes()
    path.write_bytes(original + '\ndomain "vorkuta-uprising"\n\nmsgid "Here"\nmsgstr "Čia"\n'
                     .encode())
    catalog = catalogs.read_catalog(Workspace.at(workspace), path)
    assert catalog.get(None, "Here").msgstr == "Čia"
    assert catalog.get(None, "Vorkuta uprising") is not None
    path.write_bytes(original + b'\ndomain "other"\n\nmsgid "Elsewhere"\nmsgstr "Kitur"\n')
    with pytest.raises(CatalogError, match="one domain per file") as caught:
        catalogs.read_catalog(Workspace.at(workspace), path)
    assert caught.value.line == original.count(b"\n") + 2
    assert catalogs.domain_of(path) == "vorkuta-uprising"


def test_validate_plurals_wants_the_header_and_every_form():
    missing = po.read_po(b'msgid ""\nmsgstr "Language: lt\\n"\n', "x.po")
    with pytest.raises(CatalogError, match="no Plural-Forms") as caught:
        catalogs.validate_plurals(missing, "lt")
    assert "nplurals=3" in caught.value.hint
    short = po.read_po(b'msgid ""\nmsgstr "Plural-Forms: nplurals=3; plural=(n != 1);\\n"\n\n'
                       b'msgid "a stone"\nmsgid_plural "stones"\n'
                       b'msgstr[0] "akmuo"\nmsgstr[1] "akmenys"\n', "x.po")
    with pytest.raises(CatalogError, match="2 msgstr.n. forms but Plural-Forms says nplurals=3"):
        catalogs.validate_plurals(short, "lt")
    assert catalogs.nplurals_of(short, "lt") == 3
