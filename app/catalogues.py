"""Catalogues: declared data (``resources/catalogues/*.json``), loaded into frozen dataclasses.

Every file is ``{"catalogue": <stem>, "version": int, "description": str, "entries": [...]}``.
Each entry must carry exactly the fields of its dataclass (unknown or missing keys, wrong types
and dangling references are a :class:`CatalogueError` naming file, entry and field), so a typo in
a catalogue update fails loudly on load instead of silently changing behaviour.

The phases and their minimum documentation are rules more than code lists: they live in
:mod:`app.catalogue_phases`; :func:`phases` and :func:`phase` are importable from here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from app.catalogue_loading import (
    CatalogueError,
    Coded,
    JsonScalar,
    UnknownCode,
    Where,
    load_entries,
)
from app.catalogue_loading import lookup as _lookup
from app.catalogue_loading import require as _require
from app.catalogue_phases import phase, phases
from db.folding import fold_sort
from db.models import ATTAINMENTS, WORK_PERMISSIONS

__all__ = ["CatalogueError", "Coded", "JsonScalar", "UnknownCode", "Where", "load_entries",
           "phase", "phases"]


MUNICIPALITY_KINDS = {
    "kreis": "Kreis",
    "kreisfreie_stadt": "kreisfreie Stadt",
    "kreisangehoerige_kommune": "kreisangehörige Kommune",
}
STATUS_GROUPS = ("asylum", "toleration", "residence_permit", "settlement", "other")


@dataclass(frozen=True)
class Municipality(Coded):  # code: licence-plate style, part of case and certificate numbers
    kind: str  # key of MUNICIPALITY_KINDS
    district: str | None  # the Kreis of a kreisangehörige Kommune
    reception_facilities: tuple[str, ...]

    @property
    def kind_label(self) -> str:
        return MUNICIPALITY_KINDS[self.kind]

    @property
    def authority(self) -> str:
        """The name a letterhead carries: "Stadt Dortmund", "Kreis Lippe" (a Kreis is named
        with its kind already)."""
        return self.label if self.kind == "kreis" else f"Stadt {self.label}"


@dataclass(frozen=True)
class ResidenceStatusKind(Coded):
    short_label: str
    group: str  # one of STATUS_GROUPS, for steering figures
    legal_basis: str
    expires: bool  # the document has an end date: saved without one only as "Ende unbekannt"
    typical_validity_months: int | None  # None: unlimited
    renewable: bool
    followup_days_before_expiry: tuple[int, ...]  # descending, e.g. (90, 60, 30)
    default_work_permission: str | None  # one of WORK_PERMISSIONS; None: see the document
    target_group_hints: tuple[str, ...]
    aims: tuple[str, ...]  # status kinds this one typically leads to
    note: str | None


@dataclass(frozen=True)
class InstitutionKind(Coded):
    legal_domain: str | None
    disclosure_warning: str | None  # shown and acknowledged before every disclosure


@dataclass(frozen=True)
class LifeDomain(Coded):
    description: str
    data_category: str  # category a disclosure of this domain's content touches


@dataclass(frozen=True)
class DataCategory(Coded):
    description: str
    special: bool  # only with explicit consent and an acknowledged warning (confided)
    gdpr_article: str | None


@dataclass(frozen=True)
class TargetGroup(Coded):
    description: str
    named_by_programme: bool


@dataclass(frozen=True)
class ContactKind(Coded):
    outreach: bool
    in_person: bool


@dataclass(frozen=True)
class CloseReason(Coded):
    description: str


@dataclass(frozen=True)
class Attainment(Coded):
    pass


@dataclass(frozen=True)
class Country(Coded):  # code: ISO 3166-1 alpha-2 as stored in person.nationality
    pass


@dataclass(frozen=True)
class Language(Coded):  # code: ISO 639-1 (639-3 where none exists), as in person.languages
    pass


@dataclass(frozen=True)
class HouseholdRelation(Coded):  # code: stored in person.household_role, relative to the client
    pass


class AccessRoute(Coded):  # code: stored in case_file.access_route (steering figures count it)
    pass



def label_or_code(entries: tuple[Coded, ...], code: str | None, *, short: bool = False) -> str:
    """A code's German label (``short_label`` where asked and present); a code the catalogue
    lacks, e.g. written by a newer release on another laptop, is shown as it is stored."""
    if not code:
        return ""
    for entry in entries:
        if entry.code == code:
            return str(getattr(entry, "short_label", entry.label)) if short else entry.label
    return code


# --- the catalogues ------------------------------------------------------------------------


@cache
def municipalities() -> tuple[Municipality, ...]:
    items = load_entries("municipalities", Municipality)
    for m in items:
        where = f"municipalities.json[{m.code}]"
        _require(m.code.isascii() and m.code.isalpha() and m.code.isupper() and len(m.code) <= 3,
                 f"{where}: code must be 1-3 capital letters (it appears in case numbers)")
        _require(m.kind in MUNICIPALITY_KINDS, f"{where}: unknown kind {m.kind!r}")
    return items


def municipality(code: str) -> Municipality:
    return _lookup(municipalities(), code, "municipalities")


@cache
def target_groups() -> tuple[TargetGroup, ...]:
    return load_entries("target_groups", TargetGroup)


@cache
def status_kinds() -> tuple[ResidenceStatusKind, ...]:
    items = load_entries("residence_status_kinds", ResidenceStatusKind)
    codes = {k.code for k in items}
    groups = {g.code for g in target_groups()}
    for k in items:
        where = f"residence_status_kinds.json[{k.code}]"
        _require(k.group in STATUS_GROUPS, f"{where}: unknown group {k.group!r}")
        _require(k.default_work_permission in (None, *WORK_PERMISSIONS),
                 f"{where}: default_work_permission must be one of {WORK_PERMISSIONS} or null")
        _require(k.expires == (k.typical_validity_months is not None),
                 f"{where}: a kind that expires needs typical_validity_months, and only it")
        days = k.followup_days_before_expiry
        _require(all(d > 0 for d in days) and list(days) == sorted(days, reverse=True),
                 f"{where}: followup_days_before_expiry must be positive and descending")
        _require(set(k.aims) <= codes, f"{where}: aims name unknown kinds")
        _require(set(k.target_group_hints) <= groups, f"{where}: unknown target group hint")
    return items


def status_kind(code: str) -> ResidenceStatusKind:
    return _lookup(status_kinds(), code, "residence_status_kinds")


@cache
def institution_kinds() -> tuple[InstitutionKind, ...]:
    return load_entries("institution_kinds", InstitutionKind)


def institution_kind(code: str) -> InstitutionKind:
    return _lookup(institution_kinds(), code, "institution_kinds")


@cache
def data_categories() -> tuple[DataCategory, ...]:
    items = load_entries("data_categories", DataCategory)
    _require(any(c.special for c in items), "data_categories.json: no special (confided) category")
    return items


def data_category(code: str) -> DataCategory:
    return _lookup(data_categories(), code, "data_categories")


@cache
def life_domains() -> tuple[LifeDomain, ...]:
    items = load_entries("life_domains", LifeDomain)
    known = {c.code for c in data_categories()}
    for d in items:
        _require(d.data_category in known,
                 f"life_domains.json[{d.code}]: unknown data_category {d.data_category!r}")
    return items


@cache
def contact_kinds() -> tuple[ContactKind, ...]:
    return load_entries("contact_kinds", ContactKind)


@cache
def close_reasons() -> tuple[CloseReason, ...]:
    return load_entries("close_reasons", CloseReason)


@cache
def attainments() -> tuple[Attainment, ...]:
    items = load_entries("attainment", Attainment)
    # The codes are also a CHECK constraint on goal.attainment: both must agree.
    _require(tuple(a.code for a in items) == ATTAINMENTS,
             f"attainment.json: codes must be exactly {ATTAINMENTS}")
    return items


@cache
def countries() -> tuple[Country, ...]:
    """Nationalities, in German dictionary order of their names (as offered for choice)."""
    items = load_entries("countries", Country)
    for c in items:
        _require(len(c.code) == 2 and c.code.isascii() and c.code.isalpha() and c.code.isupper(),
                 f"countries.json[{c.code}]: code must be two capital letters (ISO 3166-1)")
    return tuple(sorted(items, key=lambda c: fold_sort(c.label)))


@cache
def household_relations() -> tuple[HouseholdRelation, ...]:
    return load_entries("household_relations", HouseholdRelation)


@cache
def languages() -> tuple[Language, ...]:
    """Languages, in German dictionary order of their names (as offered for choice)."""
    items = load_entries("languages", Language)
    for lang in items:
        code = lang.code
        _require(len(code) in (2, 3) and code.isascii() and code.isalpha() and code.islower(),
                 f"languages.json[{code}]: code must be 2 or 3 small letters (ISO 639)")
    return tuple(sorted(items, key=lambda lang: fold_sort(lang.label)))


def country_label(code: str) -> str:
    """The German name of a nationality code; an unknown code is shown as it is stored."""
    return label_or_code(countries(), code)


def language_label(code: str) -> str:
    """The German name of a language code; an unknown code is shown as it is stored."""
    return label_or_code(languages(), code)


@cache
def access_routes() -> tuple[AccessRoute, ...]:
    """How a case came to case management, in the order offered (one list everywhere)."""
    return load_entries("access_routes", AccessRoute)


def access_route_label(code: str | None) -> str:
    """The German label of an access route; a free text stored before the catalogue existed is
    shown as it is stored."""
    return label_or_code(access_routes(), code)


def language_code(text: str) -> str:
    """The code of a language typed by its German name (or code); other text is kept as typed,
    so a language the catalogue lacks can still be recorded."""
    wanted = text.strip().casefold()
    for lang in languages():
        if wanted in (lang.label.casefold(), lang.code):
            return lang.code
    return text.strip()
