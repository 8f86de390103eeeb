"""Demo data pools: complete, realistic, consistent with the catalogues, and free of real people."""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from app import catalogues
from app.demo import pool_reading, pools
from db.folding import fold_search, fts_prefix_query

LOADERS: list[Callable[[], object]] = [
    pools.name_pool,
    pools.street_names,
    pools.places,
    pools.journal_fragments,
    pools.institution_patterns,
    pools.traeger,
    pools.system_gap_examples,
    pools.goal_life_domains,
]


def _all_names() -> list[str]:
    pool = pools.name_pool()
    names: list[str] = []
    for origin in pool.origin_list:
        names += origin.family() + origin.family("f") + origin.given()
    return sorted(set(names))


# --- every file loads and validates ---------------------------------------------------------


def test_every_json_file_is_loaded_by_a_loader() -> None:
    files = {
        p.name for p in resources.files("resources.demo").iterdir() if p.name.endswith(".json")
    }
    assert files == {
        "names.json",
        "places.json",
        "journal.json",
        "goals.json",
        "institutions.json",
        "system_gaps.json",
    }
    for load in LOADERS:
        assert load()


def test_results_are_cached_and_immutable() -> None:
    assert pools.name_pool() is pools.name_pool()
    origin = pools.name_pool().origin("turkish")
    with pytest.raises(AttributeError):
        origin.key = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        pools.name_pool().origins["turkish"] = 1.0  # type: ignore[index]


# --- names ----------------------------------------------------------------------------------

BRIEF_ORIGINS = {
    "syrian",
    "afghan",
    "iraqi_kurdish",
    "turkish",
    "eritrean",
    "somali",
    "nigerian",
    "guinean",
    "ukrainian",
    "russian",
    "polish",
    "western_balkans",
    "romanian",
    "bulgarian",
    "iranian",
    "georgian",
    "albanian",
    "roma",
    "german",
}
LARGER_GROUP_WEIGHT = 0.05  # groups at or above this share of the mix are "larger"


def test_origins_and_weights() -> None:
    pool = pools.name_pool()
    assert set(pool.origins) == BRIEF_ORIGINS
    assert sum(pool.origins.values()) == pytest.approx(1.0)
    larger = {key for key, weight in pool.origins.items() if weight >= LARGER_GROUP_WEIGHT}
    # The KIM target groups: Syria, Afghanistan, Iraq/Kurds, Turkey, Ukraine, Western Balkans.
    assert {"syrian", "afghan", "iraqi_kurdish", "turkish", "ukrainian"} <= larger


@pytest.mark.parametrize("key", sorted(BRIEF_ORIGINS))
def test_each_origin_has_enough_names(key: str) -> None:
    pool = pools.name_pool()
    origin = pool.origin(key)
    if pool.origins[key] >= LARGER_GROUP_WEIGHT:
        assert len(origin.family()) >= 60
        assert len(origin.given()) >= 60
        assert min(len(origin.given("f")), len(origin.given("m"))) >= 30
    else:
        assert len(origin.family()) >= 40
        assert min(len(origin.given("f")), len(origin.given("m"))) >= 25


@pytest.mark.parametrize("key", sorted(BRIEF_ORIGINS))
def test_no_duplicates_within_a_list(key: str) -> None:
    origin = pools.name_pool().origin(key)
    for names in (origin.family(), origin.family("f"), origin.given("f"), origin.given("m")):
        assert len(set(names)) == len(names)
        # Not even as spelling variants a search could not tell apart (e.g. "Ana"/"Ána").
        assert len({unicodedata.normalize("NFC", n).casefold() for n in names}) == len(names)


def test_special_letters_are_present() -> None:
    text = "".join(_all_names()) + "".join(pools.street_names())
    for letter in "ıİşŞğçÇöÖüÜäßłŁąęćźżśđĐčžšșțăâëéè":
        assert letter in text, letter


@pytest.mark.parametrize(
    ("origin", "kind", "names"),
    [
        ("turkish", "family", ["Yıldız", "Öztürk", "Şahin", "Çelik", "Doğan", "Güneş"]),
        ("polish", "family", ["Wójcik", "Kowalczyk", "Dąbrowski"]),
        ("polish", "m", ["Łukasz"]),
        ("western_balkans", "family", ["Đorđević", "Jovanović", "Hodžić"]),
        ("romanian", "family", ["Popescu"]),
        ("romanian", "m", ["Ștefan"]),
        ("german", "family", ["Müller", "Schröder", "Weiß", "Jäger", "Groß"]),
    ],
)
def test_names_named_in_the_brief(origin: str, kind: str, names: list[str]) -> None:
    pool = pools.name_pool()
    available = pool.family(origin) if kind == "family" else pool.given(origin, kind)  # type: ignore[arg-type]
    for name in names:
        assert name in available


def test_romanian_uses_comma_below_not_cedilla() -> None:
    text = "".join(
        pools.name_pool().origin("romanian").family() + pools.name_pool().given("romanian")
    )
    assert "ș" in text and "ț" in text
    assert "ş" not in text and "ţ" not in text


def test_feminine_family_names() -> None:
    pool = pools.name_pool()
    polish_f = pool.family("polish", "f")
    assert "Dąbrowska" in polish_f and "Kowalska" in polish_f and "Zawadzka" in polish_f
    assert "Wójcik" in polish_f  # no gendered form
    assert "Ivanova" in pool.family("russian", "f") and "Nikitina" in pool.family("russian", "f")
    assert "Georgieva" in pool.family("bulgarian", "f")
    assert "Kovalska" in pool.family("ukrainian", "f")
    assert pool.family("turkish", "f") == pool.family("turkish", "m") == pool.family("turkish")
    assert pool.family("polish", "m") == pool.family("polish")


