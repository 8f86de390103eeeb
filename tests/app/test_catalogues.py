"""Catalogues load, validate strictly, agree with the schema, and their phase checks can be
evaluated generically against a real store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from app import catalogue_phases as phases_cat
from app import catalogues as cat
from db.models import PHASES, WORK_PERMISSIONS, Base
from db.sync import VAULT_KEY, LotseSession
from tests.support.schema_helpers import add_person, add_staff, migrated_engine, new_case

LOADERS = [cat.municipalities, cat.target_groups, cat.status_kinds, cat.institution_kinds,
           cat.data_categories, cat.life_domains, cat.contact_kinds, cat.close_reasons,
           cat.attainments, cat.phases, cat.countries, cat.languages,
           cat.household_relations]


@pytest.mark.parametrize("loader", LOADERS, ids=lambda f: f.__name__)
def test_every_catalogue_loads_with_german_labels(loader: Any) -> None:
    entries = loader()
    assert entries and isinstance(entries, tuple)
    for entry in entries:
        assert entry.code and entry.label.strip() == entry.label
    assert loader() is entries  # cached: loaded once per process


def test_municipalities_are_the_twelve_model_municipalities() -> None:
    codes = {m.code: m for m in cat.municipalities()}
    assert set(codes) == {"LIP", "GL", "MH", "K", "BI", "DO", "MS", "W", "HAM", "MO", "RHE", "DOR"}
    assert cat.municipality("GL").label == "Rheinisch-Bergischer Kreis"
    assert cat.municipality("LIP").kind_label == "Kreis"
    assert cat.municipality("DOR").kind == "kreisangehoerige_kommune"
    assert cat.municipality("MH").kind == "kreisfreie_stadt"
    assert all(m.reception_facilities for m in codes.values())
    with pytest.raises(cat.UnknownCode):
        cat.municipality("XX")


def test_residence_status_rules() -> None:
    kinds = {k.code: k for k in cat.status_kinds()}
    legal_bases = " ".join(k.legal_basis for k in kinds.values())
    for basis in ("§ 55 AsylG", "§ 60a", "§ 60b", "§ 60c", "§ 60d", "§ 104c", "§ 25a", "§ 25b",
                  "§ 25 Abs. 1", "§ 25 Abs. 2", "§ 25 Abs. 3", "§ 25 Abs. 5", "§ 24"):
        assert basis in legal_bases
    assert {"niederlassungserlaubnis", "other"} <= set(kinds)
    chance = cat.status_kind("chancen_aufenthaltsrecht")
    assert chance.typical_validity_months == 18 and not chance.renewable
    assert set(chance.aims) == {"aufenthaltserlaubnis_25a", "aufenthaltserlaubnis_25b"}
    assert kinds["duldung_60b"].default_work_permission == "forbidden"
    # A paper that runs out needs its end date (or an explicit "unknown") when recorded.
    assert all(kinds[c].expires for c in ("duldung", "aufenthaltsgestattung",
                                          "aufenthaltserlaubnis_25b", "fiktionsbescheinigung"))
    assert not kinds["niederlassungserlaubnis"].expires
    for kind in kinds.values():
        assert kind.default_work_permission in (None, *WORK_PERMISSIONS)
        if kind.typical_validity_months is not None:
            assert kind.followup_days_before_expiry, kind.code


def test_institution_kinds_warn_before_disclosure_to_immigration_office() -> None:
    kinds = {k.code: k for k in cat.institution_kinds()}
    for code in ("auslaenderbehoerde", "jobcenter", "agentur_fuer_arbeit", "jugendamt",
                 "sozialamt", "schule", "kita", "integrationskurstraeger", "mbe", "jmd",
                 "gesundheitsamt", "wohnungsamt", "kammer", "beratungsstelle", "other"):
        assert code in kinds
    warning = kinds["auslaenderbehoerde"].disclosure_warning
    assert warning and "Ausländerbehörde" in warning
    assert kinds["jobcenter"].legal_domain == "SGB II"
    assert kinds["jobcenter"].disclosure_warning is None


def test_data_categories_life_domains_target_groups_contact_kinds() -> None:
    categories = {c.code: c for c in cat.data_categories()}
    assert len(categories) == 9
    assert categories["confided"].special
    assert categories["confided"].label == "In der Beratung anvertraute Informationen"
    assert [c for c in categories.values() if c.special] == [categories["confided"]]
    assert len(cat.life_domains()) == 9
    assert {g.code for g in cat.target_groups() if g.named_by_programme} == {
        "long_term_tolerated", "newly_arrived"}
    assert {k.code for k in cat.contact_kinds() if k.outreach} == {"reception_facility",
                                                                   "home_visit"}
    assert {"goals_reached", "ended_by_client", "moved_away", "left_germany", "handed_over"} <= {
        r.code for r in cat.close_reasons()}


# --- phases -----------------------------------------------------------------------------------


def test_phase_order_and_transitions() -> None:
    assert tuple(p.code for p in cat.phases()) == PHASES
    open_phases = PHASES[:-1]
    for i, code in enumerate(open_phases):
        earlier = set(open_phases[:i])
        assert set(cat.phase(code).transitions) == {PHASES[i + 1], "closed"} | earlier
    assert set(cat.phase("closed").transitions) == {"assessment", "monitoring"}
    assert phases_cat.can_transition("monitoring", "assessment")
    assert not phases_cat.can_transition("intake", "planning")  # no skipping forward


def test_minimum_documentation_covers_the_dgcc_table() -> None:
    expected = {
        "intake": {"access_route", "indication", "dp_info_given", "dp_info_language", "consent",
                   "working_agreement"},
        "assessment": {"life_domain_assessment", "client_view"},
        "planning": {"goal", "measure", "plan_signed"},
        "linking": {"referral"},
        "monitoring": {"progress_note"},
        "evaluation": {"attainment", "client_feedback"},
        "closed": {"close_reason", "handover_note"},
    }
    for code, items in expected.items():
        phase = cat.phase(code)
        assert items <= {i.code for i in phase.minimum_documentation}, code
        assert all(i.label and i.hint for i in phase.minimum_documentation)
        assert phase.documentation_applies == ("enter" if code == "closed" else "leave_forward")


def test_requirements_of_a_step() -> None:
    codes = [i.code for i in phases_cat.requirements("evaluation", "closed")]
    assert codes[:2] == ["attainment", "client_feedback"]
    assert {"close_reason", "handover_note"} <= set(codes)
    assert [i.code for i in phases_cat.requirements("linking", "closed")] == ["close_reason",
                                                                       "handover_note"]
    assert phases_cat.requirements("monitoring", "assessment") == ()  # stepping back is always free
    assert phases_cat.requirements("closed", "monitoring") == ()


def test_every_check_names_real_tables_and_columns() -> None:
    tables = Base.metadata.tables
    for entity, link in phases_cat.CHECK_ENTITIES.items():
        assert link.table in tables, entity
        assert link.column in tables[link.table].c, entity
        if link.parent is not None:
            parent = phases_cat.CHECK_ENTITIES[link.parent]
            assert link.parent_column in tables[parent.table].c, entity
    for phase in cat.phases():
        for item in phase.minimum_documentation:
            table = tables[phases_cat.CHECK_ENTITIES[item.check.entity].table]
            if item.check.kind != "count":
                assert item.check.field, item.code
            for column in item.check.columns():
                assert column in table.c, f"{phase.code}.{item.code}: {table.name}.{column}"


# --- strict validation ------------------------------------------------------------------------


def doc(entries: list[dict[str, Any]], stem: str = "close_reasons") -> str:
    return json.dumps({"catalogue": stem, "version": 1, "description": "", "entries": entries})


GOOD = {"code": "x", "label": "X", "description": "d"}


@pytest.mark.parametrize(("text", "message"), [
    (doc([{**GOOD, "colour": "red"}]), r"\[x\]: unknown keys \['colour'\]"),
    (doc([{"code": "x", "label": "X"}]), r"missing fields \['description'\]"),
    (doc([{**GOOD, "label": 3}]), r"\[x\]\.label: expected str"),
    (doc([GOOD, GOOD]), r"duplicate codes \['x'\]"),
    (doc([GOOD], stem="phases"), "declares catalogue 'phases'"),
    (doc([]), "no entries"),
    ("{", "not valid JSON"),
])
def test_malformed_catalogue_is_refused_with_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(cat.CatalogueError, match=message):
        cat.load_entries("close_reasons", cat.CloseReason, text)


def test_types_are_checked_deep_inside_nested_entries() -> None:
    raw = json.loads(
        (Path(cat.__file__).parents[1] / "resources/catalogues/phases.json").read_text("utf-8"))
    raw["entries"][0]["minimum_documentation"][0]["check"]["min"] = True
    with pytest.raises(cat.CatalogueError, match=r"check\.min: expected int"):
        cat.load_entries("phases", phases_cat.Phase, json.dumps(raw))
    raw["entries"][0]["minimum_documentation"][0]["check"] = {"kind": "count", "entity": "goal",
                                                              "where": {"x": [1]}}
    with pytest.raises(cat.CatalogueError, match=r"where\.x: expected a string"):
        cat.load_entries("phases", phases_cat.Phase, json.dumps(raw))


# --- the checks are evaluable generically against a store ------------------------------------


def filled(value: Any) -> bool:
    if value is None or value is False:
        return False
    if isinstance(value, str | list | dict):
        return bool(value.strip() if isinstance(value, str) else value)
    return True


def rows_of(s: LotseSession, entity: str, case_id: int) -> list[dict[str, Any]]:
    """Live rows of ``entity`` belonging to the case, following CHECK_ENTITIES generically."""
    link = phases_cat.CHECK_ENTITIES[entity]
    table = Base.metadata.tables[link.table]
    if link.parent is None:
        query = select(table).where(table.c[link.column] == case_id)
    else:
        parents = rows_of(s, link.parent, case_id)
        keys = [p[link.parent_column] for p in parents]
        query = select(table).where(table.c[link.column].in_(keys))
    return [dict(r._mapping) for r in s.execute(query) if not r._mapping["deleted"]]


def passes(s: LotseSession, check: phases_cat.Check, case_id: int) -> bool:
    rows = rows_of(s, check.entity, case_id)
    if check.kind == "field":
        return filled(rows[0][check.field])
    if check.kind == "all":
        return bool(rows) and all(filled(r[check.field]) for r in rows)
    hits = [r for r in rows if all(r[k] == v for k, v in check.where)
            and all(filled(r[f]) for f in check.filled)]
    return len(hits) >= check.min


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = migrated_engine(tmp_path / "store.db")
    yield engine
    engine.dispose()


def test_checks_fail_on_a_bare_case_and_pass_when_documented(engine: Engine) -> None:
    from db.models import Assessment, Consent, Goal, Institution, JournalEntry, Measure, Referral

    items = [i for p in cat.phases() for i in p.minimum_documentation]
    with LotseSession(engine, info={VAULT_KEY: "a" * 32}) as s:
        staff = add_staff(s)
        s.flush()
        person = add_person(s, "Haddad", "Omar")
        case = new_case(person, staff, "DO-2026-AB-0001")
        s.add(case)
        s.flush()
        assert [i.code for i in items if passes(s, i.check, case.id)] == []

        day = date(2026, 2, 1)
        jobcenter = Institution(name="Jobcenter Dortmund", kind="jobcenter")
        s.add(jobcenter)
        s.flush()
        for name in ("access_route", "indication", "dp_info_language", "client_feedback",
                     "close_reason", "handover_note"):
            setattr(case, name, "x")
        case.complex_needs = case.several_agencies = case.regular_services_insufficient = True
        case.dp_info_given_on = case.working_agreement_on = case.plan_signed_on = day
        # A consent of the client given in another context still counts (consents are per
        # person); a withdrawn one would not.
        s.add(Consent(person_id=person.id, institution_id=jobcenter.id, purpose="Vermittlung",
                      given_on=day))
        s.add(Assessment(case_id=case.id, life_domain="housing", assessed_on=day,
                         client_view="Möchte eine eigene Wohnung."))
        goal = Goal(case_id=case.id, life_domain="housing", description="Eigene Wohnung",
                    indicator="Mietvertrag", target_date=day, responsible="Klient",
                    attainment="teilweise")
        s.add(goal)
        s.flush()
        s.add(Measure(goal_id=goal.id, description="Wohnungsbesichtigungen"))
        s.add(Referral(case_id=case.id, institution_id=jobcenter.id, referred_on=day,
                       purpose="Beratung"))
        s.add(JournalEntry(case_id=case.id, occurred_at=datetime(2026, 2, 1, tzinfo=UTC),
                           contact_kind="home_visit", text="Besuch", author_id=staff.id))
        s.flush()
        assert [i.code for i in items if not passes(s, i.check, case.id)] == []

        # A second goal without attainment breaks "every goal evaluated"; tombstoned, it no
        # longer counts.
        second = Goal(case_id=case.id, life_domain="language", description="B1",
                      responsible="Klient")
        s.add(second)
        s.flush()
        assert {i.code for i in items if not passes(s, i.check, case.id)} == {"attainment"}
        second.deleted = True
        s.flush()
        assert [i.code for i in items if not passes(s, i.check, case.id)] == []


def test_label_or_code_shows_an_unknown_code_as_stored() -> None:
    assert cat.label_or_code(cat.phases(), "monitoring") == cat.phase("monitoring").label
    assert cat.label_or_code(cat.phases(), "monitoring", short=True) == \
        cat.phase("monitoring").short_label
    assert cat.label_or_code(cat.status_kinds(), "neu_ab_2030") == "neu_ab_2030"
    assert cat.label_or_code(cat.target_groups(), None) == ""


def test_a_letterhead_names_the_authority() -> None:
    from app import catalogues as c

    assert [c.municipality(code).authority for code in ("LIP", "GL", "DO", "MH")] == [
        "Kreis Lippe", "Rheinisch-Bergischer Kreis", "Stadt Dortmund",
        "Stadt Mülheim an der Ruhr"]
