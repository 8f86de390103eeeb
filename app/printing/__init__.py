"""Every printed document of Lotse: fonts, page frame, escaping, PDF/A.

Documents take records and return PDF bytes; nothing here touches the store or Qt. Each document
module lays out a story of flowables; ``page_frame`` puts it on A4 pages with header, footer and
(for drafts) the ENTWURF watermark; ``pdfa`` makes the result archivable (PDF/A-2b).
"""

from __future__ import annotations

from app.printing import certificate, fonts, minutes
from app.printing.page_frame import build
from app.printing.pdfa import to_pdfa
from app.services.certificates.records import CertificateDocument
from app.services.conferences.records import MinutesDocument

__all__ = ["render_certificate", "render_minutes"]


def render_minutes(doc: MinutesDocument, *, pdfa: bool = True) -> bytes:
    """The minutes as PDF bytes; PDF/A-2b unless ``pdfa`` is False (the same pages either way)."""
    fonts.register()  # before any paragraph is parsed: <b> resolves through the family
    frame = minutes.page_frame(doc)
    title = f"{minutes.DOCUMENT_NAME}: {doc.title}"
    subject = minutes.DOCUMENT_NAME
    data = build(minutes.story(doc), frame, title=title, author=doc.municipality,
                 subject=subject)
    if not pdfa:
        return data
    return to_pdfa(data, title=title, author=doc.municipality, subject=subject,
                   created=doc.printed_at)


def render_certificate(doc: CertificateDocument, *, pdfa: bool = True) -> bytes:
    """A certificate (client or training) as PDF bytes; PDF/A-2b unless ``pdfa`` is False."""
    return certificate.render(doc, pdfa=pdfa)
