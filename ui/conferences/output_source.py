"""Where the panel's copies come from: the conference services and the printing module.

Called on the database worker, never on the GUI thread. The panel holds these as attributes, so
a test or a later window can put another source of PDF bytes in (the real one is the default).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from app.services.conferences.read import (
    calendar_event,
    consent_gate,
    minutes_document,
    recipients,
)
from app.services.conferences.records import (
    PSEUDONYMISED,
    ConsentGate,
    GateInstitution,
    MinutesRecipient,
)
from app.services.conferences.write import record_minutes_output
from ui.conferences.output_versions import FULL_MINUTES, OutputPlan, recipient_version

if TYPE_CHECKING:
    from app.vault.store import Vault

# (vault, conference uuid, version, recipient participant uuid) -> the PDF
RenderFn = Callable[["Vault", str, str, str | None], bytes]
# (vault, conference uuid, action "print" / "pdf", version, recipient participant uuid,
#  disclosure warnings confirmed)
RecordFn = Callable[["Vault", str, str, str, str | None, bool], None]


def render_copy(vault: Vault, conference_uuid: str, version: str,
                recipient_uuid: str | None) -> bytes:
    # Imported here, on the worker: reportlab and pikepdf take about half a second to load,
    # which would otherwise stall the unlock (the conference page imports this module).
    from app.printing import render_minutes

    return render_minutes(minutes_document(vault, conference_uuid, version, recipient_uuid))


def record_output(vault: Vault, conference_uuid: str, action: str, version: str,
                  recipient_uuid: str | None, warnings_acknowledged: bool) -> None:
    record_minutes_output(vault, conference_uuid, action, version, recipient_uuid,
                          warnings_acknowledged)


def load_plan(vault: Vault, conference_uuid: str) -> OutputPlan:
    """The full minutes first, then one copy per participant as the consent gate allows it."""
    gate = consent_gate(vault, conference_uuid, vault.clock.today())  # the day recipients uses
    versions = [FULL_MINUTES]
    for recipient in recipients(vault, conference_uuid):
        if recipient.participant_uuid is not None:
            versions.append(recipient_version(recipient, recipient.participant_uuid,
                                              withheld_reason(gate, recipient),
                                              warnings_for(gate, recipient)))
    starts = calendar_event(vault, conference_uuid).starts_at
    return OutputPlan(starts, tuple(versions))


NO_INSTITUTION_DE = ("Die Person nimmt nicht für eine Stelle teil (Klient:in oder "
                     "Dolmetscher:in): Sie erhält höchstens den eigenen Fall, alle anderen "
                     "fehlen, und Namen erscheinen nur als Initialen.")


def _institution(gate: ConsentGate, recipient: MinutesRecipient) -> GateInstitution | None:
    # The gate names the conference's institutions once each; a recipient carries the name.
    return next((i for i in gate.institutions if i.name == recipient.institution), None)


def warnings_for(gate: ConsentGate, recipient: MinutesRecipient) -> tuple[str, ...]:
    """The disclosure warnings of the cases this recipient's copy shows (foreigners'
    authority, confided information): confirmed before the copy leaves Lotse."""
    inst = _institution(gate, recipient) if recipient.institution is not None else None
    if inst is None:
        return ()
    return tuple(dict.fromkeys(w for c in gate.cells
                               if c.institution_uuid == inst.uuid and c.covered
                               for w in c.warnings))


def withheld_reason(gate: ConsentGate, recipient: MinutesRecipient) -> str | None:
    """German, for the caseworker: which case the recipient's institution is not covered for,
    and why (the gate's own explanation: missing, expired, withdrawn, other purpose)."""
    if recipient.version != PSEUDONYMISED:
        return None
    if recipient.institution is None:
        return NO_INSTITUTION_DE
    inst = _institution(gate, recipient)
    if inst is None:
        return None  # the generic reason of output_versions
    lines = []
    for case in gate.cases:
        cell = gate.cell(case.case_id, inst.uuid)
        if cell is not None and not cell.covered:
            why = cell.explanation().splitlines()
            lines.append(f"{case.case_number}: {why[0] if why else 'nicht gedeckt'}")
    if not lines:
        return None
    return ("Pseudonymisiert (nur Fallnummern und Initialen), weil nicht gedeckt ist:\n"
            + "\n".join(f"• {line}" for line in lines))
