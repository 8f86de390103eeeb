"""Steering reports as bundles: the export from a casework vault, the handler in the steering
vault, and where the steering vault keeps what it received.

Storage: a received report is aggregated and names no one, and it is this vault's own (never
replicated), so it is kept as one ``vault_meta`` row per bundle, key ``steering_report:<bundle
uuid>``, value the JSON of the checked body with the sender's vault name, municipality, card
fingerprint, the bundle's date and the sender's audit head. No table of migration 0010 fits
(``inbox_bundle`` is for bundles *not* applied; ``bundle_receipt`` has no body) and no migration
may be added in this issue; a ``steering_report`` table is the clean home later.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bundle.records import STEERING, BundleContent, BundleRejected
from app.errors import ValidationFailed
from app.sync import outbox
from app.sync.kinds import register
from app.sync.roles import STEERING_ROLE, vault_role
from app.sync.steering import aggregate
from app.sync.steering_schema import BodyInvalid, check_body
from app.vault.store import Vault
from db.models import PeerDevice, VaultMeta

REPORT_PREFIX = "steering_report:"
MAX_PERIOD_DAYS = 3 * 366  # a report covers at most three years


def steering_peers(s: Session) -> list[str]:
    """Fingerprints of the trusted steering vaults, the recipients of every report."""
    return list(s.execute(select(PeerDevice.fingerprint).where(
        PeerDevice.trust == "trusted", PeerDevice.role == STEERING_ROLE)
        .order_by(PeerDevice.fingerprint)).scalars())


def check_period(period_from: date, period_to: date) -> None:
    if period_from > period_to:
        raise ValidationFailed("Der Zeitraum endet vor seinem Beginn.",
                               "period ends before it begins", field="period_to")
    if (period_to - period_from).days > MAX_PERIOD_DAYS:
        raise ValidationFailed("Ein Steuerungsbericht umfasst höchstens drei Jahre.",
                               "period longer than three years", field="period_from")


def export(s: Session, vault: Vault, period_from: date, period_to: date) -> str:
    """Aggregate and seal the report for every trusted steering vault (in ``s``); its uuid."""
    check_period(period_from, period_to)
    if vault_role(s) == STEERING_ROLE:
        raise ValidationFailed("Ein Tresor des Steuerungsgremiums erstellt keine "
                               "Steuerungsberichte.", "a steering vault has no cases to report")
    recipients = steering_peers(s)
    if not recipients:
        raise ValidationFailed("Es ist kein Tresor eines Steuerungsgremiums als vertrauenswürdig "
                               "bestätigt. Bestätigen Sie zuerst dessen Schlüsselkarte.",
                               "no trusted steering vault")
    body = aggregate(s, period_from, period_to, vault.clock.now().date())
    return outbox.enqueue(s, vault, STEERING, recipients, body=body)


class SteeringHandler:
    """Stores a received report after checking it against the schema once more: a report that
    carries records or any field the schema does not name is refused whole."""

    def apply(self, s: Session, vault: Vault, bundle: BundleContent,
              sender: PeerDevice) -> tuple[int, int]:
        if bundle.rows:
            raise BundleRejected("payload_malformed", "a steering report carries no records")
        try:
            check_body(bundle.body)
        except BodyInvalid as e:
            raise BundleRejected("payload_malformed", str(e)) from e
        key = REPORT_PREFIX + bundle.bundle_uuid
        if s.get(VaultMeta, key) is not None:
            return 0, 0
        stored = {"sender_vault": bundle.sender.vault_name,
                  "sender_municipality": bundle.sender.municipality,
                  "sender_fingerprint": sender.fingerprint,
                  "created_at": bundle.created_at.isoformat(),
                  "audit_head": {"seq": bundle.audit_head.seq, "hash": bundle.audit_head.hash},
                  "body": dict(bundle.body)}
        s.add(VaultMeta(key=key, value=json.dumps(stored, sort_keys=True)))
        return 1, 0


def stored_reports(s: Session) -> list[tuple[str, dict[str, Any]]]:
    """(bundle uuid, stored report) of every report received, oldest first."""
    rows = s.execute(select(VaultMeta.key, VaultMeta.value).where(
        VaultMeta.key.startswith(REPORT_PREFIX, autoescape=True))).all()
    reports = [(key[len(REPORT_PREFIX):], json.loads(value)) for key, value in rows]
    reports.sort(key=lambda r: (datetime.fromisoformat(r[1]["created_at"]), r[0]))
    return reports


register(STEERING, SteeringHandler())
