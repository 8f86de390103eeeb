"""The nationality and language catalogues: strict codes, German names in German order, and
every code the demo generator can store has a German name."""

from __future__ import annotations

import pytest

from app import catalogues as cat
from app.catalogue_loading import CatalogueError, load_entries
from app.demo import pools
from db.folding import fold_sort


def test_countries_have_german_names_for_iso_codes() -> None:
    names = {c.code: c.label for c in cat.countries()}
    assert len(names) >= 80
    assert names["TR"] == "Türkei" and names["SY"] == "Syrien" and names["DE"] == "Deutschland"
    assert names["XK"] == "Kosovo" and names["UA"] == "Ukraine" and names["AF"] == "Afghanistan"
    assert names["XS"] == "staatenlos" and names["XX"] == "ungeklärt"
    assert all(len(code) == 2 and code.isupper() for code in names)
    assert cat.countries() is cat.countries()  # cached


def test_languages_have_german_names() -> None:
    names = {lang.code: lang.label for lang in cat.languages()}
    assert len(names) >= 50
    assert names["tr"] == "Türkisch" and names["ar"] == "Arabisch" and names["uk"] == "Ukrainisch"
    assert names["fa"] == "Persisch (Farsi)" and names["ku"] == "Kurdisch"
    assert all(code.islower() and len(code) in (2, 3) for code in names)
    assert cat.languages() is cat.languages()


def test_choice_lists_are_in_german_dictionary_order() -> None:
    labels = [c.label for c in cat.countries()]
    assert labels == sorted(labels, key=fold_sort)
    # Umlauts sort with their base letter, not after Z as a plain sort would put them.
    assert labels.index("Ägypten") < labels.index("Albanien") < labels.index("Äthiopien")
    assert labels.index("Äthiopien") < labels.index("Bangladesch")
    languages = [lang.label for lang in cat.languages()]
    assert languages == sorted(languages, key=fold_sort)
    assert languages.index("Tschetschenisch") < languages.index("Türkisch") < languages.index(
        "Turkmenisch")


def test_labels_fall_back_to_the_stored_code() -> None:
    assert cat.country_label("TR") == "Türkei"
    assert cat.language_label("kmr") == "Kurdisch (Kurmandschi)"
    # Data from elsewhere (e.g. a three-letter code) is shown as it is, never dropped.
    assert cat.country_label("SYR") == "SYR"
    assert cat.language_label("Arabisch") == "Arabisch"


def test_every_code_the_demo_can_store_is_in_the_catalogues() -> None:
    pool = pools.name_pool()
    countries = {c.code for c in cat.countries()}
    languages = {lang.code: lang.label for lang in cat.languages()}
    demo_nationalities = {code for o in pool.origin_list for code, _ in o.nationalities}
    demo_languages = {lang.code: lang.label for o in pool.origin_list for lang in o.languages}
    assert len(demo_nationalities) > 15 and len(demo_languages) > 20  # really enumerated
    assert demo_nationalities <= countries, demo_nationalities - countries
    assert set(demo_languages) <= set(languages), set(demo_languages) - set(languages)
    # Same language, same German name in the demo and in the case file.
    assert {code: languages[code] for code in demo_languages} == demo_languages


@pytest.mark.parametrize("code", ["TUR", "tr", "T", "T1"])
def test_bad_country_codes_are_rejected(code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    text = ('{"catalogue": "countries", "version": 1, "description": "x", "entries": '
            f'[{{"code": "{code}", "label": "Türkei"}}]}}')
    monkeypatch.setattr(cat, "load_entries",
                        lambda stem, cls: load_entries(stem, cls, text))
    cat.countries.cache_clear()
    try:
        with pytest.raises(CatalogueError, match="two capital letters"):
            cat.countries()
    finally:
        monkeypatch.undo()
        cat.countries.cache_clear()
    assert cat.country_label("TR") == "Türkei"
