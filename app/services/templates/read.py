"""Certificate templates: the defaults declared in ``resources/certificates/`` overlaid by a
team's versions (table ``certificate_template``), the checker every template passes before it
is used or stored, and the one way placeholders are filled.

Filling never calls ``str.format`` on template text: a team lead types the texts, and format
syntax (``{name.__class__}``, ``{name:>99999}``) would let a template reach into Python objects
or blow up a page. Placeholders are plain ``{key}`` matched by a regex and replaced by values
that are never scanned again.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import catalogues
from app.date_input import format_date
from app.errors import NotFound, ValidationFailed
from app.seal.keys import fingerprint_of, new_private_key, public_key_of
from app.seal.qrtext import seal, shorten_to_fit
from app.seal.records import SealPayload
from app.services.certificates.records import (
    TRAINING,
    CertificateDocument,
)
from app.services.templates.records import FIELD_KINDS, PLACEHOLDERS, Template, TemplateField
from app.vault.store import Vault
from db.models import CertificateTemplate

PACKAGE = "resources.certificates"
MAX_RESOURCE_BYTES = 64 * 1024
KEY_RE = re.compile(r"[a-z][a-z0-9_]{1,39}")
FIELD_KEY_RE = re.compile(r"[a-z][a-z0-9_]{0,29}")
KIND_RE = re.compile(r"[a-z][a-z_]{1,29}")
PLACEHOLDER_RE = re.compile(r"\{([a-z][a-z0-9_]*)\}")
SEAL_TARGETS = ("subject", "period_from", "period_until")
# Placeholders that reveal more than initials: refused in a template that prints initials only.
NAME_PLACEHOLDERS = ("vorname", "nachname", "geburtsdatum")

# A conservative budget for one A4 page, measured on render_certificate's layout (letterhead,
# seal and signature take their fixed share): the texts with every placeholder at its longest,
# a share per paragraph, and per fact line a table row plus its value's wrapped width.
PAGE_BUDGET = 1500  # the first overflow measured at ~1700 (0–10 fact lines)
BLOCK_COST = 60
FACT_COST = 110
MAX_TITLE = 60
MAX_BLOCKS = 8
MAX_FIELDS = 10
MAX_LABEL = 60
# Longest value accepted at issuance, per field kind (write.py enforces them).
VALUE_CAPS = {"text": 80, "multiline": 500, "date": 10, "number": 6}
PLACEHOLDER_CAP = 60  # names, office, place, dates


def _refuse(message_de: str, detail_en: str, field: str = "template") -> ValidationFailed:
    return ValidationFailed(message_de, detail_en, field=field)


def _check_chars(text: str, where: str) -> None:
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co"):
            raise _refuse(f"{where} enthält ein Steuerzeichen (U+{ord(ch):04X}). Bitte "
                          "entfernen Sie es; Absätze werden als eigene Textblöcke angelegt.",
                          f"control character U+{ord(ch):04X} in {where}")


def placeholders_in(text: str, where: str = "Der Text") -> list[str]:
    """The placeholder keys of ``text`` in order; refuses anything but plain ``{key}``."""
    keys: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "}":
            raise _refuse(f"{where}: Eine schließende Klammer „}}“ hat keine öffnende.",
                          "unbalanced closing brace")
        if ch != "{":
            i += 1
            continue
        end = text.find("}", i + 1)
        nested = text.find("{", i + 1)
        if end < 0:
            raise _refuse(f"{where}: Eine öffnende Klammer „{{“ wird nicht geschlossen.",
                          "unbalanced opening brace")
        if 0 <= nested < end:
            raise _refuse(f"{where}: Platzhalter dürfen nicht verschachtelt werden; auch "
                          "doppelte Klammern sind nicht erlaubt.", "nested braces")
        inner = text[i + 1:end]
        if any(c in inner for c in "!:"):
            raise _refuse(f"{where}: „{{{inner[:30]}}}“ – Formatangaben in Platzhaltern sind "
                          "nicht erlaubt. Schreiben Sie nur den Namen, z. B. {name}.",
                          "format spec or conversion in placeholder")
        if any(c in inner for c in ".[]"):
            raise _refuse(f"{where}: „{{{inner[:30]}}}“ – Punkte und eckige Klammern sind in "
                          "Platzhaltern nicht erlaubt. Schreiben Sie nur den Namen, z. B. {name}.",
                          "attribute or index access in placeholder")
        if not PLACEHOLDER_RE.fullmatch("{" + inner + "}"):
            raise _refuse(f"{where}: „{{{inner[:30]}}}“ ist kein gültiger Platzhalter. Erlaubt "
                          "sind Kleinbuchstaben, Ziffern und Unterstrich.", "bad placeholder")
        keys.append(inner)
        i = end + 1
    return keys


def _check_fields(t: Template) -> dict[str, TemplateField]:
    if len(t.fields) > MAX_FIELDS:
        raise _refuse(f"Eine Vorlage hat höchstens {MAX_FIELDS} Eingabefelder.", "too many fields")
    fields: dict[str, TemplateField] = {}
    seals: dict[str, str] = {}
    for f in t.fields:
        if not FIELD_KEY_RE.fullmatch(f.key):
            raise _refuse(f"Die Feldkennung „{f.key[:30]}“ ist ungültig: erlaubt sind "
                          "Kleinbuchstaben (ohne Umlaute), Ziffern und Unterstrich, am Anfang "
                          "ein Buchstabe.", "bad field key", "fields")
        if f.key in PLACEHOLDERS:
            raise _refuse(f"Die Feldkennung „{f.key}“ ist bereits ein fester Platzhalter. Bitte "
                          "wählen Sie eine andere.", "reserved field key", "fields")
        if f.key in fields:
            raise _refuse(f"Die Feldkennung „{f.key}“ kommt zweimal vor.", "duplicate field key",
                          "fields")
        if not f.label.strip() or len(f.label) > MAX_LABEL:
            raise _refuse(f"Das Feld „{f.key}“ braucht eine Beschriftung (höchstens {MAX_LABEL} "
                          "Zeichen).", "field label empty or too long", "fields")
        _check_chars(f.label, f"Die Beschriftung des Feldes „{f.key}“")
        if f.kind not in FIELD_KINDS:
            raise _refuse(f"Das Feld „{f.key}“ hat eine unbekannte Art „{f.kind[:20]}“.",
                          "unknown field kind", "fields")
        if f.seal is not None:
            if f.seal not in SEAL_TARGETS:
                raise _refuse(f"Das Feld „{f.key}“ hat eine unbekannte Siegel-Zuordnung.",
                              "unknown seal mapping", "fields")
            if f.seal in seals:
                raise _refuse(f"Die Siegel-Zuordnung „{f.seal}“ ist doppelt vergeben (Felder "
                              f"„{seals[f.seal]}“ und „{f.key}“).", "seal mapping twice",
                              "fields")
            if f.seal.startswith("period") and f.kind != "date":
                raise _refuse(f"Das Feld „{f.key}“ geht als Zeitraum ins Siegel und muss daher "
                              "ein Datum sein.", "period mapping on a non-date field", "fields")
            seals[f.seal] = f.key
        fields[f.key] = f
    return fields


def _estimate(text: str, fields: Mapping[str, TemplateField]) -> int:
    """The text's length with every placeholder at the longest value it can take."""
    def cap(m: re.Match[str]) -> str:
        f = fields.get(m[1])
        return "x" * (VALUE_CAPS[f.kind] if f else PLACEHOLDER_CAP)
    return len(PLACEHOLDER_RE.sub(cap, text))


