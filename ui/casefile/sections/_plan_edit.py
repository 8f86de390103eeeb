"""What correcting and deleting means for each kind of plan record: which service does it,
how a loaded row fills the form, and what the confirmation and the result say in German."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from app.services.plan.records import AssessmentRow, GoalRow, MeasureRow, ReferralRow
from app.services.plan.write import (
    delete_assessment,
    delete_goal,
    delete_measure,
    delete_referral,
    update_assessment,
    update_goal,
    update_measure,
    update_referral,
)
from app.vault.store import Vault
from ui.casefile._form import (
    fmt_date,
)

KEEPS_HISTORY = ("Der Eintrag verschwindet aus der Fallakte; im Protokoll bleibt vermerkt, "
                 "dass und wann er gelöscht wurde.")


@dataclass(frozen=True)
class RecordKind:
    name: str  # the form's draft key, e.g. "assessment"
    delete_title: str
    delete_action: str  # the confirming button, with & mnemonic
    changed_text: str
    deleted_text: str
    update: Callable[..., None]  # update_x(vault, uuid, **changes)
    delete: Callable[[Vault, str], object]
    to_service: dict[str, str] = field(default_factory=dict)  # form field → service field

    def changes_for_service(self, changes: dict[str, object]) -> dict[str, object]:
        return {self.to_service.get(k, k): v for k, v in changes.items()}


ASSESSMENT = RecordKind("assessment", "Assessment löschen", "Assessment &löschen",
                        "Das Assessment wurde geändert.", "Das Assessment wurde gelöscht.",
                        update_assessment, delete_assessment)
GOAL = RecordKind("goal", "Ziel löschen", "Ziel &löschen", "Das Ziel wurde geändert.",
                  "Das Ziel wurde gelöscht.", update_goal, delete_goal)
MEASURE = RecordKind("measure", "Maßnahme löschen", "Maßnahme &löschen",
                     "Die Maßnahme wurde geändert.", "Die Maßnahme wurde gelöscht.",
                     update_measure, delete_measure)
REFERRAL = RecordKind("referral", "Vermittlung löschen", "Vermittlung &löschen",
                      "Die Vermittlung wurde geändert.", "Die Vermittlung wurde gelöscht.",
                      update_referral, delete_referral, {"institution": "institution_uuid"})


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def assessment_values(a: AssessmentRow) -> dict[str, object]:
    return {"life_domain": a.life_domain, "resources": a.resources, "needs": a.needs,
            "client_view": a.client_view, "assessed_on": a.assessed_on,
            "is_reassessment": a.is_reassessment}


def goal_values(g: GoalRow) -> dict[str, object]:
    return {"life_domain": g.life_domain, "description": g.description,
            "indicator": g.indicator, "target_date": g.target_date,
            "responsible": g.responsible, "agreed_on": g.agreed_on}


def measure_values(m: MeasureRow) -> dict[str, object]:
    return {"description": m.description, "responsible_text": m.responsible, "due_on": m.due_on}


def referral_values(r: ReferralRow) -> dict[str, object]:
    return {"institution": r.institution_uuid, "purpose": r.purpose,
            "referred_on": r.referred_on}


def ask_assessment(a: AssessmentRow) -> str:
    return (f"Das Assessment im Lebensbereich „{a.life_domain_label}“ vom "
            f"{fmt_date(a.assessed_on)} wird gelöscht.\n\n{KEEPS_HISTORY}")


def ask_goal(g: GoalRow) -> str:
    count = len(g.measures)
    measures = ("Es hat keine Maßnahmen." if count == 0 else
                "Seine Maßnahme wird mit gelöscht." if count == 1 else
                f"Seine {count} Maßnahmen werden mit gelöscht.")
    return f"Das Ziel „{_short(g.description)}“ wird gelöscht. {measures}\n\n{KEEPS_HISTORY}"


def ask_measure(m: MeasureRow) -> str:
    return f"Die Maßnahme „{_short(m.description)}“ wird gelöscht.\n\n{KEEPS_HISTORY}"


def ask_referral(r: ReferralRow) -> str:
    return (f"Die Vermittlung an „{r.institution_name}“ vom {fmt_date(r.referred_on)} "
            f"wird gelöscht.\n\n{KEEPS_HISTORY}")
