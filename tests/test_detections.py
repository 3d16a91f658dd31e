"""The detections that read a translation as a reader would (memorial_kit/checks/detections.py):
each one finds its fault in languages and scripts the shipped edition does not have, and
stays quiet on correct text."""
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from memorial_kit.checks import detections as d
from memorial_kit.checks.entries import EntryContext
from memorial_kit.po import Entry


def entry(msgid, msgstr, msgctxt=None, flags=(), line=7):
    e = Entry(msgid=msgid, msgstr=msgstr, msgctxt=msgctxt)
    e.flags = list(flags)
    e.line = line
    return e


def ctx(locale, **more):
    return EntryContext(locale, "dom", f"locales/{locale}/LC_MESSAGES/dom.po", **more)


def codes(findings):
    return [(f.code, f.severity, f.line) for f in findings]


# --------------------------------------------------------------------------
# Invisible characters
# --------------------------------------------------------------------------
@pytest.mark.parametrize("char", ["\u202e", "\u202a", "\u2066", "\u2069", "\u200b", "\u2060",
                                  "\ufeff", "\u200e", "\u0007"])
def test_invisible_characters_the_source_lacks_are_errors_by_code_point(char):
    found = d.check_invisible(entry("The camp", f"Lager{char} des"), ctx("de"))
    assert codes(found) == [("invisible-character", "error", 7)]
    assert f"U+{ord(char):04X}" in found[0].message


def test_joiners_that_spell_a_word_and_characters_the_source_has_are_kept():
    # Persian writes the zero-width non-joiner inside words
    assert d.check_invisible(entry("they went", "می\u200cروند"), ctx("fa")) == []
    assert d.check_invisible(entry("a\u00adb", "a\u00adb"), ctx("de")) == []
    # between Latin letters a joiner is only a hidden character
    assert codes(d.check_invisible(entry("camp", "La\u200dger"), ctx("de")))[0][0] \
        == "invisible-character"


# --------------------------------------------------------------------------
# Length limits without rendering
# --------------------------------------------------------------------------
def test_max_length_is_a_warning_over_the_limit_and_an_error_far_over_it():
    flags = ["max-length:20"]
    assert d.check_max_length(entry("short", "x" * 20, flags=flags), ctx("pl")) == []
    assert codes(d.check_max_length(entry("short", "x" * 25, flags=flags), ctx("pl"))) \
        == [("max-length", "warning", 7)]
    assert codes(d.check_max_length(entry("short", "x" * 41, flags=flags), ctx("pl"))) \
        == [("max-length", "error", 7)]
    assert d.check_max_length(entry("short", "x" * 500), ctx("pl")) == []    # no flag


# --------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------
@pytest.mark.parametrize("locale,good,bad", [
    ("ru", "31 июля начались аресты", "31 июня начались аресты"),           # genitive
    ("pl", "31 lipca 1953 r. zaczęły się aresztowania", "31 sierpnia 1953 r. zaczęły się"),
    ("de", "Am 31. Juli 1953 begannen", "Am 31. Juni 1953 begannen"),
    ("uk", "31 липня почалися арешти", "31 червня почалися арешти"),
    ("cs", "31. července 1953 začalo", "31. června 1953 začalo"),
    ("fr", "Le 31 juil. 1953", "Le 31 juin 1953"),                           # abbreviated
    ("zh", "1953年7月31日开始逮捕", "1953年6月31日开始逮捕"),
    ("lt", "1953 m. liepos 31 d. prasidėjo", "1953 m. birželio 31 d. prasidėjo"),
])
def test_a_changed_month_is_an_error_in_any_language(locale, good, bad):
    source = entry("On 31 July 1953 mass arrests began", good)
    assert d.check_dates(source, ctx(locale)) == []
    changed = d.check_dates(entry("On 31 July 1953 mass arrests began", bad), ctx(locale))
    assert codes(changed) == [("date-changed", "error", 7)]


def test_month_words_without_a_day_or_year_are_not_dates():
    # "May" the verb, and a month word far from any number, are not read as dates
    assert d.dated_months("They may strike. July was hot.", "en") == []
    assert d.check_dates(entry("The strike in July 1953", "Забастовка в июле 1953 года"),
                         ctx("ru")) == []      # a case CLDR does not list: not misread


def test_stand_alone_and_genitive_forms_both_count():
    assert [m for m, _ in d.dated_months("июль 1953", "ru")] == [7]
    assert [m for m, _ in d.dated_months("31 июля", "ru")] == [7]


# --------------------------------------------------------------------------
# Carved texts quoted in running text
# --------------------------------------------------------------------------
CARVED = [("Ojczyzna pamięta", "the front face of the stone")]


