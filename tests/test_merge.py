"""init, update, compile and stats against GNU gettext as the reference."""
import gettext
import json
import subprocess

import pytest
from hypothesis import given, settings, strategies as st

from memorial_kit import merge, po

from conftest import EPOCH, gnu_form, msgcat, msgfmt_check, run_kit


@pytest.mark.parametrize("locale, plural", [
    ("lt", "nplurals=3;"), ("ru", "nplurals=3;"), ("la", "nplurals=2; plural=(n != 1);"),
    ("de", "nplurals=2;")])
def test_init_headers(fresh, locale, plural):
    if locale == "de":           # a language is started for the memorials that list it
        manifest = fresh / "seeds" / "vorkuta-uprising" / "memorial.toml"
        manifest.write_text(manifest.read_text("utf-8").replace('"la"]', '"la", "de"]'), "utf-8")
    run_kit(fresh, "extract", env=EPOCH)
    result = run_kit(fresh, "init", locale)
    assert result.returncode == 0, result.stderr
    for domain in ("vorkuta-uprising", "memorial-kit"):
        path = fresh / "locales" / locale / "LC_MESSAGES" / f"{domain}.po"
        catalog = po.read_po_file(path)
        assert catalog.header_value("Language") == locale
        assert catalog.header_value("Plural-Forms").startswith(plural)
        assert gnu_form(path)
        msgfmt_check(path)


def test_init_says_which_memorials_do_not_list_the_language(fresh):
    run_kit(fresh, "extract", env=EPOCH)
    result = run_kit(fresh, "init", "pl")
    assert result.returncode == 0, result.stderr
    assert (fresh / "locales" / "pl" / "LC_MESSAGES" / "memorial-kit.po").exists()
    assert not (fresh / "locales" / "pl" / "LC_MESSAGES" / "vorkuta-uprising.po").exists()
    assert ("not started: seeds/vorkuta-uprising/memorial.toml does not list 'pl'"
            in result.stdout)
    build = run_kit(fresh, "build", "--locale", "pl", "--format", "html")
    assert build.returncode == 2
    assert "no memorial lists the locale pl" in build.stderr
    assert "add it to 'locales'" in build.stderr


def test_init_refuses_source_language_and_bad_codes(fresh):
    run_kit(fresh, "extract", env=EPOCH)
    assert run_kit(fresh, "init", "en").returncode == 2
    bad = run_kit(fresh, "init", "../../x")
    assert bad.returncode == 2 and "not a locale code" in bad.stderr


def _edit_article(ws, old, new):
    path = ws / "seeds" / "vorkuta-uprising" / "article.txt"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_update_after_one_paragraph_edit(translated):
    path = translated / "locales" / "lt" / "LC_MESSAGES" / "vorkuta-uprising.po"
    before = po.read_po_file(path)
    _edit_article(translated, "The total number of inmates on strike reached 18,000.",
                  "The total number of inmates on strike eventually reached 18,000.")
    assert run_kit(translated, "extract", env=EPOCH).returncode == 0
    result = run_kit(translated, "update", "lt")
    assert result.returncode == 0, result.stderr
    after = po.read_po_file(path)
    fuzzy = [e for e in after.entries if e.fuzzy]
    assert len(fuzzy) == 1
    changed = fuzzy[0]
    assert "eventually reached 18,000" in changed.msgid
    assert changed.previous_msgid.endswith("on strike reached 18,000. The inmates remained "
                                           "static within the barbed wire perimeters.")
    assert changed.msgstr == "T: " + changed.previous_msgid
    old = {e.key: e.msgstr for e in before.entries}
    for entry in after.entries:
        if entry is not changed and not entry.obsolete:
            assert entry.msgstr == old[entry.key] and not entry.fuzzy
    assert gnu_form(path)
    msgfmt_check(path)
    # GNU msgmerge agrees on which message is fuzzy.
    reference = subprocess.run(["msgmerge", "-q", "-o", "-", str(_saved(before, translated)),
                                str(translated / "locales" / "vorkuta-uprising.pot")],
                               capture_output=True, check=True).stdout
    gnu = po.read_po(reference)
    assert [e.msgid for e in gnu.entries if e.fuzzy] == [changed.msgid]


def _saved(catalog, ws):
    path = ws / "before.po"
    po.write_po_file(catalog, path)
    return path


