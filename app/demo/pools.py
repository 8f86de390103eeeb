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
    _code_map,
    _load,
    _number,
    _object,
    _optional_text,
    _placeholders,
    _require,
    _text,
    _texts,
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
    doc = _load(
        name, "lotse.demo.names/1", ("conventions", "nationalities", "languages", "origins")
    )
    _code_map(doc["conventions"], f"{name}.conventions")
    nationality_labels = {
        code: _text(label, f"{name}.nationalities.{code}")
        for code, label in _code_map(doc["nationalities"], f"{name}.nationalities").items()
    }
    language_labels = {
        code: _text(label, f"{name}.languages.{code}")
        for code, label in _code_map(doc["languages"], f"{name}.languages").items()
    }
    raw_origins = _code_map(doc["origins"], f"{name}.origins")
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
    data = _object(
        raw,
        where,
        {"label", "weight", "nationalities", "languages", "family", "given"},
        {"note", "feminine_suffixes"},
    )
    nationalities = []
    for code, share in _code_map(data["nationalities"], f"{where}.nationalities").items():
        _require(code in nationality_labels, f"{where}.nationalities: unknown code {code!r}")
        nationalities.append((code, _number(share, f"{where}.nationalities.{code}", at_most=1)))
    total = sum(share for _, share in nationalities)
    _require(abs(total - 1) < 1e-9, f"{where}.nationalities: shares sum to {total}, not 1")
    languages = []
    for code, share in _code_map(data["languages"], f"{where}.languages").items():
        _require(code in language_labels, f"{where}.languages: unknown code {code!r}")
        languages.append(
            Language(
                code, language_labels[code], _number(share, f"{where}.languages.{code}", at_most=1)
            )
        )
    suffixes = {
        ending: _text(feminine, f"{where}.feminine_suffixes.{ending}")
        for ending, feminine in (
            _code_map(data["feminine_suffixes"], f"{where}.feminine_suffixes").items()
            if "feminine_suffixes" in data
            else ()
        )
    }
    given = _object(data["given"], f"{where}.given", set(GENDERS))
    return Origin(
        key=key,
        label=_text(data["label"], f"{where}.label"),
        weight=_number(data["weight"], f"{where}.weight"),
        nationalities=tuple(sorted(nationalities, key=lambda item: -item[1])),
        languages=tuple(sorted(languages, key=lambda lang: -lang.share)),
        family_names=_texts(data["family"], f"{where}.family"),
        given_female=_texts(given["f"], f"{where}.given.f"),
        given_male=_texts(given["m"], f"{where}.given.m"),
        feminine_suffixes=tuple(sorted(suffixes.items(), key=lambda item: -len(item[0]))),
        note=_optional_text(data.get("note"), f"{where}.note"),
    )


def languages_for(origin: str) -> tuple[Language, ...]:
    """Languages spoken by people of ``origin``, most common first."""
    return name_pool().languages_for(origin)


# --- places --------------------------------------------------------------------------------


