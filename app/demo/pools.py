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

import json
import string
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Literal, cast

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

PACKAGE = "resources.demo"

Gender = Literal["f", "m"]
GENDERS: tuple[Gender, ...] = ("f", "m")

LANGUAGE_PLACEHOLDER = "language"  # in journal fragments: German label of the client's language
INSTITUTION_PLACEHOLDERS = frozenset({"city", "traeger"})


class DemoDataError(ValueError):
    """A demo data file is malformed; the message names file and position."""


# --- records -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1, else 639-3
    label: str  # German, e.g. "Kurdisch (Kurmandschi)"
    share: float  # share of people of the origin who speak it, 0 < share <= 1


@dataclass(frozen=True)
class Origin:
    key: str
    label: str  # German description of the group
    weight: float  # normalised share of the demo mix; all origins sum to 1
    nationalities: tuple[tuple[str, float], ...]  # (ISO 3166-1 alpha-2, share), by share
    languages: tuple[Language, ...]  # by descending share; the first is the usual first language
    family_names: tuple[str, ...]  # base (masculine) forms
    given_female: tuple[str, ...]
    given_male: tuple[str, ...]
    feminine_suffixes: tuple[tuple[str, str], ...]  # (ending, feminine ending), longest first
    note: str | None

    def feminine_form(self, family_name: str) -> str:
        """The feminine form of a family name of this origin (unchanged where none exists)."""
        for ending, feminine in self.feminine_suffixes:
            if family_name.endswith(ending):
                return family_name[: -len(ending)] + feminine
        return family_name

    def family(self, gender: Gender | None = None) -> tuple[str, ...]:
        """Family names; for ``"f"`` in their feminine form where the language has one."""
        if gender == "f" and self.feminine_suffixes:
            return tuple(self.feminine_form(name) for name in self.family_names)
        return self.family_names

    def given(self, gender: Gender | None = None) -> tuple[str, ...]:
        """Given names of one gender, or of both (each name once) for ``None``."""
        if gender == "f":
            return self.given_female
        if gender == "m":
            return self.given_male
        return tuple(dict.fromkeys(self.given_female + self.given_male))


@dataclass(frozen=True)
class NamePool:
    origin_list: tuple[Origin, ...]
    nationality_labels: tuple[tuple[str, str], ...]  # (code, German adjective)
    language_labels: tuple[tuple[str, str], ...]  # (code, German name)

    @property
    def origins(self) -> Mapping[str, float]:
        """Origin key -> share of a realistic mix (sums to 1), in file order."""
        return MappingProxyType({o.key: o.weight for o in self.origin_list})

    def origin(self, key: str) -> Origin:
        for item in self.origin_list:
            if item.key == key:
                return item
        raise KeyError(f"unknown origin {key!r}; known: {[o.key for o in self.origin_list]}")

    def family(self, origin: str, gender: Gender | None = None) -> tuple[str, ...]:
        return self.origin(origin).family(gender)

    def given(self, origin: str, gender: Gender | None = None) -> tuple[str, ...]:
        return self.origin(origin).given(gender)

    def languages_for(self, origin: str) -> tuple[Language, ...]:
        return self.origin(origin).languages

    def nationalities(self, origin: str) -> tuple[tuple[str, float], ...]:
        return self.origin(origin).nationalities

    def nationality_label(self, code: str) -> str:
        return dict(self.nationality_labels)[code]

    def language_label(self, code: str) -> str:
        return dict(self.language_labels)[code]


@dataclass(frozen=True)
class JournalFragment:
    text: str  # may contain "{language}"
    life_domain: str | None  # catalogue code; None: not tied to one life domain
    contact_kind: str | None  # catalogue code; None: a note without contact

    @property
    def needs_language(self) -> bool:
        return "{" + LANGUAGE_PLACEHOLDER + "}" in self.text

    def render(self, language_label: str) -> str:
        """The text with ``{language}`` filled in (e.g. "Arabisch")."""
        return self.text.replace("{" + LANGUAGE_PLACEHOLDER + "}", language_label)


@dataclass(frozen=True)
class GoalTemplate:
    life_domain: str  # catalogue code
    goal: str  # specific goal, German
    indicator: str  # how attainment is recognised
    months: int  # usual time to the target date


