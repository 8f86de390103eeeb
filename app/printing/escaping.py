"""The one way user text gets into reportlab markup.

reportlab's Paragraph parses an XML-like markup (``<b>``, ``<font size=40>``, ``<a href=…>``,
entities). A caseworker who types such text into a field must see it printed as typed, never
interpreted: every string that comes from a person goes through ``text`` before it meets markup.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

# Control characters (but tab and newline) carry no meaning on paper and would print as empty
# boxes; pasted from another program they stand between words, so they become spaces.
_CONTROL = {c: " " for c in range(32) if c not in (9, 10)} | {0x7F: " "}


def text(value: str | None, *, empty: str = "") -> str:
    """``value`` as paragraph markup that prints literally; line breaks stay line breaks."""
    if value is None or not value.strip():
        return escape(empty)
    cleaned = value.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROL)
    cleaned = cleaned.replace("\t", "    ")
    return "<br/>".join(escape(line) for line in cleaned.strip("\n").split("\n"))


def plain(value: str) -> str:
    """``value`` for a line drawn straight on the canvas (header, footer): no markup is parsed
    there, but a control character would still print as an empty box, which PDF/A forbids."""
    return " ".join(value.translate(_CONTROL).split())
