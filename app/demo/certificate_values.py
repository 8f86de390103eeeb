"""Plausible values for a certificate template's fields (demo data, the CLI tests, the
benchmark): dates by the field's role in the seal, numbers and texts by known keys."""

from __future__ import annotations

import random
from datetime import date, timedelta

from app.services.templates.records import Template, TemplateField

VALUES = {
    "massnahme": ("Integrationskurs (Sprachkurs B1)", "Berufssprachkurs B2",
                  "Aktivierungsmaßnahme Perspektive Arbeit", "Erstorientierungskurs"),
    "traeger": ("Volkshochschule", "Caritasverband", "Bildungswerk der Wirtschaft",
                "Arbeiterwohlfahrt"),
    "them": ("Arbeit und Ausbildung", "Wohnen", "Anerkennung des Berufsabschlusses",
             "Sprache und Bildung"),
    "anlass": ("Beratungstermin", "Antragstellung", "Abstimmung zum Integrationsplan"),
}
NUMBERS = {"umfang": (300, 400, 160), "termine": (4, 6, 9, 12)}


def field_value(f: TemplateField, rng: random.Random, today: date, index: int = 0) -> str:
    """A plausible value for a template field: by its kind, then known keys, else its label."""
    if f.kind == "date":
        # A period ends some days ago and began months before; a single day lies in between.
        days = {"period_from": 200, "period_until": 14}.get(f.seal or "", 30)
        return (today - timedelta(days=days + rng.randrange(10))).strftime("%d.%m.%Y")
    if f.kind == "number":
        numbers = next((v for k, v in NUMBERS.items() if k in f.key), (4, 8, 12))
        return str(numbers[(index + rng.randrange(len(numbers))) % len(numbers)])
    for key, values in VALUES.items():
        if key in f.key:
            return values[(index + rng.randrange(len(values))) % len(values)]
    if f.kind == "multiline":
        return "Die Teilnahme war regelmäßig.\nFehlzeiten waren entschuldigt."
    return f"{f.label} (Angabe {index + 1})"


def values_for(t: Template, rng: random.Random, today: date, index: int = 0) -> dict[str, str]:
    return {f.key: field_value(f, rng, today, index) for f in t.fields}
