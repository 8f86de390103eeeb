"""The demo pool of case-conference texts (``resources/demo/conferences.json``), read strictly:
titles, places, occasions, the short state of affairs per institution kind, decisions with the
kind of institution that carries them, amendments, interpreters' names."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from app import catalogues
from app.demo.pool_reading import (
    as_code_map,
    as_objects,
    as_text,
    as_texts,
    load_document,
    placeholders,
    require,
)

CASE_MANAGEMENT, CLIENT = "case_management", "client"  # who_kind beside institution kinds


@dataclass(frozen=True)
class DecisionTemplate:
    what: str
    who_kind: str  # an institution kind, CASE_MANAGEMENT or CLIENT


@dataclass(frozen=True)
class AmendmentTemplate:
    reason: str
    text: str


@dataclass(frozen=True)
class ConferenceTexts:
    titles: tuple[str, ...]
    places: tuple[str, ...]  # with {city}
    occasions: tuple[str, ...]
    legal_basis_notes: tuple[str, ...]
    state_of_affairs: MappingProxyType[str, tuple[str, ...]]  # institution kind -> texts
    resources_goals: tuple[str, ...]
    disagreements: tuple[str, ...]
    system_gap_notes: tuple[str, ...]
    decisions: tuple[DecisionTemplate, ...]
    amendments: tuple[AmendmentTemplate, ...]
    interpreters: tuple[str, ...]


_TEXT_LISTS = ("titles", "places", "occasions", "legal_basis_notes", "resources_goals",
               "disagreements", "system_gap_notes", "interpreters")


@cache
def conference_texts() -> ConferenceTexts:
    name = "conferences.json"
    doc = load_document(name, "lotse.demo.conferences/1",
                        (*_TEXT_LISTS, "state_of_affairs", "decisions", "amendments"))
    kinds = {k.code for k in catalogues.institution_kinds()}
    lists = {key: as_texts(doc[key], f"{name}.{key}") for key in _TEXT_LISTS}
    for place in lists["places"]:
        require(placeholders(place) <= {"city"}, f"{name}.places: unknown placeholder in {place!r}")
    state: dict[str, tuple[str, ...]] = {}
    for kind, texts in as_code_map(doc["state_of_affairs"], f"{name}.state_of_affairs").items():
        require(kind in kinds, f"{name}.state_of_affairs: unknown institution kind {kind!r}")
        state[kind] = as_texts(texts, f"{name}.state_of_affairs.{kind}")
    decisions = []
    for where, data in as_objects(doc["decisions"], f"{name}.decisions", ("what", "who_kind")):
        who = as_text(data["who_kind"], f"{where}.who_kind")
        require(who in kinds | {CASE_MANAGEMENT, CLIENT}, f"{where}: unknown who_kind {who!r}")
        decisions.append(DecisionTemplate(as_text(data["what"], f"{where}.what"), who))
    amendments = tuple(
        AmendmentTemplate(as_text(d["reason"], f"{w}.reason"), as_text(d["text"], f"{w}.text"))
        for w, d in as_objects(doc["amendments"], f"{name}.amendments", ("reason", "text")))
    return ConferenceTexts(
        **lists, state_of_affairs=MappingProxyType(state),
        decisions=tuple(decisions), amendments=amendments)
