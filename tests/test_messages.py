"""Message contexts: each form built, spelled as the catalogs hold it, and read back."""
import pytest
from conftest import ROOT

from memorial_kit import messages, po
from memorial_kit.messages import Context, parse

# The spellings every catalog written so far holds: they never change.
FORMS = [
    (messages.inscription("yurshor", "front"), "inscription: yurshor, front face",
     Context("inscription", ("yurshor", "front"))),
    (messages.inscription("m-2", "side-3"), "inscription: m-2, side-3 face",
     Context("inscription", ("m-2", "side-3"))),
    (messages.label("noble", messages.LABEL_TITLE), "label: noble, title",
     Context("label", ("noble", "title"))),
    (messages.label("uprising", messages.LABEL_TEXT), "label: uprising, text",
     Context("label", ("uprising", "text"))),
    (messages.label("rechlag", "1953-07-26"), "label: rechlag, 1953-07-26",
     Context("label", ("rechlag", "1953-07-26"))),
    (messages.monument_name("yurshor"), "monument: yurshor, name",
     Context("monument", ("yurshor", "name"))),
    (messages.monument_caption("yurshor"), "monument: yurshor, caption",
     Context("monument", ("yurshor", "caption"))),
    (messages.infobox("Conflict"), "infobox: Conflict", Context("infobox", ("Conflict",))),
    (messages.infobox("Place, region: a"), "infobox: Place, region: a",
     Context("infobox", ("Place, region: a",))),
    (messages.INFOBOX_LABEL, "infobox label", Context("infobox label")),
    (messages.FACT_SOURCE, "fact source", Context("fact source")),
]


@pytest.mark.parametrize("built, spelled, parsed", FORMS, ids=[f[1] for f in FORMS])
def test_every_form_is_spelled_as_the_catalogs_hold_it_and_reads_back(built, spelled, parsed):
    assert built == spelled
    assert parse(built) == parsed
    assert str(parsed) == spelled


@pytest.mark.parametrize("ctxt", [
    None, "", "monument face",                  # no context, the templates' own
    "inscription: yurshor",                     # no face
    "inscription: yurshor, front",              # no " face"
    "inscription: , front face", "inscription: yurshor,  face",
    "label: noble", "label: , title", "label: noble, ", "label: a, b,c",
    "monument: yurshor, height", "monument: yurshor",
    "infobox: ", "infobox:Conflict", "plaque: yurshor, name", "inscription:yurshor, front face",
])
def test_a_malformed_or_foreign_context_is_none(ctxt):
    assert parse(ctxt) is None
    assert not messages.is_inscription(ctxt) and not messages.is_label_caption(ctxt)


def test_inscriptions_and_label_captions_are_told_apart():
    assert messages.is_inscription("inscription: yurshor, back face")
    assert not messages.is_inscription("monument: yurshor, name")
    assert messages.is_label_caption("label: uprising, text")
    assert messages.is_label_caption("label: rechlag, 1953-07-26")
    assert not messages.is_label_caption("label: noble, title")
    assert not messages.is_label_caption("inscription: yurshor, front face")


def test_the_seed_catalog_contexts_all_parse():
    """Every context in the shipped memorial's template is one of the forms above."""
    pot = po.read_po_file(ROOT / "locales" / "vorkuta-uprising.pot")
    contexts = {e.msgctxt for e in pot.entries if e.msgctxt is not None}
    assert contexts and all(parse(c) is not None for c in contexts)
    kinds = {parse(c).what for c in contexts}
    assert {"inscription", "label", "monument", "infobox", "infobox label"} <= kinds
    assert all(str(parse(c)) == c for c in contexts)
