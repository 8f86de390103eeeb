"""Certificate templates: the declared defaults, the checker that keeps a template printable,
the team's versions (saved, audited, reset) and filling without str.format."""

from __future__ import annotations

import dataclasses
import json
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.errors import ValidationFailed
from app.printing import render_certificate
from app.services.templates.read import (
    PLACEHOLDER_RE,
    VALUE_CAPS,
    check_template,
    default_templates,
    facts_of,
    fill,
    filled_blocks,
    sample_document,
    template,
    template_from_data,
    templates,
)
from app.services.templates.records import PLACEHOLDERS, Template, TemplateField
from app.services.templates.write import reset_template, save_template
from app.vault.store import Vault
from db.models import AuditLog
from tests.app.printing import pdf_tools

FIELDS = (TemplateField("massnahme", "Maßnahme", seal="subject"),
          TemplateField("von", "Von", "date", seal="period_from"),
          TemplateField("umfang", "Umfang", "number", required=False))
GOOD = Template("kurs", "participation", "Kursbescheinigung",
                ("Hiermit wird bestätigt, dass {name} am Kurs „{massnahme}“ ab {von} "
                 "teilgenommen hat.", "Umfang: {umfang} Stunden."), FIELDS, builtin=False)


def _with(**changes: object) -> Template:
    return dataclasses.replace(GOOD, **changes)  # type: ignore[arg-type]


def _field(**changes: object) -> tuple[TemplateField, ...]:
    return (dataclasses.replace(FIELDS[0], **changes), *FIELDS[1:])  # type: ignore[arg-type]


def test_the_declared_defaults_load_and_pass_the_checker() -> None:
    keys = [t.key for t in default_templates()]
    assert keys == ["beratung", "teilnahme", "vorsprache"]
    for t in default_templates():
        check_template(t)
        assert t.builtin and not t.modified and t.active
        assert any(b.startswith("Hiermit wird bestätigt") for b in t.blocks), t.key
    # Every JSON resource is a template (a broken or misnamed one fails here, at load).
    names = sorted(e.name for e in resources.files("resources.certificates").iterdir()
                   if e.name.endswith(".json"))
    assert names == [f"{k}.json" for k in keys]


BAD = [
    (_with(blocks=("Hiermit {xyz}.",)), "Unbekannter Platzhalter {xyz}. Erlaubt sind: {name}"),
    (_with(blocks=("Hiermit {name.",)), "wird nicht geschlossen"),
    (_with(blocks=("Hiermit name}.",)), "hat keine öffnende"),
    (_with(blocks=("Hiermit {na{me}}.",)), "nicht verschachtelt"),
    (_with(blocks=("Hiermit {{name}}.",)), "nicht verschachtelt"),
    (_with(blocks=("Hiermit {name!r}.",)), "Formatangaben"),
    (_with(blocks=("Hiermit {name:>10}.",)), "Formatangaben"),
    (_with(blocks=("Hiermit {name.__class__}.",)), "Punkte und eckige Klammern"),
    (_with(blocks=("Hiermit {name[0]}.",)), "Punkte und eckige Klammern"),
    (_with(blocks=("Hiermit {Name}.",)), "kein gültiger Platzhalter"),
    (_with(title=" "), "einen Titel"),
    (_with(title="Bescheinigung für {name}"), "keine Platzhalter"),
    (_with(blocks=()), "mindestens einen Textblock"),
    (_with(blocks=("Gut.", "  ")), "Textblock 2 ist leer"),
    (_with(fields=_field(key="Maßnahme")), "Feldkennung „Maßnahme“ ist ungültig"),
    (_with(fields=_field(key="name")), "bereits ein fester Platzhalter"),
    (_with(fields=(*FIELDS, FIELDS[2])), "kommt zweimal vor"),
    (_with(fields=(*FIELDS, TemplateField("thema", "Thema", seal="subject"))),
     "Siegel-Zuordnung „subject“ ist doppelt"),
    (_with(fields=_field(seal="period_until")), "muss daher ein Datum sein"),
    (_with(fields=_field(kind="html")), "unbekannte Art"),
    (_with(fields=_field(label="")), "braucht eine Beschriftung"),
    (_with(blocks=("Hiermit\x07 wird bestätigt.",)), "Steuerzeichen (U+0007)"),
    (_with(blocks=("Zeile\nZeile",)), "Steuerzeichen (U+000A)"),
    (_with(title="Teilnahme\u202e"), "Steuerzeichen (U+202E)"),
    (_with(blocks=("x" * 600,) * 4), "für eine Seite zu lang"),
    (_with(blocks=("{massnahme} " * 30,)), "für eine Seite zu lang"),
    (_with(key="Kurs 1"), "Kennung der Vorlage ist ungültig"),
    (_with(kind="training"), "dem Fortbildungszertifikat vorbehalten"),
    (_with(initials_only=True, blocks=("{vorname} war da.",)), "nur Initialen"),
]