def page_estimate(blocks: tuple[str, ...], fields: Mapping[str, TemplateField]) -> int:
    """The page budget a template uses at most (see PAGE_BUDGET)."""
    return sum(_estimate(b, fields) + BLOCK_COST for b in blocks) + sum(
        FACT_COST + (len(f.label) + VALUE_CAPS[f.kind]) // 2
        for f in fields.values() if f.kind != "multiline")


def check_template(t: Template) -> None:
    """Refuse, in German, every template that could not be filled or printed on one page."""
    if not KEY_RE.fullmatch(t.key):
        raise _refuse("Die Kennung der Vorlage ist ungültig: 2–40 Kleinbuchstaben (ohne Umlaute), "
                      "Ziffern oder Unterstriche, am Anfang ein Buchstabe.", "bad template key",
                      "key")
    if not KIND_RE.fullmatch(t.kind) or t.kind == TRAINING:
        raise _refuse("Die Art der Vorlage ist ungültig (Kleinbuchstaben, z. B. „participation“; "
                      f"„{TRAINING}“ ist dem Fortbildungszertifikat vorbehalten).",
                      "bad template kind", "kind")
    if not t.title.strip():
        raise _refuse("Bitte geben Sie der Vorlage einen Titel.", "empty title", "title")
    if len(t.title) > MAX_TITLE:
        raise _refuse(f"Der Titel ist zu lang (höchstens {MAX_TITLE} Zeichen).", "title too long",
                      "title")
    _check_chars(t.title, "Der Titel")
    placeholders_in(t.title, "Der Titel")
    if PLACEHOLDER_RE.search(t.title):
        raise _refuse("Der Titel darf keine Platzhalter enthalten.", "placeholder in title",
                      "title")
    if not t.blocks or not any(b.strip() for b in t.blocks):
        raise _refuse("Die Vorlage braucht mindestens einen Textblock.", "no blocks", "blocks")
    if len(t.blocks) > MAX_BLOCKS:
        raise _refuse(f"Eine Vorlage hat höchstens {MAX_BLOCKS} Textblöcke.", "too many blocks",
                      "blocks")
    fields = _check_fields(t)
    allowed = [*PLACEHOLDERS, *fields]
    for n, block in enumerate(t.blocks, 1):
        where = f"Textblock {n}"
        if not block.strip():
            raise _refuse(f"{where} ist leer. Bitte füllen oder entfernen Sie ihn.",
                          "empty block", "blocks")
        _check_chars(block, where)
        for key in placeholders_in(block, where):
            if key not in allowed:
                raise _refuse(f"{where}: Unbekannter Platzhalter {{{key}}}. Erlaubt sind: "
                              + ", ".join(f"{{{k}}}" for k in allowed) + ".",
                              f"unknown placeholder {key}", "blocks")
            if t.initials_only and key in NAME_PLACEHOLDERS:
                raise _refuse(f"{where}: Die Vorlage druckt nur Initialen; {{{key}}} würde mehr "
                              "von der Person zeigen.", f"{key} in an initials-only template",
                              "blocks")
    total = page_estimate(t.blocks, fields)
    if total > PAGE_BUDGET:
        raise _refuse(f"Die Texte sind für eine Seite zu lang (mit den längsten möglichen "
                      f"Angaben etwa {total} Zeichen, höchstens {PAGE_BUDGET}). Bitte kürzen "
                      "Sie sie.", f"too long for one page ({total} > {PAGE_BUDGET})", "blocks")


