"""PDF/A-2b from reportlab's output: output intent, XMP identification, nothing forbidden.

reportlab writes embedded TrueType subsets and no transparency, but no PDF/A: it has no output
intent and no XMP packet. This step adds both with pikepdf, removes what PDF/A forbids should it
ever appear (page transitions, JavaScript and other actions, encryption) and keeps the document
information dictionary and the XMP packet saying the same. Object streams stay off, so the file
also passes PDF/A-1 validators (PDFBox Preflight checks the PDF/A-1b rules).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from functools import cache
from importlib import resources

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from app.printing import xmp

ICC_PACKAGE = "resources.color"
OUTPUT_CONDITION = "sRGB IEC61966-2.1"
PART, CONFORMANCE = "2", "B"
CREATOR = "Lotse"
PRODUCER = "Lotse (reportlab, pikepdf)"


@cache
def _srgb_profile() -> bytes:
    return resources.files(ICC_PACKAGE).joinpath("sRGB.icc").read_bytes()


def _pdf_date(at: datetime) -> str:
    return at.astimezone(UTC).strftime("D:%Y%m%d%H%M%S+00'00'")


def _strip_forbidden(pdf: pikepdf.Pdf) -> None:
    root = pdf.Root
    for key in ("/OpenAction", "/AA"):
        if key in root:
            del root[key]
    names = root.get("/Names")
    if isinstance(names, Dictionary):
        for key in ("/JavaScript", "/AlternatePresentations", "/EmbeddedFiles"):
            if key in names:
                del names[key]
    for page in pdf.pages:
        for key in ("/Trans", "/AA", "/PresSteps", "/Dur"):
            if key in page.obj:
                del page.obj[key]
        for annot in page.obj.get("/Annots", Array()):
            # PDF/A: every annotation is printed (flag 4), never hidden or invisible.
            flags = int(annot.get("/F", 0))
            annot.F = (flags | 4) & ~(1 | 2 | 32)
            if "/A" in annot and annot.A.get("/S") != Name.URI:
                del annot["/A"]


def to_pdfa(data: bytes, *, title: str, author: str, subject: str, created: datetime) -> bytes:
    """``data`` (reportlab's PDF) as PDF/A-2b, identified as such in its XMP metadata."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        profile = pdf.make_stream(_srgb_profile())
        profile.N = 3
        pdf.Root.OutputIntents = Array([pdf.make_indirect(Dictionary(
            Type=Name.OutputIntent, S=Name.GTS_PDFA1,
            OutputConditionIdentifier=String(OUTPUT_CONDITION), Info=String(OUTPUT_CONDITION),
            RegistryName=String("http://www.color.org"), DestOutputProfile=profile))])
        _strip_forbidden(pdf)
        stamp = _pdf_date(created)
        fields = {"title": xmp.clean(title), "author": xmp.clean(author),
                  "subject": xmp.clean(subject)}
        info = pdf.docinfo
        for key in list(info.keys()):  # reportlab's keywords, trapped …: only what XMP says too
            del info[key]
        info.Title = String(fields["title"])
        info.Author = String(fields["author"])
        info.Subject = String(fields["subject"])
        info.Creator = String(CREATOR)
        info.Producer = String(PRODUCER)
        info.CreationDate = String(stamp)
        info.ModDate = String(stamp)
        metadata = pdf.make_stream(xmp.packet(
            part=PART, conformance=CONFORMANCE, creator=CREATOR, producer=PRODUCER,
            created=created, **fields))
        metadata.Type = Name.Metadata
        metadata.Subtype = Name.XML
        pdf.Root.Metadata = metadata
        out = io.BytesIO()
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.disable,
                 fix_metadata_version=False)
        return out.getvalue()
