"""MediaWiki wikitext -> the seed format, and `new` reading it."""

from hypothesis import given, settings, strategies as st

from memorial_kit.article import parse_article
from memorial_kit.wikitext import looks_like_wikitext, read_page, to_seed

from conftest import copy_workspace, run_kit

WIKI = """{{Short description|x}}
{{Infobox memorial
| name = Memorial of the Gate
| image = [[File:Gate.jpg|200px]]
| established = {{Start date|1965|5|9}}
| location = [[Riga|the city of Riga]]
}}
The '''Gate''' is a ''memorial''.<ref name="a">{{cite web|title=T}}</ref>

== History ==
It was erected in 1965.<ref>Note</ref>

=== Design ===
* One ''item''
* Two [[Link|items]]

[[File:Gate2.jpg|thumb|A caption]]

== See also ==
* [[Other memorial]]

== Notes ==
{{notelist}}

== References ==
{{reflist}}

== External links ==
* [http://example.org Site]

[[Category:Memorials]]
"""

EXPORT = """<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11">
  <siteinfo><sitename>Wikipedia</sitename><base>https://en.wikipedia.org/wiki/Main_Page</base></siteinfo>
  <page><title>Gate memorial</title><ns>0</ns><id>1</id>
    <revision><id>98765</id>
      <text xml:space="preserve">The '''Gate''' reads in Latvian «Atceries» [Remember].</text></revision>
  </page>
</mediawiki>"""


def test_wikitext_becomes_the_seed_format():
    seed = to_seed(WIKI, "Gate")
    assert seed == (
        "= Gate =\n\nInfobox\n- Name: Memorial of the Gate\n- Established: 9 May 1965\n"
        "- Location: the city of Riga\n\nThe Gate is a memorial.\n\n==History==\n\n"
        "It was erected in 1965.\n\n==Design==\n\n- One item\n- Two items\n\n==See also==\n\n"
        "- Other memorial\n")
    article = parse_article(seed)             # the seed format's own reader accepts it
    assert [s.heading for s in article.sections] == ["History", "Design", "See also"]


def test_detection():
    assert looks_like_wikitext(WIKI)
    assert looks_like_wikitext("plain", "page.wiki")
    assert not looks_like_wikitext("= Title =\n\nText with [[brackets]].\n")


def test_a_special_export_gives_title_revision_and_url():
    page = read_page(EXPORT, "gate.xml")
    assert (page.title, page.revision, page.url) == (
        "Gate memorial", "98765", "https://en.wikipedia.org/wiki/Gate_memorial")
    assert page.seed.startswith("= Gate memorial =\n\nThe Gate reads in Latvian «Atceries»")


def test_new_from_an_export_states_its_provenance(tmp_path):
    ws = copy_workspace(tmp_path / "ws", with_locales=False)
    source = tmp_path / "gate.xml"
    source.write_text(EXPORT, "utf-8")
    result = run_kit(ws, "new", "gate", "--article", str(source))
    assert result.returncode == 0, result.stderr
    manifest = (ws / "seeds" / "gate" / "memorial.toml").read_text("utf-8")
    assert 'url = "https://en.wikipedia.org/wiki/Gate_memorial?oldid=98765"' in manifest
    assert 'licence = "CC BY-SA 4.0"' in manifest
    assert 'inscriptions = { lv = "Atceries" }' in manifest
    assert (ws / "seeds" / "gate" / "article.wiki").read_text("utf-8") == EXPORT


def test_bad_input_names_the_article_and_writes_nothing(tmp_path):
    ws = copy_workspace(tmp_path / "ws", with_locales=False)
    source = tmp_path / "broken.xml"
    source.write_text("<mediawiki><page>", "utf-8")
    result = run_kit(ws, "new", "broken", "--article", str(source))
    assert result.returncode == 2
    assert result.stderr.startswith(f"{source}:1: error: not a readable MediaWiki export")
    assert not (ws / "seeds" / "broken").exists()
    assert not list(ws.rglob("broken*"))            # no folder, no staging copy


def test_quotes_dates_and_languages_in_templates_keep_their_text():
    seed = to_seed("The stone was unveiled on {{Start date|1991|9|23}}. It reads:\n"
                   "{{quote|text=in Lithuanian «{{lang|lt|Atminkite}}» [Remember]}}\n"
                   "{{blockquote|in Yiddish «זכור» [Remember]}}{{efn|A note}}\n", "Stone")
    assert seed == ("= Stone =\n\nThe stone was unveiled on 23 September 1991. It reads: "
                    "in Lithuanian «Atminkite» [Remember] in Yiddish «זכור» [Remember]\n")


WIKI_PIECES = st.sampled_from([
    "{{Infobox memorial", "| name = X", "| date = {{Start date|1988|4|18}}", "}}", "{{", "]]",
    "[[", "[[Link|text]]", "[[File:x.jpg|thumb]]", "'''bold'''", "''it''", "== H ==",
    "=== Sub ===", "==", "=", "* item", "# item", "- dash", "<ref>r</ref>", "<ref name=a/>",
    "{| class=x", "|}", "|-", "| cell", "<!-- c -->", "&nbsp;", "«Text»", "Infobox", "\n", "\n\n",
    "word", "== References ==", "== See also ==", "<br />", "{{lang|de|Wort}}", ":", ";",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(WIKI_PIECES, max_size=40).map(" ".join))
def test_any_wikitext_gives_an_article_the_seed_reader_accepts(text):
    seed = to_seed(text + "\nSome text.", "A page")
    article = parse_article(seed)
    assert article.title == "A page"