@pytest.mark.parametrize(("bad", "message"), BAD, ids=[str(i) for i in range(len(BAD))])
def test_the_checker_refuses_each_kind_of_bad_template(bad: Template, message: str) -> None:
    check_template(GOOD)
    with pytest.raises(ValidationFailed) as refused:
        check_template(bad)
    assert message in refused.value.message_de


def test_filling_never_formats_and_inserts_values_as_they_are() -> None:
    values = {"name": "{massnahme} {0.__class__}", "massnahme": "Kurs", "von": "01.09.2026",
              "umfang": ""}
    blocks = filled_blocks(GOOD, values)
    # The optional, empty {umfang} drops its block; the value with braces is not scanned again.
    assert blocks == ("Hiermit wird bestätigt, dass {massnahme} {0.__class__} am Kurs „Kurs“ "
                      "ab 01.09.2026 teilgenommen hat.",)
    assert fill("{umfang} Stunden", {"umfang": "12"}) == "12 Stunden"
    # Format syntax is never evaluated, even past the checker: it stays literal text.
    assert fill("{name!r} {name.upper} {0} {name:>9} {name}", {"name": "X"}) == (
        "{name!r} {name.upper} {0} {name:>9} X")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab{}!:.[]_ 0", max_size=30))
def test_what_the_checker_accepts_always_fills_completely(text: str) -> None:
    t = _with(blocks=(f"Hiermit {text}",))
    try:
        check_template(t)
    except ValidationFailed:
        return
    values = {k: "Wert" for k in [*PLACEHOLDERS, *(f.key for f in t.fields)]}
    for block in filled_blocks(t, values):
        assert "{" not in block and "}" not in block


def test_a_team_version_overlays_the_default_and_reset_brings_it_back(vault: Vault) -> None:
    default = template(vault, "teilnahme")
    changed = dataclasses.replace(default, title="Teilnahmebestätigung",
                                  blocks=(*default.blocks[:1], "Mit freundlichen Grüßen"))
    save_template(vault, changed)
    mine = template(vault, "teilnahme")
    assert (mine.title, mine.blocks[1], mine.builtin, mine.modified) == (
        "Teilnahmebestätigung", "Mit freundlichen Grüßen", True, True)
    save_template(vault, GOOD)  # a template of the team's own
    assert [t.key for t in templates(vault)] == ["beratung", "teilnahme", "vorsprache", "kurs"]
    save_template(vault, dataclasses.replace(GOOD, active=False))
    assert "kurs" not in [t.key for t in templates(vault)]
    assert not template(vault, "kurs").active
    reset_template(vault, "teilnahme")
    again = template(vault, "teilnahme")
    assert (again.title, again.blocks, again.modified) == (default.title, default.blocks, False)
    with pytest.raises(ValidationFailed) as refused:
        reset_template(vault, "kurs")
    assert "keine Standardfassung" in refused.value.message_de
    with vault.read_session() as s:
        events = [(e.kind, e.detail.get("fields")) for e in s.execute(
            select(AuditLog).where(AuditLog.object_type == "certificate_template")
            .order_by(AuditLog.seq)).scalars()]
    assert events == [("record.created", None), ("record.created", None),
                      ("record.updated", ["active"]), ("record.updated", ["body", "title"])]


