"""Demo pool files: every file is loaded, results are cached, and malformed files are refused."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from app.demo import conference_pool, pool_reading, pools

LOADERS: list[Callable[[], object]] = [
    pools.name_pool,
    pools.street_names,
    pools.places,
    pools.journal_fragments,
    pools.institution_patterns,
    pools.traeger,
    pools.system_gap_examples,
    pools.goal_life_domains,
    conference_pool.conference_texts,
]


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
        "conferences.json",
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


# --- strict validation ----------------------------------------------------------------------


@pytest.fixture
def demo_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of resources/demo that the loaders read instead of the package."""
    source = resources.files("resources.demo")
    for entry in source.iterdir():
        if entry.name.endswith(".json"):
            (tmp_path / entry.name).write_text(entry.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(pool_reading, "pool_root", lambda: tmp_path)
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


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('"who_kind": "jugendamt"', '"who_kind": "nachbarn"', "unknown who_kind"),
        ('"jmd": [', '"jmd_x": [', "unknown institution kind"),
        ("Rathaus {city}", "Rathaus {stadt}", "unknown placeholder"),
        ('"Leyla Haddad", ', '"Leyla Haddad", "Leyla Haddad", ', "duplicates"),
    ],
)
def test_malformed_conference_texts_are_rejected(
    demo_copy: Path, old: str, new: str, message: str
) -> None:
    path = demo_copy / "conferences.json"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(pools.DemoDataError, match=message):
        conference_pool.conference_texts.__wrapped__()
