"""PDF/X-4, PDF/UA-1 and PDF/A-3 through WeasyPrint's ``pdf_variant``, made exact.

WeasyPrint writes the variants' conformance metadata, output intents, tags and
attachments.  What it leaves open is done here, by small overrides of one
document's writing (never of the process):

- every date is the build's (``SOURCE_DATE_EPOCH``), and the XMP DocumentID is
  derived from the job's inputs, not random: the same inputs give the same bytes;
- each structure element of an HTML element with a ``lang`` (a carved text, a
  passage printed in English as a fallback) carries that language as /Lang;
- a press page's BleedBox is its TrimBox plus the manifest's bleed exactly (the
  page's CSS bleed is wider: the crop marks sit outside the printed bleed);
- an archive copy records the SHA-256 of each attached source in its XMP, with
  the extension schema PDF/A asks for, and each attachment's media type is the
  kit's, not the machine's MIME database's.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import os
import uuid
from dataclasses import dataclass, field
from xml.etree import ElementTree

from .geometry import PT_MM
from .sourcedate import source_date

# Without SOURCE_DATE_EPOCH the dates are this fixed one, as fontTools' stamps are.
DEFAULT_EPOCH = 946684800
SOURCES_NS = "http://memorial-kit.invalid/ns/sources/1.0/"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XMPMM = "http://ns.adobe.com/xap/1.0/mm/"
_EXTENSION = {"pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
              "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
              "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#"}
MEDIA_TYPES = {".txt": "text/plain", ".toml": "application/toml",
               ".po": "text/x-gettext-translation", ".pot": "text/x-gettext-translation"}

for _prefix, _uri in {"mksources": SOURCES_NS, **_EXTENSION}.items():
    ElementTree.register_namespace(_prefix, _uri)


@dataclass(frozen=True)
class Source:
    """A file an archive copy was printed from, attached to it byte for byte."""
    name: str
    data: bytes
    description: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES.get(os.path.splitext(self.name)[1], "application/octet-stream")


@dataclass
class PdfStandard:
    """How one product's PDF is written: which standard, and what that standard needs."""
    variant: str                        # WeasyPrint's: "pdf/ua-1", "pdf/x-4", "pdf/a-3a"
    identity: str                       # the job's inputs digest: the XMP DocumentID
    bleed_mm: float | None = None       # press pages: BleedBox = TrimBox + this
    profile: "IccProfile | None" = None     # the output intent
    css: str = ""                       # a user stylesheet laid out with the page: bleed, marks
    sources: list[Source] = field(default_factory=list)

    @property
    def tagged(self) -> bool:
        return self.variant.startswith("pdf/ua") or self.variant[-1:] == "a"

    def write(self, document, identifier: bytes) -> bytes:
        """``document`` (laid out by WeasyPrint) as PDF bytes of this standard; the
        document is left as it was, to be written again as another."""
        import weasyprint
        stamp = build_time()
        attachments = [weasyprint.Attachment(
            file_obj=io.BytesIO(source.data), name=source.name,
            description=source.description, created=stamp, modified=stamp,
            relationship="Source") for source in self.sources]
        with _document_set_up(document, self, stamp), \
                (_languages_tagged() if self.tagged else contextlib.nullcontext()):
            return document.write_pdf(
                pdf_variant=self.variant, pdf_identifier=identifier, custom_metadata=True,
                uncompressed_pdf=False, output_intent=self.profile and self.profile.name,
                attachments=attachments or None, finisher=self._finish)

    def _finish(self, document, pdf) -> None:
        """Before the trailer: the exact bleed box, the attachments' media types, and
        each associated file listed once (WeasyPrint 70 lists each twice)."""
        import pydyf
        if "AF" in pdf.catalog:
            pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(pdf.catalog["AF"]))
        objects = [o for o in pdf.objects if isinstance(o, dict)]
        for page in (o for o in objects if o.get("Type") == "/Page"):
            if self.bleed_mm is not None and "TrimBox" in page:
                bleed = self.bleed_mm / PT_MM
                left, top, right, bottom = page["TrimBox"]
                page["BleedBox"] = pydyf.Array([left - bleed, top - bleed,
                                                right + bleed, bottom + bleed])
        types = {source.name: source.media_type for source in self.sources}
        for spec in (o for o in objects if o.get("Type") == "/Filespec"):
            stream = pdf.objects[int(spec["EF"]["F"].split()[0])]
            media = types.get(_plain(spec["UF"]), "application/octet-stream")
            stream.extra["Subtype"] = "/" + media.replace("/", "#2f")


def _plain(string) -> str:
    """A pydyf.String's text (it keeps what it was made from)."""
    return string.string if hasattr(string, "string") else str(string)


def build_time() -> dt.datetime:
    """The time every printed PDF carries (naive, UTC): SOURCE_DATE_EPOCH's, or a fixed
    one.  A value that is no such time is refused (as extract refuses it), never replaced."""
    stamp = source_date()
    if stamp is None:
        stamp = dt.datetime.fromtimestamp(DEFAULT_EPOCH, dt.timezone.utc)
    return stamp.replace(tzinfo=None)