def test_a_template_that_fails_the_checker_is_never_stored(vault: Vault) -> None:
    bad = _with(blocks=("Hiermit {xyz}.",))
    with pytest.raises(ValidationFailed):
        save_template(vault, bad)
    assert [t.key for t in templates(vault, include_inactive=True)] == [
        "beratung", "teilnahme", "vorsprache"]


def test_stored_data_is_checked_when_it_is_read() -> None:
    data = json.loads(resources.files("resources.certificates").joinpath(
        "beratung.json").read_text(encoding="utf-8"))
    template_from_data(data)
    data["blocks"][0] += " {geheim}"
    with pytest.raises(ValidationFailed):
        template_from_data(data)
    del data["title"]
    with pytest.raises(ValidationFailed) as refused:
        template_from_data(data)
    assert refused.value.message_de == "Die Vorlage ist unvollständig oder fehlerhaft aufgebaut."


@pytest.mark.parametrize("key", ["teilnahme", "beratung", "vorsprache"])
def test_the_sample_document_fills_every_placeholder(vault: Vault, key: str) -> None:
    doc = sample_document(vault, template(vault, key))
    assert doc.office == "Stadt Dortmund" and doc.place == "Dortmund"
    assert doc.blocks and not any(PLACEHOLDER_RE.search(b) for b in doc.blocks)
    assert doc.blocks[0].startswith("Hiermit wird bestätigt, dass Mariam Haidari")


def _worst_case(t: Template) -> dict[str, str]:
    """Every field at the longest value issuing accepts, in words (as a person types)."""
    values = {k: "Mariam-Sophie Haidari-Öztürk" for k in PLACEHOLDERS}
    for f in t.fields:
        values[f.key] = {"date": "30.09.2026", "number": "999999"}.get(
            f.kind, ("Sprachförderung " * 40)[:VALUE_CAPS[f.kind]].strip())
    return values


def _at_the_budget(key: str, fields: int) -> Template:
    """A template just inside the page budget: the most the editor lets through."""
    words = "Die Teilnahme wurde regelmäßig und mit Erfolg nachgewiesen. "
    extra = tuple(TemplateField(f"angabe_{i}", f"Weitere Angabe {i}") for i in range(fields))
    for n in range(700, 0, -10):
        t = _with(key=key, fields=(*FIELDS, *extra),
                  blocks=("Hiermit wird bestätigt, dass {name} am Kurs „{massnahme}“ "
                          "teilgenommen hat.", *[(words * 20)[:n].strip()] * 3))
        try:
            check_template(t)
            return t
        except ValidationFailed:
            continue
    raise AssertionError("no template fits the budget")


@pytest.mark.parametrize("key", ["teilnahme", "beratung", "vorsprache", "kurs", "budget",
                                 "budget_fields"])
def test_a_template_that_passes_the_checker_prints_on_one_page(
        vault: Vault, key: str, tmp_path: Path) -> None:
    save_template(vault, GOOD)
    save_template(vault, _at_the_budget("budget", 0))
    save_template(vault, _at_the_budget("budget_fields", 4))
    t = template(vault, key)
    doc = sample_document(vault, t)
    assert render_certificate(doc)[:5] == b"%PDF-"
    values = _worst_case(t)
    worst = dataclasses.replace(doc, blocks=filled_blocks(t, values),
                                facts=facts_of(t, values),
                                holder_name="Mariam-Sophie Haidari-Öztürk")
    pages = pdf_tools.pages_text(render_certificate(worst, pdfa=False), tmp_path)
    assert len(pages) == 1, f"{key} needs {len(pages)} pages"
