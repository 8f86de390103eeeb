"""Reading side of the steering domain."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from app import catalogues
from app.services.gaps.records import CATEGORIES as GAP_CATEGORIES
from app.services.steering.records import ReportCell, SteeringReportRow
from app.sync.roles import STEERING_ROLE, vault_role
from app.sync.steering_bundle import stored_reports
from app.sync.steering_schema import DIMENSION_LABELS, TABLES, TOTAL_LABELS, TOTALS
from app.vault.store import Vault

WITHHELD = "withheld"
_FIXED = {"none": "ohne Angabe", "other": "Sonstige",
          WITHHELD: "Tabelle zurückgehalten (zu kleine Zahlen)",
          "under_3_months": "unter 3 Monaten", "3_to_6_months": "3 bis 6 Monate",
          "6_to_12_months": "6 bis 12 Monate", "over_12_months": "über 12 Monate",
          "asylum": "Asylverfahren", "toleration": "Duldung", "residence_permit":
          "Aufenthaltserlaubnis", "settlement": "Niederlassung"}


def receives_reports(vault: Vault) -> bool:
    """Whether this is a steering committee's vault (``lotse init --role steering``)."""
    with vault.read_session() as s:
        return vault_role(s) == STEERING_ROLE


def reports(vault: Vault) -> list[SteeringReportRow]:
    """Steering reports this (steering) vault imported, oldest first."""
    with vault.read_session() as s:
        stored = stored_reports(s)
    return [_row(uuid, r) for uuid, r in stored]


def _labels() -> dict[str, dict[str, str]]:
    def of(entries: tuple[catalogues.Coded, ...]) -> dict[str, str]:
        return {e.code: e.label for e in entries}

    return {"phase": of(catalogues.phases()), "target_group": of(catalogues.target_groups()),
            "municipality": of(catalogues.municipalities()),
            "residence_status": of(catalogues.status_kinds()),
            "close_reason": of(catalogues.close_reasons()),
            "referral_institution_kind": of(catalogues.institution_kinds()),
            "goal_attainment": of(catalogues.attainments()), "gap_category": GAP_CATEGORIES,
            "totals": TOTAL_LABELS}


def _row(bundle_uuid: str, stored: Mapping[str, Any]) -> SteeringReportRow:
    body = stored["body"]
    labels = _labels()
    totals = body["totals"]
    cells = [ReportCell("totals", k, TOTAL_LABELS[k], totals[k]) for k in TOTALS if k in totals]
    for name in TABLES:
        table = body["tables"][name]
        if table is None:
            cells.append(ReportCell(name, WITHHELD, _FIXED[WITHHELD], None))
            continue
        names = labels.get(name, {})
        # In the catalogue's order (phases as a case runs through them), the rest after it.
        order = {code: i for i, code in enumerate([*names, *_FIXED])}
        cells.extend(ReportCell(name, code, names.get(code) or _FIXED.get(code, code), n,
                                TABLES[name] is not None)
                     for code, n in sorted(table.items(), key=lambda c: (
                         order.get(c[0], len(order)), c[0])))
    sender = stored["sender_vault"]
    if stored.get("sender_municipality"):
        sender = f"{sender} ({stored['sender_municipality']})"
    return SteeringReportRow(
        bundle_uuid, sender, date.fromisoformat(body["period_from"]),
        date.fromisoformat(body["period_to"]), datetime.fromisoformat(stored["created_at"]),
        body["totals"]["cases"], tuple(cells), int(stored["audit_head"]["seq"]),
        str(stored["audit_head"]["hash"]))


def dimension_label(dimension: str) -> str:
    return "Summen" if dimension == "totals" else DIMENSION_LABELS.get(dimension, dimension)