def test_removed_message_becomes_obsolete_and_comes_back(translated):
    path = translated / "locales" / "lt" / "LC_MESSAGES" / "vorkuta-uprising.po"
    _edit_article(translated, "- Novocherkassk massacre\n", "")
    run_kit(translated, "extract", env=EPOCH)
    run_kit(translated, "update", "lt")
    gone = [e for e in po.read_po_file(path).entries if e.obsolete]
    assert [(e.msgid, e.msgstr) for e in gone] == [
        ("Novocherkassk massacre", "T: Novocherkassk massacre")]
    assert b'#~ msgid "Novocherkassk massacre"' in path.read_bytes()
    _edit_article(translated, "- List of uprisings in the Gulag\n",
                  "- List of uprisings in the Gulag\n- Novocherkassk massacre\n")
    run_kit(translated, "extract", env=EPOCH)
    run_kit(translated, "update", "lt")
    back = po.read_po_file(path).get(None, "Novocherkassk massacre")
    assert back.msgstr == "T: Novocherkassk massacre" and not back.obsolete and not back.fuzzy


def test_other_tools_edits_are_kept_and_rewritten_in_gnu_form(translated):
    path = translated / "locales" / "lt" / "LC_MESSAGES" / "vorkuta-uprising.po"
    rewrapped = msgcat(path, "--width=60").decode("utf-8")
    assert rewrapped != path.read_text("utf-8")
    edited = rewrapped.replace('msgstr "T: Novocherkassk massacre"',
                               '# checked by the editor\nmsgstr "Novočerkasko žudynės"')
    edited = edited.replace('msgstr "T: Novočerkasko', 'msgstr "Novočerkasko')
    assert "Novočerkasko žudynės" in edited
    # A translator comment must precede the entry: move it in front of msgid.
    edited = edited.replace('msgid "Novocherkassk massacre"\n# checked by the editor\n',
                            '# checked by the editor\nmsgid "Novocherkassk massacre"\n')
    path.write_text(edited, "utf-8")
    result = run_kit(translated, "update", "lt")
    assert result.returncode == 0, result.stderr
    entry = po.read_po_file(path).get(None, "Novocherkassk massacre")
    assert entry.msgstr == "Novočerkasko žudynės"
    assert entry.translator_comments == ["checked by the editor"]
    assert gnu_form(path)                             # back in GNU's 79-column form


def test_unknown_flags_survive_update(translated):
    path = translated / "locales" / "lt" / "LC_MESSAGES" / "vorkuta-uprising.po"
    catalog = po.read_po_file(path)
    entry = catalog.get(None, "John H. Noble")
    entry.flags += ["max-length:40", "read-only"]
    entry.translator_comments = ["Weblate: keep short"]
    po.write_po_file(catalog, path)
    run_kit(translated, "update", "lt")
    kept = po.read_po_file(path).get(None, "John H. Noble")
    assert "max-length:40" in kept.flags and "read-only" in kept.flags
    assert kept.translator_comments == ["Weblate: keep short"]


def test_compile_loads_with_gnutranslations(translated):
    result = run_kit(translated, "compile", "lt")
    assert result.returncode == 0, result.stderr
    mo = translated / "locales" / "lt" / "LC_MESSAGES" / "vorkuta-uprising.mo"
    with open(mo, "rb") as handle:
        tr = gettext.GNUTranslations(handle)
    assert tr.gettext("Vorkuta uprising") == "T: Vorkuta uprising"
    assert tr.pgettext("inscription: yurshor, front face", "Fatherland Lithuania is proud") == \
        "T: Fatherland Lithuania is proud"
    words = translated / "locales" / "lt" / "LC_MESSAGES" / "memorial-kit.mo"
    with open(words, "rb") as handle:
        tr = gettext.GNUTranslations(handle)
    assert tr.ngettext("%(num)s person killed", "%(num)s people killed", 42) == \
        "T: %(num)s people killed"


def test_stats_json_and_table(translated):
    run_kit(translated, "init", "ru")
    result = run_kit(translated, "stats", "--json")
    rows = {(r["locale"], r["domain"]): r for r in json.loads(result.stdout)}
    lt = rows[("lt", "vorkuta-uprising")]
    assert lt["translated"] == lt["total"] > 40 and lt["percent"] == 100.0
    ru = rows[("ru", "memorial-kit")]
    assert ru["translated"] == 0 and ru["untranslated"] == ru["total"] and ru["percent"] == 0.0
    table = run_kit(translated, "stats").stdout
    assert "lt" in table and "100.0" in table


