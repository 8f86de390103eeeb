"""Demo name pool: complete, realistic, found by search, and free of real people."""

from __future__ import annotations

import re
import unicodedata

import pytest

from app.demo import pools
from db.folding import fold_search
from tests.support.folding_helpers import find, fts_index


def _all_names() -> list[str]:
    pool = pools.name_pool()
    names: list[str] = []
    for origin in pool.origin_list:
        names += origin.family() + origin.family("f") + origin.given()
    return sorted(set(names))


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
    con = fts_index(names)
    for name in names:
        folded = fold_search(name)
        assert folded and folded.isascii(), name
        assert name in find(con, names, name[:3]), name
    con.close()


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