def test_a_quoted_carved_text_must_be_kept_letter_for_letter():
    source = "The stone reads «Ojczyzna pamięta» [The fatherland remembers]."
    good = entry(source, "Auf dem Stein steht „Ojczyzna pamięta“ [Das Vaterland gedenkt].")
    assert d.check_quoted_inscriptions(good, ctx("de", inscriptions=CARVED)) == []
    bad = entry(source, "Auf dem Stein steht „Ojczyzna pamieta“ [Das Vaterland gedenkt].")
    found = d.check_quoted_inscriptions(bad, ctx("de", inscriptions=CARVED))
    assert codes(found) == [("inscription-quoted", "error", 7)]
    assert "'ę' U+0119" in found[0].message and "'e' U+0065" in found[0].message
    gone = entry(source, "Auf dem Stein steht eine Inschrift.")
    assert "does not quote it" in d.check_quoted_inscriptions(
        gone, ctx("de", inscriptions=CARVED))[0].message
    # a source that does not quote it asks nothing
    assert d.check_quoted_inscriptions(entry("A stone.", "Ein Stein."),
                                       ctx("de", inscriptions=CARVED)) == []


# --------------------------------------------------------------------------
# Omissions
# --------------------------------------------------------------------------
def test_sentences_know_abbreviations():
    assert len(d.sentences("Dr. Smith came on 1 Aug. 1953. He left. Nobody knew why.", "en")) == 3
    assert len(d.sentences("В 1953 г. началась забастовка, т. е. протест. Её подавили.", "ru")) == 2
    # Lithuanian is not among pysbd's languages: "m." and "d." after a number are not ends
    assert len(d.sentences("1953 m. liepos 31 d. prasidėjo areštai. Kaliniai priešinosi.", "lt")) == 2


SOURCES = [f"Sentence one about item {n} is here. Sentence two follows it. And a third one."
           for n in range(8)]


def test_a_dropped_sentence_is_a_warning_and_a_short_translation_an_error():
    entries = [entry(s, s.replace("Sentence", "Satz"), line=10 + n) for n, s in enumerate(SOURCES)]
    assert d.check_omissions(entries, ctx("de")) == []
    entries[2].msgstr = "Satz one about item 2 is here. And a third one."
    entries[5].msgstr = "Satz one about item 5."
    assert codes(d.check_omissions(entries, ctx("de"))) == [
        ("omission-sentences", "warning", 12), ("omission-length", "error", 15)]


def test_the_expected_length_is_the_catalogs_own():
    # a language that writes a third as many characters as English is not "short"
    entries = [entry(s, "句子" * (len(s) // 6) + "。", line=n) for n, s in enumerate(SOURCES)]
    assert [f for f in d.check_omissions(entries, ctx("zh")) if f.code == "omission-length"] == []
    entries[3].msgstr = "句子。"
    assert codes([f for f in d.check_omissions(entries, ctx("zh"))
                  if f.code == "omission-length"]) == [("omission-length", "error", 3)]


def test_a_text_is_split_into_sentences_once_per_process(monkeypatch):
    """Every locale's catalog has the same source texts: pysbd splits each once."""
    from memorial_kit.checks import detections
    detections._split_cached.cache_clear()
    calls = []
    real = detections._segmenter

    def counting(language):
        segmenter = real(language)
        return type("Counting", (), {"segment": lambda self, text: calls.append(text)
                                     or segmenter.segment(text)})()
    monkeypatch.setattr(detections, "_segmenter", counting)
    text = "The strike began on 19 July. It ended on 1 August, when the guards fired."
    first = detections.sentences(text, "en")
    first.append("a caller's own list")               # never the kept one
    assert detections.sentences(text, "en") == ["The strike began on 19 July. ",
                                                 "It ended on 1 August, when the guards fired."]
    assert calls == [text]
    detections._split_cached.cache_clear()


def test_the_invisible_character_check_skips_only_texts_without_one():
    """check_invisible skips a text that str.isprintable() accepts: no character it looks
    for (format characters, controls but line ends and tabs) is printable."""
    import sys
    missed = [hex(c) for c in range(sys.maxunicode + 1)
              if not 0xD800 <= c <= 0xDFFF and d._invisible(chr(c)) and chr(c).isprintable()]
    assert missed == []


MONTH_TEXTS = st.lists(st.sampled_from(
    ["1", "19", "1953", " ", "(", "-", "июля", "июль", "July", "may", "May", "rugpjūčio",
     "d.", "m.", "7月", "17", "x", "ß", "İ"]), max_size=12).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=MONTH_TEXTS, locale=st.sampled_from(["en", "ru", "lt", "de", "ja"]))
def test_the_quick_look_for_a_month_name_hides_no_date(text, locale):
    """dated_months first asks whether any month name is in the text at all; reading
    every text with the whole-word pattern alone finds the same dates."""
    quick = d.dated_months(text, locale)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(d, "_any_month_name", lambda code: re.compile(""))
        assert d.dated_months(text, locale) == quick
