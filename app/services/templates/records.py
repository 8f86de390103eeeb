"""Records of certificate templates."""

from __future__ import annotations

from dataclasses import dataclass

# Placeholders filled from the case and the vault; a template's own fields add theirs.
# name -> what it stands for (German: the template editor lists them).
PLACEHOLDERS = {
    "name": "Vor- und Nachname der Person",
    "vorname": "Vorname(n)",
    "nachname": "Nachname",
    "initialen": "Initialen (wenn der Name nicht erscheinen soll)",
    "geburtsdatum": "Geburtsdatum (TT.MM.JJJJ)",
    "ausstellungsdatum": "Datum der Ausstellung",
    "stelle": "Ausstellende Stelle, z. B. „Stadt Dortmund“",
    "ort": "Ort der ausstellenden Stelle",
    "fallmanager": "Name der ausstellenden Fallmanagerin / des Fallmanagers",
}
FIELD_KINDS = ("text", "multiline", "date", "number")


@dataclass(frozen=True)
class TemplateField:
    """A value asked for when the certificate is issued; usable as ``{key}`` in the texts."""

    key: str  # lower-case ASCII letters, digits, underscore; not one of PLACEHOLDERS
    label: str  # German, shown at the field
    kind: str = "text"  # one of FIELD_KINDS
    required: bool = True
    seal: str | None = None  # "subject" / "period_from" / "period_until": goes into the seal


@dataclass(frozen=True)
class Template:
    key: str  # stable, e.g. "teilnahme"
    kind: str  # participation / counselling / …
    title: str  # printed as the heading, e.g. "Teilnahmebescheinigung"
    blocks: tuple[str, ...]  # paragraphs with {placeholders}
    fields: tuple[TemplateField, ...]
    initials_only: bool = False  # the seal and the text carry initials, not the name
    show_birth_date: bool = True
    active: bool = True
    builtin: bool = True  # a default from resources/certificates/
    modified: bool = False  # the team changed the default
