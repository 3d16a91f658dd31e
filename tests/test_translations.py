"""The catalogs as the renderer reads them: lookups, what is never returned, the read cache
and the digest of a carved language's inscriptions."""
import os

import pytest

from memorial_kit import po
from memorial_kit.errors import UsageError
from memorial_kit.translations import carved_text_digest, has_catalog, load_translations
from memorial_kit.workspace import Workspace

DOMAIN = "vorkuta-uprising"
FRONT = ("inscription: yurshor, front face", "Fatherland Lithuania is proud")


def edit(path, key, change):
    """Change the entry ``key`` of the catalog at ``path`` in place (``change(entry)``)."""
    catalog = po.read_po_file(path)
    change(catalog.get(*key))
    data = po.write_po(catalog)
    stat = path.stat()
    path.write_bytes(data)
    # a new mtime even on a coarse clock, so that a cached read is seen to be stale
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))


def test_lookups_return_the_translation(translated):
    tr = load_translations(Workspace.at(translated), "lt", DOMAIN)
    assert tr.lookup(None, "Vorkuta uprising") == "T: Vorkuta uprising"
    assert tr.lookup("infobox: Conflict", "Vorkuta uprising") == "T: Vorkuta uprising"
    assert tr.holds(*FRONT) and tr.lookup(*FRONT) == "T: Fatherland Lithuania is proud"
    path, line = tr.where(*FRONT)
    assert path == f"locales/lt/LC_MESSAGES/{DOMAIN}.po" and line > 1
    assert tr.lookup(None, "Not a message") is None and not tr.holds(None, "Not a message")
    assert tr.where(None, "Not a message") == (None, None)


def test_plural_lookups_follow_the_languages_rule(translated):
    tr = load_translations(Workspace.at(translated), "lt", "memorial-kit")
    one, many = "%(num)s person killed", "%(num)s people killed"
    # fill() gave msgstr[0] the singular, msgstr[1] and [2] the plural
    assert tr.lookup_plural(None, one, many, 21) == "T: " + one       # Lithuanian: 21 is "one"
    assert tr.lookup_plural(None, one, many, 42) == "T: " + many
    assert tr.lookup_plural(None, "Vorkuta", "Vorkutas", 2) is None


def test_a_fuzzy_translation_is_never_returned(translated):
    path = translated / "locales" / "lt" / "LC_MESSAGES" / f"{DOMAIN}.po"
    edit(path, (None, "Vorkuta uprising"), lambda e: setattr(e, "fuzzy", True))
    tr = load_translations(Workspace.at(translated), "lt", DOMAIN)
    assert tr.lookup(None, "Vorkuta uprising") is None


def test_the_source_language_needs_no_catalog(translated):
    tr = load_translations(Workspace.at(translated), "en", DOMAIN)
    assert tr.is_source and tr.lookup(None, "Anything") == "Anything"
    assert tr.lookup_plural(None, "a stone", "stones", 1) == "a stone"
    assert tr.lookup_plural(None, "a stone", "stones", 3) == "stones"
    assert not tr.holds(*FRONT)


def test_a_missing_catalog_says_how_to_start_it(translated):
    ws = Workspace.at(translated)
    with pytest.raises(UsageError) as caught:
        load_translations(ws, "ru", DOMAIN)
    assert "locales/ru/LC_MESSAGES/vorkuta-uprising.po does not exist" in str(caught.value)
    assert "memorial-kit init ru" in caught.value.hint
    memorial = ws.memorial(DOMAIN)
    assert has_catalog(ws, "lt", memorial) and has_catalog(ws, "en", memorial)
    assert not has_catalog(ws, "ru", memorial)


def test_a_changed_catalog_is_read_again(translated):
    ws = Workspace.at(translated)
    assert load_translations(ws, "lt", DOMAIN).lookup(None, "Vorkuta uprising") == \
        "T: Vorkuta uprising"
    path = translated / "locales" / "lt" / "LC_MESSAGES" / f"{DOMAIN}.po"
    edit(path, (None, "Vorkuta uprising"), lambda e: setattr(e, "msgstr", "Vorkutos sukilimas"))
    assert load_translations(ws, "lt", DOMAIN).lookup(None, "Vorkuta uprising") == \
        "Vorkutos sukilimas"


def test_the_carved_digest_changes_with_the_inscriptions_only(translated):
    ws = Workspace.at(translated)
    memorial = ws.memorial(DOMAIN)
    path = translated / "locales" / "lt" / "LC_MESSAGES" / f"{DOMAIN}.po"
    first = carved_text_digest(ws, "lt", memorial)
    edit(path, (None, "Vorkuta uprising"), lambda e: setattr(e, "msgstr", "Vorkutos sukilimas"))
    assert carved_text_digest(ws, "lt", memorial) == first
    edit(path, FRONT, lambda e: setattr(e, "msgstr", "Tėvynė Lietuva didžiuojasi"))
    assert carved_text_digest(ws, "lt", memorial) != first
    assert carved_text_digest(ws, "en", memorial) == "none"
    assert carved_text_digest(ws, "ru", memorial) == "none"          # no catalog