# --- declared data and the store -------------------------------------------------------------

def template_from_data(data: Mapping[str, Any], *, builtin: bool = False,
                       modified: bool = False, active: bool = True) -> Template:
    """A template from its JSON shape (resource file or the table's body), checked."""
    try:
        fields = tuple(TemplateField(key=str(f["key"]), label=str(f["label"]),
                                     kind=str(f.get("kind", "text")),
                                     required=bool(f.get("required", True)),
                                     seal=None if f.get("seal") is None else str(f["seal"]))
                       for f in data.get("fields", ()))
        t = Template(key=str(data["key"]), kind=str(data["kind"]), title=str(data["title"]),
                     blocks=tuple(str(b) for b in data["blocks"]), fields=fields,
                     initials_only=bool(data.get("initials_only", False)),
                     show_birth_date=bool(data.get("show_birth_date", True)),
                     active=active, builtin=builtin, modified=modified)
    except (KeyError, TypeError, AttributeError) as exc:
        raise _refuse("Die Vorlage ist unvollständig oder fehlerhaft aufgebaut.",
                      f"malformed template data: {exc!r}") from exc
    check_template(t)
    return t


def body_of(t: Template) -> dict[str, Any]:
    """What the table's ``body`` column holds (and the resource files, with key/kind/title)."""
    return {"blocks": list(t.blocks), "initials_only": t.initials_only,
            "show_birth_date": t.show_birth_date,
            "fields": [{"key": f.key, "label": f.label, "kind": f.kind, "required": f.required,
                        "seal": f.seal} for f in t.fields]}


