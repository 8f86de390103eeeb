"""Text that would identify a person, as the gap register refuses it (pure: no store, no Qt).

The register goes to the steering committee unchanged, so a gap is described in general terms.
Refused in title and description, each with a German explanation at the field:

- case numbers (DO-2026-K7QX-0042);
- names of persons in the vault: a given name together with the family name, or a family name
  after "Frau", "Herr", "Familie" (folded, so "Oeztuerk" and "OZTÜRK" are "Öztürk"). A family
  name alone is not refused: many are ordinary words ("Lange Wartezeiten", "Koch", "Bauer").
  The words of the text are looked up in the indexed person sort keys, never all names loaded
  (``app.services.gaps.queries.persons_named``);
- complete dates (day, month and year) and "geb." / "geboren": what a data-protection officer
  asks for. Such a date may be a birth date, also of a relative who is not in the vault, and
  the register never needs the exact day; "seit Oktober 2026" or "10/2026" is enough, and the
  day the gap was noticed has its own field;
- phone numbers, e-mail addresses and street addresses (street and house number, postcode and
  place).

Messages never repeat what was found: it is personal data, and messages may end up in logs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.errors import ValidationFailed
from db.folding import SORT_SEPARATOR, fold_search, fold_sort

GENERAL = ("Das Register geht ohne personenbezogene Daten an das Steuerungsgremium. "
           "Beschreiben Sie die Lücke allgemein.")
CASE_NUMBER = re.compile(r"\b[A-Z]{1,3}-\d{4}-[A-Z0-9]{2,6}-\d{4}\b", re.IGNORECASE)
_MONTHS = ("januar|februar|märz|maerz|april|mai|juni|juli|august|september|oktober|november|"
           "dezember|jan|feb|mär|mrz|apr|jun|jul|aug|sep|sept|okt|nov|dez")
FULL_DATE = re.compile(
    r"(?<![\d.])\d{1,2}\s*[./-]\s*\d{1,2}\s*[./-]\s*(?:\d{4}|\d{2})(?![\d])"
    rf"|\b\d{{1,2}}\.\s*(?:{_MONTHS})\.?\s+\d{{2,4}}\b"
    r"|\b\d{4}-\d{2}-\d{2}\b"
    r"|\bgeb\.|\bgeboren\b|\bgeburtsdatum\b", re.IGNORECASE)
PHONE = re.compile(
    r"(?<![\w+])(?:\+|00)\s*[1-9][\d\s/().-]{5,}\d"  # +49 231 1234567, 0049 …
    r"|(?<![\w])\(?0[1-9]\d{1,4}\)?\s*[\s/-]?\s*\d[\d\s-]{3,}\d")  # 0231 12345, (0231) 123-45
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_STREET_WORDS = r"straße|strasse|str\.|gasse|allee|weg|platz|ring|damm|ufer|chaussee|pfad"
STREET = re.compile(
    rf"\b\w{{2,}}(?:{_STREET_WORDS})\s*\d{{1,3}}\s?[a-z]?\b"  # Musterstraße 12, Hauptweg 3a
    r"|\b(?:straße|strasse|str\.)\s*\d{1,3}\s?[a-z]?\b",  # Kölner Str. 5
    re.IGNORECASE)
# Postcode and place; five digits before a count word are a number, not a postcode.
POSTCODE = re.compile(r"\b\d{5}\s+(?!(?i:euro|eur|personen|menschen|fälle|fällen|klient\w*|"
                      r"stunden|tage|tagen|anträge\w*|plätze\w*)\b)[A-ZÄÖÜ][a-zäöüß]{2,}")
TITLES = frozenset({"frau", "herr", "herrn", "familie", "fam", "fr", "hr", "eheleute"})


def _refuse(message: str, detail: str, field: str) -> None:
    raise ValidationFailed(f"{message} {GENERAL}", detail, field=field)


def check_patterns(text: str, field: str) -> None:
    """Refuse case numbers, complete dates, phone numbers, e-mail and street addresses."""
    if CASE_NUMBER.search(text):
        _refuse("Bitte keine Fallnummern eintragen.", "text contains a case number", field)
    if FULL_DATE.search(text):
        _refuse("Bitte kein vollständiges Datum und kein Geburtsdatum eintragen: Ein Datum mit "
                "Tag, Monat und Jahr kann ein Geburtsdatum sein. Monat und Jahr genügen, "
                "z. B. „seit Oktober 2026“.", "text contains a complete date", field)
    if PHONE.search(text) or EMAIL.search(text):
        _refuse("Bitte keine Telefonnummern oder E-Mail-Adressen eintragen.",
                "text contains a phone number or e-mail address", field)
    if STREET.search(text) or POSTCODE.search(text):
        _refuse("Bitte keine Anschriften (Straße und Hausnummer, Postleitzahl und Ort) "
                "eintragen.", "text contains a street address", field)


def _sort_primary(text: str) -> str:
    return fold_sort(text).split(SORT_SEPARATOR, 1)[0]


def lookup_words(text: str) -> set[str]:
    """The words of ``text`` as a person's sort key starts (``fold_sort``), plus their search
    folding: "Oeztuerk" folds to "ozturk", the sort key of "Öztürk"."""
    words = {_sort_primary(w) for w in text.replace("-", " ").split()}
    words |= set(fold_search(text).split())
    words.discard("")
    return words


def names_a_person(folded: list[str], family: str, given: str) -> bool:
    """Whether the folded words contain the family name with a given name or a title."""
    family_words = fold_search(family).split()
    given_words = set(fold_search(given).split())
    size = len(family_words)
    if not family_words:
        return False
    for i in range(len(folded) - size + 1):
        if folded[i:i + size] != family_words:
            continue
        before = folded[i - 1] if i > 0 else ""
        if before in TITLES or given_words & set(folded):
            return True
    return False


def check_no_person_name(text: str, field: str, persons: Iterable[tuple[str, str]]) -> None:
    """Refuse a name of one of ``persons`` ((family, given), the candidates the vault found for
    ``lookup_words(text)``): given and family name, or "Frau"/"Herr"/"Familie" + family."""
    folded = fold_search(text).split()
    for family, given in persons:
        if names_a_person(folded, family, given):
            _refuse("Bitte keine Namen eintragen: Der Text nennt eine Person, die im Tresor "
                    "erfasst ist.", "text names a person in the vault", field)