@cache
def _places_doc() -> tuple[tuple[str, ...], tuple[Place, ...]]:
    name = "places.json"
    doc = _load(name, "lotse.demo.places/1", ("street_names", "municipalities"))
    streets = _texts(doc["street_names"], f"{name}.street_names")
    raw_places = doc["municipalities"]
    _require(isinstance(raw_places, list) and bool(raw_places), f"{name}.municipalities: empty")
    result = []
    for i, raw in enumerate(cast(list[object], raw_places)):
        where = f"{name}.municipalities[{i}]"
        data = _object(raw, where, {"code", "name", "towns"})
        raw_towns = data["towns"]
        _require(isinstance(raw_towns, list) and bool(raw_towns), f"{where}.towns: empty")
        towns = []
        for j, raw_town in enumerate(cast(list[object], raw_towns)):
            town = _object(raw_town, f"{where}.towns[{j}]", {"name", "postal_codes"})
            codes = _texts(town["postal_codes"], f"{where}.towns[{j}].postal_codes")
            for code in codes:
                _require(len(code) == 5 and code.isdigit(), f"{where}: bad postal code {code!r}")
            towns.append(Town(_text(town["name"], f"{where}.towns[{j}].name"), codes))
        result.append(
            Place(_text(data["code"], f"{where}.code"), _text(data["name"], where), tuple(towns))
        )
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
    doc = _load(name, "lotse.demo.journal/1", ("fragments",))
    raw = doc["fragments"]
    _require(isinstance(raw, list) and bool(raw), f"{name}.fragments: empty")
    fragments = []
    for i, item in enumerate(cast(list[object], raw)):
        where = f"{name}.fragments[{i}]"
        data = _object(item, where, {"text", "life_domain", "contact_kind"})
        text = _text(data["text"], f"{where}.text")
        unknown = _placeholders(text) - {LANGUAGE_PLACEHOLDER}
        _require(not unknown, f"{where}.text: unknown placeholders {sorted(unknown)}")
        fragments.append(
            JournalFragment(
                text=text,
                life_domain=_optional_text(data["life_domain"], f"{where}.life_domain"),
                contact_kind=_optional_text(data["contact_kind"], f"{where}.contact_kind"),
            )
        )
    texts = [f.text for f in fragments]
    duplicates = sorted({t for t in texts if texts.count(t) > 1})
    _require(not duplicates, f"{name}: duplicate fragments {duplicates}")
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
    doc = _load(name, "lotse.demo.goals/1", ("goals",))
    result: dict[str, tuple[GoalTemplate, ...]] = {}
    for domain, raw in _code_map(doc["goals"], f"{name}.goals").items():
        where = f"{name}.goals.{domain}"
        _require(isinstance(raw, list) and bool(raw), f"{where}: expected a non-empty list")
        templates = []
        for i, item in enumerate(cast(list[object], raw)):
            data = _object(item, f"{where}[{i}]", {"goal", "indicator", "months"})
            months = data["months"]
            _require(
                isinstance(months, int) and not isinstance(months, bool) and 0 < months <= 36,
                f"{where}[{i}].months: expected 1..36",
            )
            templates.append(
                GoalTemplate(
                    life_domain=domain,
                    goal=_text(data["goal"], f"{where}[{i}].goal"),
                    indicator=_text(data["indicator"], f"{where}[{i}].indicator"),
                    months=cast(int, months),
                )
            )
        goals = [t.goal for t in templates]
        _require(len(set(goals)) == len(goals), f"{where}: duplicate goals")
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
    doc = _load(name, "lotse.demo.institutions/1", ("traeger", "kinds"))
    carriers = _texts(doc["traeger"], f"{name}.traeger")
    raw = doc["kinds"]
    _require(isinstance(raw, list) and bool(raw), f"{name}.kinds: empty")
    result = []
    for i, item in enumerate(cast(list[object], raw)):
        where = f"{name}.kinds[{i}]"
        data = _object(item, where, {"kind", "patterns"})
        patterns = _texts(data["patterns"], f"{where}.patterns")
        for pattern in patterns:
            fields = _placeholders(pattern)
            _require("city" in fields, f"{where}: pattern without {{city}}: {pattern!r}")
            unknown = fields - INSTITUTION_PLACEHOLDERS
            _require(not unknown, f"{where}: unknown placeholders {sorted(unknown)}")
        result.append(InstitutionPattern(_text(data["kind"], f"{where}.kind"), patterns))
    kinds = [p.kind for p in result]
    _require(len(set(kinds)) == len(kinds), f"{name}: a kind appears twice")
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
    doc = _load(name, "lotse.demo.system_gaps/1", ("categories", "severities", "examples"))
    categories = {
        code: _text(label, f"{name}.categories.{code}")
        for code, label in _code_map(doc["categories"], f"{name}.categories").items()
    }
    severities = _code_map(doc["severities"], f"{name}.severities")
    _require(tuple(severities) == SEVERITIES, f"{name}.severities: expected {SEVERITIES}")
    raw = doc["examples"]
    _require(isinstance(raw, list) and bool(raw), f"{name}.examples: empty")
    result = []
    fields = {"category", "severity", "legal_domains", "institution_kinds", "title", "description"}
    for i, item in enumerate(cast(list[object], raw)):
        where = f"{name}.examples[{i}]"
        data = _object(item, where, fields)
        category = _text(data["category"], f"{where}.category")
        _require(category in categories, f"{where}: unknown category {category!r}")
        severity = _text(data["severity"], f"{where}.severity")
        _require(severity in SEVERITIES, f"{where}: unknown severity {severity!r}")
        result.append(
            SystemGapExample(
                category=category,
                category_label=categories[category],
                severity=severity,
                legal_domains=_texts(data["legal_domains"], f"{where}.legal_domains"),
                institution_kinds=_texts(data["institution_kinds"], f"{where}.institution_kinds"),
                title=_text(data["title"], f"{where}.title"),
                description=_text(data["description"], f"{where}.description"),
            )
        )
    return tuple(result)
