"""Pools of fictional demo data (``resources/demo/*.json``), loaded into frozen dataclasses.

Everything here is invented or generic: common names without reference to individuals,
freely combined street names, caseworker phrases without people, institution name patterns.
The demo generator draws from these pools; nothing in the application depends on them.

Conventions (also stated in the files):

* Origins are keys such as ``"syrian"``, ``"afghan"``, ``"turkish"`` (see :attr:`NamePool.origins`,
  which maps each key to its share of a realistic mix for the KIM target groups; shares sum
  to 1).
* Nationalities are ISO 3166-1 alpha-2 codes with a share within the origin. ``XK`` is Kosovo
  (the user-assigned code the EU and German authorities use), ``XS`` means stateless and ``XX``
  unresolved ("ungeklärt"); German adjectives via :meth:`NamePool.nationality_label`.
* Languages are ISO 639-1 codes where one exists, else ISO 639-3 (``prs`` Dari, ``kmr``
  Kurmanji, ``ckb`` Sorani, ``pcm`` Nigerian Pidgin, ``rom`` Romani ...); ``share`` is the share
  of people of that origin who speak the language; German labels come with them.
* Gender of given names: ``"f"`` or ``"m"``. Family names are stored in their base (masculine)
  form; origins with gendered surnames (Polish -ski/-ska, Russian/Bulgarian -ov/-ova, Ukrainian
  -skyi/-ska) derive the feminine form with ``family(origin, "f")``.
* Life domains, contact kinds, institution kinds and municipality codes are codes from
  ``resources/catalogues`` (checked by the tests, not at load time, so the pools stay loadable
  on their own).

Each loader validates its file strictly (exact keys, types, no empty strings, no duplicates, NFC
text) and raises :class:`DemoDataError` naming file and position. Results are cached.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import cache
from types import MappingProxyType
from typing import cast

__all__ = [
    "GENDERS",
    "DemoDataError",
    "GoalTemplate",
    "InstitutionPattern",
    "JournalFragment",
    "Language",
    "NamePool",
    "Origin",
    "Place",
    "SystemGapExample",
    "Town",
    "fill_institution",
    "goal_life_domains",
    "goal_templates",
    "institution_patterns",
    "journal_fragments",
    "languages_for",
    "name_pool",
    "places",
    "street_names",
    "system_gap_examples",
    "traeger",
]

from app.demo.pool_reading import (
    as_code_map,
    as_number,
    as_object,
    as_objects,
    as_optional_text,
    as_text,
    as_text_map,
    as_texts,
    load_document,
    placeholders,
    repeated,
    require,
)
from app.demo.pool_records import (
    GENDERS,
    INSTITUTION_PLACEHOLDERS,
    LANGUAGE_PLACEHOLDER,
    DemoDataError,
    GoalTemplate,
    InstitutionPattern,
    JournalFragment,
    Language,
    NamePool,
    Origin,
    Place,
    SystemGapExample,
    Town,
    fill_institution,
)

# --- names ---------------------------------------------------------------------------------


@cache
def name_pool() -> NamePool:
    """Given and family names per origin, with languages, nationalities and weights."""
    name = "names.json"
    doc = load_document(
        name, "lotse.demo.names/1", ("conventions", "nationalities", "languages", "origins")
    )
    as_code_map(doc["conventions"], f"{name}.conventions")
    nationality_labels = as_text_map(doc["nationalities"], f"{name}.nationalities")
    language_labels = as_text_map(doc["languages"], f"{name}.languages")
    raw_origins = as_code_map(doc["origins"], f"{name}.origins")
    parsed = [
        _origin(key, raw, f"{name}.origins.{key}", nationality_labels, language_labels)
        for key, raw in raw_origins.items()
    ]
    total = sum(o.weight for o in parsed)
    origins = tuple(replace(o, weight=o.weight / total) for o in parsed)
    return NamePool(
        origin_list=origins,
        nationality_labels=tuple(nationality_labels.items()),
        language_labels=tuple(language_labels.items()),
    )


def _origin(
    key: str,
    raw: object,
    where: str,
    nationality_labels: Mapping[str, str],
    language_labels: Mapping[str, str],
) -> Origin:
    data = as_object(
        raw,
        where,
        {"label", "weight", "nationalities", "languages", "family", "given"},
        {"note", "feminine_suffixes"},
    )
    nationalities = []
    for code, share in as_code_map(data["nationalities"], f"{where}.nationalities").items():
        require(code in nationality_labels, f"{where}.nationalities: unknown code {code!r}")
        nationalities.append((code, as_number(share, f"{where}.nationalities.{code}", at_most=1)))
    total = sum(share for _, share in nationalities)
    require(abs(total - 1) < 1e-9, f"{where}.nationalities: shares sum to {total}, not 1")
    languages = []
    for code, share in as_code_map(data["languages"], f"{where}.languages").items():
        require(code in language_labels, f"{where}.languages: unknown code {code!r}")
        languages.append(
            Language(
                code,
                language_labels[code],
                as_number(share, f"{where}.languages.{code}", at_most=1),
            )
        )
    suffixes = (
        as_text_map(data["feminine_suffixes"], f"{where}.feminine_suffixes")
        if "feminine_suffixes" in data
        else {}
    )
    given = as_object(data["given"], f"{where}.given", set(GENDERS))
    return Origin(
        key=key,
        label=as_text(data["label"], f"{where}.label"),
        weight=as_number(data["weight"], f"{where}.weight"),
        nationalities=tuple(sorted(nationalities, key=lambda item: -item[1])),
        languages=tuple(sorted(languages, key=lambda lang: -lang.share)),
        family_names=as_texts(data["family"], f"{where}.family"),
        given_female=as_texts(given["f"], f"{where}.given.f"),
        given_male=as_texts(given["m"], f"{where}.given.m"),
        feminine_suffixes=tuple(sorted(suffixes.items(), key=lambda item: -len(item[0]))),
        note=as_optional_text(data.get("note"), f"{where}.note"),
    )


def languages_for(origin: str) -> tuple[Language, ...]:
    """Languages spoken by people of ``origin``, most common first."""
    return name_pool().languages_for(origin)


# --- places --------------------------------------------------------------------------------


@cache
def _places_doc() -> tuple[tuple[str, ...], tuple[Place, ...]]:
    name = "places.json"
    doc = load_document(name, "lotse.demo.places/1", ("street_names", "municipalities"))
    streets = as_texts(doc["street_names"], f"{name}.street_names")
    result = []
    keys = {"code", "name", "towns"}
    for where, data in as_objects(doc["municipalities"], f"{name}.municipalities", keys):
        towns = []
        for at, town in as_objects(data["towns"], f"{where}.towns", {"name", "postal_codes"}):
            codes = as_texts(town["postal_codes"], f"{at}.postal_codes")
            for code in codes:
                require(len(code) == 5 and code.isdigit(), f"{where}: bad postal code {code!r}")
            towns.append(Town(as_text(town["name"], f"{at}.name"), codes))
        code, label = as_text(data["code"], f"{where}.code"), as_text(data["name"], where)
        result.append(Place(code, label, tuple(towns)))
    return streets, tuple(result)


def street_names() -> tuple[str, ...]:
    """German street names (fictional combinations, with umlauts and ß)."""
    return _places_doc()[0]


def places() -> tuple[Place, ...]:
    """The 12 model municipalities with towns and their postal codes."""
    return _places_doc()[1]


# --- journal -------------------------------------------------------------------------------


@cache
def _journal() -> tuple[JournalFragment, ...]:
    name = "journal.json"
    doc = load_document(name, "lotse.demo.journal/1", ("fragments",))
    fragments = []
    keys = {"text", "life_domain", "contact_kind"}
    for where, data in as_objects(doc["fragments"], f"{name}.fragments", keys):
        text = as_text(data["text"], f"{where}.text")
        unknown = placeholders(text) - {LANGUAGE_PLACEHOLDER}
        require(not unknown, f"{where}.text: unknown placeholders {sorted(unknown)}")
        fragments.append(
            JournalFragment(
                text=text,
                life_domain=as_optional_text(data["life_domain"], f"{where}.life_domain"),
                contact_kind=as_optional_text(data["contact_kind"], f"{where}.contact_kind"),
            )
        )
    duplicates = repeated(f.text for f in fragments)
    require(not duplicates, f"{name}: duplicate fragments {duplicates}")
    return tuple(fragments)


def journal_fragments(life_domain: str | None = None) -> tuple[JournalFragment, ...]:
    """Journal sentences a caseworker would write; all, or those of one life domain."""
    fragments = _journal()
    if life_domain is None:
        return fragments
    return tuple(f for f in fragments if f.life_domain == life_domain)


# --- goals ---------------------------------------------------------------------------------


@cache
def _goals() -> Mapping[str, tuple[GoalTemplate, ...]]:
    name = "goals.json"
    doc = load_document(name, "lotse.demo.goals/1", ("goals",))
    result: dict[str, tuple[GoalTemplate, ...]] = {}
    for domain, raw in as_code_map(doc["goals"], f"{name}.goals").items():
        where = f"{name}.goals.{domain}"
        templates = []
        for at, data in as_objects(raw, where, {"goal", "indicator", "months"}):
            months = data["months"]
            require(
                isinstance(months, int) and not isinstance(months, bool) and 0 < months <= 36,
                f"{at}.months: expected 1..36",
            )
            templates.append(
                GoalTemplate(
                    life_domain=domain,
                    goal=as_text(data["goal"], f"{at}.goal"),
                    indicator=as_text(data["indicator"], f"{at}.indicator"),
                    months=cast(int, months),
                )
            )
        goals = [t.goal for t in templates]
        require(len(set(goals)) == len(goals), f"{where}: duplicate goals")
        result[domain] = tuple(templates)
    return MappingProxyType(result)


def goal_templates(life_domain: str) -> tuple[GoalTemplate, ...]:
    """Goal templates with indicator for one life domain (catalogue code, e.g. "language")."""
    goals = _goals()
    if life_domain not in goals:
        raise KeyError(f"no goal templates for life domain {life_domain!r}")
    return goals[life_domain]


def goal_life_domains() -> tuple[str, ...]:
    """The life domains that have goal templates."""
    return tuple(_goals())


# --- institutions --------------------------------------------------------------------------


@cache
def _institutions() -> tuple[tuple[str, ...], tuple[InstitutionPattern, ...]]:
    name = "institutions.json"
    doc = load_document(name, "lotse.demo.institutions/1", ("traeger", "kinds"))
    carriers = as_texts(doc["traeger"], f"{name}.traeger")
    result = []
    for where, data in as_objects(doc["kinds"], f"{name}.kinds", {"kind", "patterns"}):
        patterns = as_texts(data["patterns"], f"{where}.patterns")
        for pattern in patterns:
            fields = placeholders(pattern)
            require("city" in fields, f"{where}: pattern without {{city}}: {pattern!r}")
            unknown = fields - INSTITUTION_PLACEHOLDERS
            require(not unknown, f"{where}: unknown placeholders {sorted(unknown)}")
        result.append(InstitutionPattern(as_text(data["kind"], f"{where}.kind"), patterns))
    kinds = [p.kind for p in result]
    require(len(set(kinds)) == len(kinds), f"{name}: a kind appears twice")
    return carriers, tuple(result)


def institution_patterns() -> tuple[InstitutionPattern, ...]:
    """Name patterns per institution kind ("Ausländerbehörde {city}", "... – {traeger} {city}")."""
    return _institutions()[1]


def traeger() -> tuple[str, ...]:
    """Welfare organisations that run counselling services (Caritas, Diakonie, AWO, DRK ...)."""
    return _institutions()[0]


# --- system gaps ---------------------------------------------------------------------------

SEVERITIES = ("low", "medium", "high")


@cache
def system_gap_examples() -> tuple[SystemGapExample, ...]:
    """Examples of gaps in the system, written without personal data."""
    name = "system_gaps.json"
    doc = load_document(name, "lotse.demo.system_gaps/1", ("categories", "severities", "examples"))
    categories = as_text_map(doc["categories"], f"{name}.categories")
    severities = as_code_map(doc["severities"], f"{name}.severities")
    require(tuple(severities) == SEVERITIES, f"{name}.severities: expected {SEVERITIES}")
    result = []
    fields = {"category", "severity", "legal_domains", "institution_kinds", "title", "description"}
    for where, data in as_objects(doc["examples"], f"{name}.examples", fields):
        category = as_text(data["category"], f"{where}.category")
        require(category in categories, f"{where}: unknown category {category!r}")
        severity = as_text(data["severity"], f"{where}.severity")
        require(severity in SEVERITIES, f"{where}: unknown severity {severity!r}")
        result.append(
            SystemGapExample(
                category=category,
                category_label=categories[category],
                severity=severity,
                legal_domains=as_texts(data["legal_domains"], f"{where}.legal_domains"),
                institution_kinds=as_texts(data["institution_kinds"], f"{where}.institution_kinds"),
                title=as_text(data["title"], f"{where}.title"),
                description=as_text(data["description"], f"{where}.description"),
            )
        )
    return tuple(result)
