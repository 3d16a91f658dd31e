import pytest

from memorial_kit.article import parse_article, read_article
from memorial_kit.errors import SourceError

from conftest import SEED


def test_seed_structure_and_lines():
    article = read_article(SEED)
    assert article.title == "Vorkuta uprising" and article.title_line == 1
    assert [f.key for f in article.infobox][:3] == ["Conflict", "Date", "Place"]
    assert article.infobox_value("Casualties2").line == 13
    assert [s.heading for s in article.sections] == [
        "Background", "Uprising", "Notable participants", "Commemoration", "See also"]
    assert [(b.kind, b.line) for b in article.section("Notable participants").blocks] == [
        ("item", 28), ("item", 29)]
    assert article.lead[0].line == 15
    assert [b.line for b in article.section("Uprising").blocks] == [21, 23, 25]


def test_seed_is_the_shared_article_byte_for_byte():
    shared = SEED.parents[3] / "shared" / "seeds" / "vorkuta-uprising.txt"
    if not shared.exists():
        pytest.skip("the shared seed is not beside this checkout")
    assert SEED.read_bytes() == shared.read_bytes()


def test_wiki_remnants_are_cleaned_and_reported():
    article = read_article(SEED)
    assert article.infobox_value("Combatant1").value == \
        "Soviet Authorities, Soviet Army, Prison Guards"
    commemoration = article.section("Commemoration").blocks[0].text
    assert "by architects, Vitaliy Troshin" in commemoration
    cleaned = [(f.line, f.message) for f in article.findings if f.code == "source-cleaned"]
    assert any(line == 10 and "flag-icon" in msg for line, msg in cleaned)
    assert any(line == 10 and "doubled comma" in msg for line, msg in cleaned)
    assert any(line == 32 and "space before a comma" in msg for line, msg in cleaned)


def test_suspicious_spots_are_reported_with_lines():
    findings = read_article(SEED).findings
    missing = [f.message for f in findings if f.code == "source-missing-name" and f.line == 32]
    assert any("'sculptor'" in m for m in missing)
    assert any("'architects'" in m for m in missing)
    mismatch = next(f.message for f in findings if f.code == "source-count-mismatch")
    assert next(f.line for f in findings if f.code == "source-count-mismatch") == 13
    assert "57" in mismatch and "42" in mismatch and "66" in mismatch


@pytest.mark.parametrize("text, line, words", [
    ("Vorkuta\n", 1, "title"),
    ("= T =\n\nInfobox\n- Date 1953\n", 4, "Key: Value"),
    ("= T =\n\nA paragraph.\n\n==Broken\n", 5, "heading"),
    ("= T =\n\nText.\n\nInfobox\n- A: b\n", 5, "infobox"),
    ("= T =\n\nInfobox\n- A: b\n- A: c\n", 5, "repeats"),
    ("= T =\n\n-\n", 3, "list item"),
])
def test_malformed_text_is_an_error_with_its_line(text, line, words):
    with pytest.raises(SourceError) as info:
        parse_article(text, "bad.txt")
    assert info.value.path == "bad.txt" and info.value.line == line
    assert words in info.value.message
    assert str(info.value).startswith(f"bad.txt:{line}: ")


def test_crlf_and_bom_are_read(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbf" + SEED.read_bytes().replace(b"\n", b"\r\n"))
    article = read_article(path)
    assert article.title == "Vorkuta uprising"
    assert article.section("Uprising").blocks[2].line == 25


def test_multi_line_paragraph_is_one_block():
    article = parse_article("= T =\n\nOne line\nand the next.\n\nAnother.\n")
    assert [(b.text, b.line) for b in article.lead] == [("One line and the next.", 3), ("Another.", 6)]