# -- no translation is ever lost ---------------------------------------------
words = st.sampled_from("the camp inmates strike mine guards arrest fire day week coal "
                        "train news camp chief order uprising".split())


sentences = st.lists(words, min_size=3, max_size=12).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(old=st.lists(sentences, min_size=1, max_size=25, unique=True),
       edits=st.lists(st.tuples(st.integers(0, 24), st.sampled_from(["edit", "drop", "keep"])),
                      max_size=25),
       added=st.lists(sentences, max_size=5))
def test_update_never_loses_a_translation(old, edits, added):
    catalog = po.PoFile(entries=[po.Entry(m, msgstr=f"X{i}") for i, m in enumerate(old)],
                        header=po.Entry("", msgstr="Language: lt\nPlural-Forms: nplurals=3; "
                                        "plural=(n%10==1 && n%100!=11 ? 0 : 2);\n"))
    new = list(old)
    for index, action in edits:
        if index < len(new) and new[index] is not None:
            if action == "edit":
                new[index] = new[index] + " again"
            elif action == "drop":
                new[index] = None
    template = [m for m in dict.fromkeys([m for m in new if m] + added)]
    pot = po.PoFile(entries=[po.Entry(m) for m in template], header=po.Entry("", msgstr=""))
    merged, _ = merge.merge(catalog, pot, "lt")
    po.read_po(po.write_po(merged))                       # still a valid catalog
    for i, message in enumerate(old):
        translation = f"X{i}"
        holders = [e for e in merged.entries if e.msgstr == translation]
        assert holders, f"translation of {message!r} lost"
        ok = any((e.msgid == message and not e.fuzzy) or e.obsolete
                 or (e.fuzzy and e.previous_msgid == message) for e in holders)
        assert ok, f"{message!r} is neither kept, fuzzy with #| nor obsolete"


def test_plural_forms_error_points_at_its_header_line(translated):
    path = translated / "locales" / "lt" / "LC_MESSAGES" / "memorial-kit.po"
    lines = path.read_text("utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith('"Plural-Forms:'))
    end = next(i for i in range(start, len(lines)) if lines[i].endswith('\\n"'))
    lines[start:end + 1] = ['"Plural-Forms: nplurals=3; plural=n%0;\\n"']
    path.write_text("\n".join(lines), "utf-8")
    result = run_kit(translated, "compile", "lt")
    assert result.returncode == 2
    assert result.stderr.startswith(
        f"locales/lt/LC_MESSAGES/memorial-kit.po:{start + 1}: error: plural expression")


# -- carved languages: the stone's text, exactly or not at all ------------------------
NEW_FACE = '''
[[monuments.faces]]
id = "left"
gloss = "Lithuania"
inscriptions = { lt = "Lietuva" }
'''


def test_update_gives_a_carved_language_the_text_of_a_face_added_after_init(translated):
    manifest = translated / "seeds" / "vorkuta-uprising" / "memorial.toml"
    text = manifest.read_text("utf-8")
    article = translated / "seeds" / "vorkuta-uprising" / "article.txt"
    # The new face's words must be the article's: "Lietuva" and "Lithuania" are in it.
    assert "Lietuva" in article.read_text("utf-8") and "Lithuania" in article.read_text("utf-8")
    # Split the back face: its Latin text moves to a new face with another gloss.
    text = text.replace('inscriptions = { lt = "Tėvynė Lietuva verkia", la = "Patria Lituania flet" }',
                        'inscriptions = { lt = "Tėvynė Lietuva verkia" }')
    text = text.replace("# Exhibit labels:", NEW_FACE + '''
[[monuments.faces]]
id = "top"
gloss = "Lithuania is proud"
inscriptions = { la = "Patria Lituania flet" }

# Exhibit labels:''')
    manifest.write_text(text, "utf-8")
    assert run_kit(translated, "extract", env=EPOCH).returncode == 0
    result = run_kit(translated, "update", "lt")
    assert result.returncode == 0, result.stderr
    lt = po.read_po_file(translated / "locales" / "lt" / "LC_MESSAGES" / "vorkuta-uprising.po")
    left = lt.get("inscription: yurshor, left face", "Lithuania")
    assert left.msgstr == "Lietuva" and not left.fuzzy
    # The new top face is not carved in Lithuanian: its entry is not a fuzzy copy of the
    # Lithuanian carved text of the front face, whose gloss is nearly the same.
    top = lt.get("inscription: yurshor, top face", "Lithuania is proud")
    assert top.msgstr == "" and not top.fuzzy
