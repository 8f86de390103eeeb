"""The XMP metadata packet of an archivable document (PDF/A identification and Dublin Core).

Written out here rather than with pikepdf's metadata editor: validators (PDFBox's xmpbox among
them) expect each schema's namespace declared on its rdf:Description, and the values must say
exactly what the document information dictionary says.
"""

from __future__ import annotations

from datetime import UTC, datetime
from xml.sax.saxutils import escape

# XML 1.0 forbids most control characters; a title typed with one must not break the packet.
_CONTROL = {c: " " for c in range(32)} | {0x7F: " "}

_PACKET = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <pdfaid:part>{part}</pdfaid:part>
   <pdfaid:conformance>{conformance}</pdfaid:conformance>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt>
   </dc:description>
   <dc:language><rdf:Bag><rdf:li>{language}</rdf:li></rdf:Bag></dc:language>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   <xmp:CreatorTool>{creator}</xmp:CreatorTool>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:MetadataDate>{date}</xmp:MetadataDate>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdf:Producer>{producer}</pdf:Producer>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def clean(value: str) -> str:
    """A value as both the info dictionary and the XMP packet can hold it."""
    return " ".join(value.translate(_CONTROL).split())


def packet(*, part: str, conformance: str, title: str, author: str, subject: str,
           creator: str, producer: str, created: datetime, language: str = "de-DE") -> bytes:
    iso = created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    values = {"title": title, "author": author, "subject": subject, "creator": creator,
              "producer": producer, "language": language}
    escaped = {key: escape(clean(value)) for key, value in values.items()}
    return _PACKET.format(part=part, conformance=conformance, date=iso, **escaped).encode("utf-8")