@dataclass(frozen=True)
class IccProfile:
    """An output intent's ICC profile, embedded as it is named in CSS (``--press``)."""
    name: str
    data: bytes

    @property
    def components(self) -> list[str]:
        """Its colour space's components, read from the profile's header (WeasyPrint
        embeds a profile with as many components as it is given names)."""
        self.check()
        return _COMPONENTS[self.data[16:20]].split()

    def check(self) -> None:
        """ValueError unless this is an ICC profile of a colour space a PDF can name."""
        if self.data[36:40] != b"acsp":
            raise ValueError("not an ICC profile (no 'acsp' signature in its header)")
        if self.data[16:20] not in _COMPONENTS:
            raise ValueError(f"an ICC profile of colour space {self.data[16:20]!r}: "
                             "RGB, CMYK or gray only")


_COMPONENTS = {b"RGB ": "r g b", b"CMYK": "c m y k", b"GRAY": "k"}


@contextlib.contextmanager
def _document_set_up(document, standard: PdfStandard, stamp: dt.datetime):
    """While ``document`` is written as ``standard``: its dates, its XMP, its output
    intent; then all as it was."""
    metadata = document.metadata
    saved = (metadata.created, metadata.modified, dict(document.color_profiles),
             document.output_intent)
    metadata.created = metadata.modified = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    if standard.profile is not None:
        from weasyprint.css import ColorProfile
        profile = standard.profile
        document.color_profiles[profile.name] = ColorProfile(
            io.BytesIO(profile.data), profile.name, "relative-colorimetric", profile.components)
        document.output_intent = profile.name
    _override_rdf(metadata, standard)
    try:
        yield
    finally:
        metadata.created, metadata.modified, profiles, document.output_intent = saved
        document.color_profiles.clear()
        document.color_profiles.update(profiles)
        del metadata.generate_rdf_metadata      # the class's again


def _override_rdf(metadata, standard: PdfStandard) -> None:
    """This document's XMP: WeasyPrint's, with a DocumentID from the job's inputs and,
    for an archive copy, the sources' hashes (and their schema)."""
    original = metadata.generate_rdf_metadata

    def generate_rdf_metadata(variant, version, conformance):
        rdf = ElementTree.fromstring(original(variant, version, conformance))
        document_id = f"uuid:{uuid.UUID(hex=standard.identity[:32])}"
        for element in rdf.iter(f"{{{_XMPMM}}}DocumentID"):
            element.text = document_id
        if standard.sources:
            _add_sources(rdf, standard.sources)
        return ElementTree.tostring(rdf, encoding="utf-8")

    metadata.generate_rdf_metadata = generate_rdf_metadata


def _add_sources(rdf, sources: list[Source]) -> None:
    """mksources:files, one "<sha256>  <name>" line per source (as sha256sum writes them),
    and the PDF/A extension schema that declares the property."""
    sub = ElementTree.SubElement
    rdf_ = f"{{{_RDF}}}"
    description = sub(rdf, rdf_ + "Description", {rdf_ + "about": ""})
    bag = sub(sub(description, f"{{{SOURCES_NS}}}files"), rdf_ + "Bag")
    for source in sources:
        sub(bag, rdf_ + "li").text = f"{source.sha256}  {source.name}"
    ext, schema, prop = (f"{{{_EXTENSION[k]}}}" for k in ("pdfaExtension", "pdfaSchema",
                                                           "pdfaProperty"))
    declaration = sub(rdf, rdf_ + "Description", {rdf_ + "about": ""})
    entry = sub(sub(sub(declaration, ext + "schemas"), rdf_ + "Bag"), rdf_ + "li",
                {rdf_ + "parseType": "Resource"})
    sub(entry, schema + "schema").text = "memorial-kit: the sources a document was printed from"
    sub(entry, schema + "namespaceURI").text = SOURCES_NS
    sub(entry, schema + "prefix").text = "mksources"
    item = sub(sub(sub(entry, schema + "property"), rdf_ + "Seq"), rdf_ + "li",
               {rdf_ + "parseType": "Resource"})
    sub(item, prop + "name").text = "files"
    sub(item, prop + "valueType").text = "bag Text"
    sub(item, prop + "category").text = "external"
    sub(item, prop + "description").text = (
        "the SHA-256 and name of each attached source file, as sha256sum prints them")


@contextlib.contextmanager
def _languages_tagged():
    """While one document is written: a structure element made for an HTML element
    with a ``lang`` attribute carries it as /Lang (WeasyPrint 70 gives the document's
    language only).  Its tag builder calls itself through the module, so wrapping the
    module's function reaches every element."""
    import pydyf
    from weasyprint.pdf import tags
    original = tags._build_box_tree

    def build_box_tree(box, parent, *args):
        element = getattr(getattr(box, "_box", box), "element", None)
        lang = element.get("lang") if element is not None and hasattr(element, "get") else None
        own = lang and element.tag not in ("html", "body")
        for made in original(box, parent, *args):
            if own and "Lang" not in made:
                made["Lang"] = pydyf.String(lang)
            yield made

    tags._build_box_tree = build_box_tree
    try:
        yield
    finally:
        tags._build_box_tree = original
