"""Records of the demo pools (frozen dataclasses) and their small helpers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

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
