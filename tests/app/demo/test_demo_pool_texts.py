"""Demo place, journal, goal, institution and system-gap pools, checked against the catalogues."""

from __future__ import annotations

import re

import pytest

from app import catalogues
from app.demo import pools

# --- places ---------------------------------------------------------------------------------


def test_places_are_the_model_municipalities() -> None:
    catalogue = {m.code: m.label for m in catalogues.municipalities()}
    assert {p.code: p.name for p in pools.places()} == catalogue
    for place in pools.places():
        for town in place.towns:
            assert town.postal_codes
            assert all(re.fullmatch(r"\d{5}", code) for code in town.postal_codes)


def test_street_names() -> None:
    streets = pools.street_names()
    assert len(streets) >= 100
    assert len(set(streets)) == len(streets)
    assert any("ß" in s for s in streets)
    assert any(ch in s for s in streets for ch in "äöü")


# --- journal, goals, institutions, gaps -----------------------------------------------------


def test_journal_fragments() -> None:
    fragments = pools.journal_fragments()
    assert len(fragments) >= 150
    assert len({f.text for f in fragments}) == len(fragments)
    text = " ".join(f.text for f in fragments)
    for topic in [
        "Ausländerbehörde",
        "Jobcenter",
        "Sprachkurs",
        "Integrationskurs",
        "Wohnungssuche",
        "Kita-Platz",
        "Ausbildungsduldung",
        "Beschäftigungsduldung",
        "Dolmetscher",
        "Hausbesuch",
        "Gemeinschaftsunterkunft",
    ]:
        assert topic in text, topic
    domains = {d.code for d in catalogues.life_domains()}
    contact_kinds = {k.code for k in catalogues.contact_kinds()}
    for fragment in fragments:
        assert fragment.life_domain is None or fragment.life_domain in domains
        assert fragment.contact_kind is None or fragment.contact_kind in contact_kinds
    for domain in domains:
        assert len(pools.journal_fragments(domain)) >= 8, domain


def test_journal_language_placeholder() -> None:
    with_language = [f for f in pools.journal_fragments() if f.needs_language]
    assert with_language
    rendered = with_language[0].render("Tigrinya")
    assert "Tigrinya" in rendered and "{" not in rendered


def test_goal_templates_cover_every_life_domain() -> None:
    for domain in catalogues.life_domains():
        templates = pools.goal_templates(domain.code)
        assert len(templates) >= 4, domain.code
        for template in templates:
            assert template.life_domain == domain.code
            assert template.goal.endswith(".") and template.indicator.endswith(".")
            assert 1 <= template.months <= 36
    assert set(pools.goal_life_domains()) == {d.code for d in catalogues.life_domains()}
    with pytest.raises(KeyError):
        pools.goal_templates("astrology")


def test_institution_patterns() -> None:
    patterns = {p.kind: p for p in pools.institution_patterns()}
    assert set(patterns) <= {k.code for k in catalogues.institution_kinds()}
    every = [text for p in patterns.values() for text in p.patterns]
    for required in [
        "Ausländerbehörde {city}",
        "Jobcenter {city}",
        "Agentur für Arbeit {city}",
        "Jugendamt {city}",
        "Sozialamt {city}",
        "Migrationsberatung für Erwachsene (MBE) – {traeger} {city}",
        "Jugendmigrationsdienst {city}",
        "VHS {city}",
    ]:
        assert required in every, required
    assert {"Caritas", "Diakonie", "AWO", "DRK"} <= set(pools.traeger())
    names = patterns["mbe"].names("Hamm", "Diakonie")
    assert names == ("Migrationsberatung für Erwachsene (MBE) – Diakonie Hamm",)
    assert patterns["mbe"].names("Hamm") == ()  # needs a Träger
    for pattern in pools.institution_patterns():
        for name in pattern.names("Kreis Lippe", "AWO"):
            assert "{" not in name and "Kreis Lippe" in name
    with pytest.raises(ValueError):
        pools.fill_institution("Jugendmigrationsdienst {city} – {traeger}", city="Köln")


def test_system_gap_examples() -> None:
    gaps = pools.system_gap_examples()
    assert len(gaps) >= 15
    kinds = {k.code for k in catalogues.institution_kinds()}
    for gap in gaps:
        assert gap.severity in ("low", "medium", "high")
        assert gap.category_label
        assert set(gap.institution_kinds) <= kinds
        assert gap.legal_domains
    assert len({g.title for g in gaps}) == len(gaps)
