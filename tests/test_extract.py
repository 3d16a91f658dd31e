"""extract: the templates (.pot) a memorial and the templates give translators, against
GNU gettext as the reference."""
import json

from memorial_kit import po

from conftest import EPOCH, gnu_form, msgcat, msgfmt_check, run_kit


def test_extract_writes_gnu_form_and_is_reproducible(fresh):
    result = run_kit(fresh, "extract", env=EPOCH)
    assert result.returncode == 0, result.stderr
    pots = sorted((fresh / "locales").glob("*.pot"))
    assert [p.name for p in pots] == ["memorial-kit.pot", "vorkuta-uprising.pot"]
    first = {p: p.read_bytes() for p in pots}
    for pot in pots:
        assert gnu_form(pot)
        msgfmt_check(pot)
        assert b"POT-Creation-Date: 2025-11-30 00:00+0000" in pot.read_bytes()
    again = run_kit(fresh, "extract", env={"SOURCE_DATE_EPOCH": "1800000000"})
    assert again.returncode == 0
    assert "kept" in again.stdout and "unchanged" in again.stdout
    assert {p: p.read_bytes() for p in pots} == first     # only the date would differ


def test_pot_content(fresh):
    run_kit(fresh, "extract", env=EPOCH)
    pot = po.read_po_file(fresh / "locales" / "vorkuta-uprising.pot")
    title = pot.get(None, "Vorkuta uprising")
    assert title.references == ["seeds/vorkuta-uprising/article.txt:1"]
    conflict = pot.get("infobox: Conflict", "Vorkuta uprising")
    assert conflict is not None and conflict.references[0].endswith("article.txt:4")
    front = pot.get("inscription: yurshor, front face", "Fatherland Lithuania is proud")
    assert any("letter for letter" in c for c in front.extracted_comments)
    assert any("Tėvynė Lietuva didžiuojasi" in c for c in front.extracted_comments)
    back = pot.get("inscription: yurshor, back face", "Fatherland Lithuania mourns")
    assert back is not None
    uprising = next(e for e in pot.entries if e.msgctxt == "label: uprising, text")
    assert "python-brace-format" in uprising.flags and "{strikers}" in uprising.msgid
    assert pot.get(None, "John H. Noble").references == ["seeds/vorkuta-uprising/article.txt:29"]
    paragraphs = [e for e in pot.entries if e.references and e.references[0].endswith(":25")]
    assert paragraphs and paragraphs[0].msgid.startswith("On 31 July camp chief Derevyanko")
    words = po.read_po_file(fresh / "locales" / "memorial-kit.pot")
    killed = words.get(None, "%(num)s person killed")
    assert killed.msgid_plural == "%(num)s people killed" and "python-format" in killed.flags
    assert words.get("monument face", "Front") is not None


def test_template_syntax_error_is_not_skipped(fresh):
    (fresh / "templates" / "broken.html.j2").write_text('{{ gettext("x") }}\n{% if %}\n', "utf-8")
    result = run_kit(fresh, "extract")
    assert result.returncode == 2
    assert result.stderr.startswith("templates/broken.html.j2:2: error: template syntax error")
    assert not (fresh / "locales" / "memorial-kit.pot").exists()


def test_layout_limits_are_flags_translators_see(translated):
    pot = po.read_po_file(translated / "locales" / "vorkuta-uprising.pot")
    for entry in pot.entries:
        if entry.msgctxt and entry.msgctxt.startswith(("label: ", "monument: ", "inscription: ")):
            limits = [f for f in entry.flags if f.startswith("max-length:")]
            assert len(limits) == 1, entry.msgctxt
            limit = int(limits[0].split(":")[1])
            assert limit >= len(entry.msgid), entry.msgctxt      # the source itself fits
            assert any(f"at most {limit} characters" in c for c in entry.extracted_comments)
    # a pass through GNU msgcat drops the flag; the next update derives it again
    path = translated / "locales" / "lt" / "LC_MESSAGES" / "vorkuta-uprising.po"
    path.write_bytes(msgcat(path))
    assert b"#, max-length:" not in path.read_bytes()
    run_kit(translated, "update", "lt")
    assert b"#, max-length:" in path.read_bytes()
    kept = po.read_po_file(path).get("label: noble, title", "John H. Noble")
    assert len([f for f in kept.flags if f.startswith("max-length:")]) == 1


def test_a_carved_texts_entry_has_a_limit_the_carved_text_fits(fresh):
    # a small plaque: the glosses' limit is shorter than the carved texts
    manifest = fresh / "seeds" / "vorkuta-uprising" / "memorial.toml"
    manifest.write_text(manifest.read_text("utf-8").replace("plaque_mm = [600, 400]",
                                                            "plaque_mm = [200, 150]"), "utf-8")
    assert run_kit(fresh, "extract").returncode == 0
    assert run_kit(fresh, "init", "lt").returncode == 0
    carved = {"front face": "Tėvynė Lietuva didžiuojasi", "back face": "Tėvynė Lietuva verkia"}
    lt = po.read_po_file(fresh / "locales" / "lt" / "LC_MESSAGES" / "vorkuta-uprising.po")
    inscriptions = [e for e in lt.entries if (e.msgctxt or "").startswith("inscription: ")]
    assert len(inscriptions) == 2
    for entry in inscriptions:
        limit = int(next(f for f in entry.flags if f.startswith("max-length:"))[11:])
        text = carved[entry.msgctxt.split(", ")[1]]
        assert entry.msgstr == text and limit >= len(text) > 9      # the glosses' limit: 9
    result = run_kit(fresh, "check", "lt", "--no-render", "--json")
    assert not [f for f in json.loads(result.stdout) if f["code"] == "max-length"
                and (f["msgctxt"] or "").startswith("inscription: ")]