@dataclass(frozen=True)
class InstitutionPattern:
    kind: str  # code from resources/catalogues/institution_kinds.json
    patterns: tuple[str, ...]  # with {city} and optionally {traeger}

    def names(self, city: str, traeger: str | None = None) -> tuple[str, ...]:
        """All patterns of this kind filled in; patterns needing a Träger need ``traeger``."""
        return tuple(
            fill_institution(pattern, city=city, traeger=traeger)
            for pattern in self.patterns
            if traeger is not None or "{traeger}" not in pattern
        )


@dataclass(frozen=True)
class Town:
    name: str
    postal_codes: tuple[str, ...]


@dataclass(frozen=True)
class Place:
    code: str  # municipality code from resources/catalogues/municipalities.json
    name: str  # used for {city} of the municipality's own offices (e.g. "Kreis Lippe")
    towns: tuple[Town, ...]


@dataclass(frozen=True)
class SystemGapExample:
    category: str
    category_label: str
    severity: str  # low / medium / high
    legal_domains: tuple[str, ...]
    institution_kinds: tuple[str, ...]  # catalogue codes
    title: str
    description: str


def fill_institution(pattern: str, *, city: str, traeger: str | None = None) -> str:
    """Fill an institution name pattern; raises ValueError if it needs a Träger and has none."""
    if "{traeger}" in pattern and traeger is None:
        raise ValueError(f"pattern {pattern!r} needs a Träger")
    return pattern.format(city=city, traeger=traeger or "")


# --- strict reading ------------------------------------------------------------------------


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise DemoDataError(message)


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    keys = [key for key, _ in pairs]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    _require(not duplicates, f"duplicate keys {duplicates}")
    return dict(pairs)


def _root() -> Traversable:
    """The folder the pools are read from (the ``resources.demo`` package)."""
    return resources.files(PACKAGE)


def _load(name: str, schema: str, keys: Iterable[str]) -> dict[str, object]:
    text = _root().joinpath(name).read_text(encoding="utf-8")
    try:
        doc = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except (json.JSONDecodeError, DemoDataError) as exc:
        raise DemoDataError(f"{name}: {exc}") from exc
    data = _object(doc, name, {"schema", "about", *keys})
    _require(data["schema"] == schema, f"{name}: schema must be {schema!r}")
    _text(data["about"], f"{name}.about")
    return data


def _object(
    value: object, where: str, required: Iterable[str], optional: Iterable[str] = ()
) -> dict[str, object]:
    _require(isinstance(value, dict), f"{where}: expected an object")
    data = cast(dict[str, object], value)
    required, optional = set(required), set(optional)
    missing = sorted(required - set(data))
    unknown = sorted(set(data) - required - optional)
    _require(not missing, f"{where}: missing keys {missing}")
    _require(not unknown, f"{where}: unknown keys {unknown}")
    return data


def _text(value: object, where: str) -> str:
    _require(isinstance(value, str), f"{where}: expected a string")
    text = cast(str, value)
    _require(bool(text) and text == text.strip(), f"{where}: empty or padded string {text!r}")
    _require(" " * 2 not in text, f"{where}: double space in {text!r}")
    _require(unicodedata.is_normalized("NFC", text), f"{where}: not NFC-normalised: {text!r}")
    return text


def _texts(value: object, where: str) -> tuple[str, ...]:
    _require(isinstance(value, list) and bool(value), f"{where}: expected a non-empty list")
    items = tuple(_text(v, f"{where}[{i}]") for i, v in enumerate(cast(list[object], value)))
    duplicates = sorted({v for v in items if items.count(v) > 1})
    _require(not duplicates, f"{where}: duplicates {duplicates}")
    return items


def _optional_text(value: object, where: str) -> str | None:
    return None if value is None else _text(value, where)


def _number(value: object, where: str, *, at_most: float | None = None) -> float:
    _require(
        isinstance(value, int | float) and not isinstance(value, bool),
        f"{where}: expected a number",
    )
    number = float(cast(float, value))
    _require(number > 0, f"{where}: must be positive")
    _require(at_most is None or number <= at_most, f"{where}: must be at most {at_most}")
    return number


def _code_map(value: object, where: str) -> dict[str, object]:
    _require(isinstance(value, dict) and bool(value), f"{where}: expected a non-empty object")
    data = cast(dict[str, object], value)
    for key in data:
        _require(key.isascii() and key.strip() == key and key != "", f"{where}: bad code {key!r}")
    return data


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


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