@cache
def _defaults() -> tuple[Template, ...]:
    found: list[Template] = []
    for entry in sorted(resources.files(PACKAGE).iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        raw = entry.read_bytes()
        if len(raw) > MAX_RESOURCE_BYTES:
            raise ValueError(f"resources/certificates/{entry.name} is too large")
        t = template_from_data(json.loads(raw.decode("utf-8")), builtin=True)
        if f"{t.key}.json" != entry.name:
            raise ValueError(f"resources/certificates/{entry.name} declares key {t.key!r}")
        found.append(t)
    return tuple(found)


def default_templates() -> list[Template]:
    return list(_defaults())


def _same_content(a: Template, b: Template) -> bool:
    return (a.kind, a.title, body_of(a)) == (b.kind, b.title, body_of(b))


def from_row(row: CertificateTemplate) -> Template:
    default = next((d for d in _defaults() if d.key == row.key), None)
    data = {**row.body, "key": row.key, "kind": row.kind, "title": row.title}
    t = template_from_data(data, builtin=default is not None, active=row.active)
    modified = default is not None and not _same_content(t, default)
    return template_from_data(data, builtin=default is not None, active=row.active,
                              modified=modified)


def templates_in(s: Session, include_inactive: bool = False) -> list[Template]:
    rows = {r.key: r for r in s.execute(select(CertificateTemplate).where(
        CertificateTemplate.deleted.is_(False))).scalars()}
    result = [from_row(rows.pop(d.key)) if d.key in rows else d for d in _defaults()]
    result += [from_row(r) for _, r in sorted(rows.items())]
    return [t for t in result if include_inactive or t.active]


def templates(vault: Vault, include_inactive: bool = False) -> list[Template]:
    """The defaults, each replaced by the team's version where there is one, then the team's
    own templates."""
    with vault.read_session() as s:
        return templates_in(s, include_inactive)


def template_in(s: Session, key: str) -> Template:
    for t in templates_in(s, include_inactive=True):
        if t.key == key:
            return t
    raise NotFound("Die Vorlage wurde nicht gefunden.", f"no template {key[:40]!r}")


def template(vault: Vault, key: str) -> Template:
    with vault.read_session() as s:
        return template_in(s, key)


# --- filling ---------------------------------------------------------------------------------

def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace each ``{key}`` by its value; values are inserted as they are, never re-scanned."""
    return PLACEHOLDER_RE.sub(lambda m: values.get(m[1], ""), text)


def filled_blocks(t: Template, values: Mapping[str, str]) -> tuple[str, ...]:
    """The texts filled in. A block naming an optional field left empty is left out (so no
    "im Umfang von  Stunden" is printed)."""
    empty_optional = {f.key for f in t.fields if not f.required and not values.get(f.key)}
    return tuple(fill(b, values) for b in t.blocks
                 if not empty_optional.intersection(PLACEHOLDER_RE.findall(b)))


def facts_of(t: Template, values: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """The short fields with a value, as label/value lines under the text."""
    return tuple((f.label, values[f.key]) for f in t.fields
                 if f.kind != "multiline" and values.get(f.key))


def initials(given: str, family: str) -> str:
    parts = [p for p in (*given.split(), *family.replace("-", " ").split()) if p]
    return " ".join(f"{p[0].upper()}." for p in parts)


SAMPLE_VALUES = {"text": "Sprachkurs B1 (Beispiel)", "multiline": "Beispieltext",
                 "date": "01.09.2026", "number": "120"}


def sample_document(vault: Vault, t: Template) -> CertificateDocument:
    """A filled document with sample values, for the editor's preview (no seal: the QR text is
    a placeholder of realistic length, so the preview shows the real layout)."""
    check_template(t)
    today = vault.clock.today()
    m = catalogues.municipality(vault.info.municipality)
    holder = "M. H." if t.initials_only else "Mariam Haidari"
    values = {"name": holder, "vorname": "Mariam", "nachname": "Haidari",
              "initialen": "M. H.", "geburtsdatum": "14.03.1991",
              "ausstellungsdatum": format_date(today), "stelle": m.authority, "ort": m.label,
              "fallmanager": vault.info.owner_name}
    values.update({f.key: SAMPLE_VALUES[f.kind] for f in t.fields})
    serial = f"{m.code}-{today.year}-{vault.info.vault_code}-B0000"
    birth = None if t.initials_only or not t.show_birth_date else date(1991, 3, 14)
    # Sealed with a throwaway key: the preview shows a real code of realistic size, and
    # verifying it answers "unbekannter Aussteller", never "gültig".
    sample_key = new_private_key()
    qr_text = seal(shorten_to_fit(SealPayload(
        kind=t.kind, serial=serial, holder=holder, birth_date=birth, issued_on=today,
        office=m.authority, subject=SAMPLE_VALUES["text"])), sample_key)
    return CertificateDocument(
        serial=serial, kind=t.kind, title=t.title, blocks=filled_blocks(t, values),
        holder_name=holder, holder_birth_date=birth, facts=facts_of(t, values),
        issued_on=today, office=m.authority, place=m.label,
        issuer_name=vault.info.owner_name, qr_text=qr_text, check_code="MUSTR-MUSTR",
        key_fingerprint=fingerprint_of(public_key_of(sample_key)))