def test_given_names_by_gender() -> None:
    pool = pools.name_pool()
    assert "Ayşe" in pool.given("turkish", "f") and "Ayşe" not in pool.given("turkish", "m")
    assert "Mehmet" in pool.given("turkish", "m")
    both = pool.given("syrian")
    assert len(both) == len(set(both))
    assert set(both) == set(pool.given("syrian", "f")) | set(pool.given("syrian", "m"))
    with pytest.raises(KeyError):
        pool.given("atlantis", "f")


def test_languages_and_nationalities() -> None:
    pool = pools.name_pool()
    codes = {lang.code for key in BRIEF_ORIGINS for lang in pools.languages_for(key)}
    # Arabic, Dari, Pashto, Kurmanji, Turkish, Tigrinya, Somali, English, French, Ukrainian,
    # Russian, Polish, Serbian, Romanian, Farsi, Georgian, Albanian, Romani.
    assert {"ar", "prs", "ps", "kmr", "tr", "ti", "so", "en", "fr", "uk", "ru", "pl", "sr"} <= codes
    assert {"ro", "fa", "ka", "sq", "rom"} <= codes
    assert pools.languages_for("afghan")[0].code == "prs"
    assert pools.languages_for("afghan")[0].label == "Dari"
    assert pools.languages_for("eritrean")[0].code == "ti"
    for key in BRIEF_ORIGINS:
        languages = pools.languages_for(key)
        assert [lang.share for lang in languages] == sorted(
            (lang.share for lang in languages), reverse=True
        )
        nationalities = pool.nationalities(key)
        assert sum(share for _, share in nationalities) == pytest.approx(1.0)
        for code, _ in nationalities:
            assert re.fullmatch(r"[A-Z]{2}", code)
            assert pool.nationality_label(code).islower()  # German adjective: "syrisch"
    assert pool.nationality_label("SY") == "syrisch"
    assert pool.nationality_label("XK") == "kosovarisch"
    assert pool.nationalities("syrian")[0][0] == "SY"


def test_every_name_folds_to_ascii_and_is_found_by_search() -> None:
    names = _all_names()
    con = sqlite3.connect(":memory:")
    con.execute("CREATE VIRTUAL TABLE n USING fts5(t, tokenize='unicode61 remove_diacritics 0')")
    con.executemany("INSERT INTO n(rowid, t) VALUES (?, ?)", enumerate(map(fold_search, names)))
    for rowid, name in enumerate(names):
        folded = fold_search(name)
        assert folded and folded.isascii(), name
        match = fts_prefix_query(name[:3])
        assert match is not None
        hits = {r for (r,) in con.execute("SELECT rowid FROM n WHERE n MATCH ?", (match,))}
        assert rowid in hits, name
    con.close()


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


def test_no_pool_name_appears_in_free_texts() -> None:
    """Fragments, goals and gap examples never mention a person by name."""
    texts = [f.text for f in pools.journal_fragments()]
    texts += [
        g.goal + " " + g.indicator
        for d in pools.goal_life_domains()
        for g in pools.goal_templates(d)
    ]
    texts += [g.title + " " + g.description for g in pools.system_gap_examples()]
    words = set(re.findall(r"\w+", " ".join(texts)))
    german_nouns = set(pools.name_pool().origin("german").family())  # Koch, Richter, Winter ...
    hits = sorted((set(_all_names()) - german_nouns) & words)
    assert hits == []


# --- strict validation ----------------------------------------------------------------------


@pytest.fixture
def demo_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of resources/demo that the loaders read instead of the package."""
    source = resources.files("resources.demo")
    for entry in source.iterdir():
        if entry.name.endswith(".json"):
            (tmp_path / entry.name).write_text(entry.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(pool_reading, "_root", lambda: tmp_path)
    return tmp_path


def _edit_names(folder: Path, change: Callable[[dict[str, Any]], None]) -> None:
    path = folder / "names.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["origins"]["turkish"]["family"].append("Yılmaz"), "duplicates"),
        (lambda d: d["origins"]["turkish"]["given"].pop("m"), "missing keys"),
        (lambda d: d["origins"]["turkish"].update(surname=[]), "unknown keys"),
        (lambda d: d["origins"]["turkish"]["family"].append("O\u0308ztu\u0308rk"), "NFC"),
        (lambda d: d["origins"]["turkish"]["family"].append(" Kaya"), "padded"),
        (lambda d: d["origins"]["turkish"]["nationalities"].update(TR=0.5), "sum to"),
        (lambda d: d["origins"]["turkish"]["languages"].update(xx=0.5), "unknown code"),
        (lambda d: d["origins"]["turkish"].update(weight=True), "expected a number"),
        (lambda d: d.update(schema="other/1"), "schema"),
    ],
)
def test_malformed_names_are_rejected(
    demo_copy: Path, change: Callable[[dict[str, Any]], None], message: str
) -> None:
    _edit_names(demo_copy, change)
    with pytest.raises(pools.DemoDataError, match=message):
        pools.name_pool.__wrapped__()


def test_duplicate_json_keys_are_rejected(demo_copy: Path) -> None:
    path = demo_copy / "institutions.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace('"traeger": [', '"traeger": [], "traeger": [', 1), encoding="utf-8"
    )
    with pytest.raises(pools.DemoDataError, match="duplicate keys"):
        pools._institutions.__wrapped__()


def test_unknown_placeholder_is_rejected(demo_copy: Path) -> None:
    path = demo_copy / "institutions.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Jobcenter {city}", "Jobcenter {stadt}", 1), encoding="utf-8")
    with pytest.raises(pools.DemoDataError, match="city"):
        pools._institutions.__wrapped__()
