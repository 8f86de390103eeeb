"""Catalogue and toolkit updates from the coordination office.

A coordination vault (``lotse init --role coordination``) seals its catalogue entries
(``catalogue_entry``: institutions kinds, status kinds, …) and certificate templates
(``certificate_template``) as row images, plus the issuer key cards it trusts and their newest
revocation lists, for every trusted casework vault. Sent whole each time: a catalogue is small,
and a casework vault that joins later gets everything from the next update.

The receiving handler applies the bundle only from a trusted peer whose card says
"coordination" (its card is signed by its own key and its fingerprint was confirmed by a
person, or it was countersigned): from anyone else it is refused "not_allowed", as is a bundle
that carries rows of any other table. Rows go through ``db.replica.apply_images`` (merged per
field like every replicated row); key cards are trusted as vouched for by the coordination
office (``app.services.keys.write.trust_vouched_card``: the audit entry names the office's
fingerprint), and each revocation list is checked against the key it names and kept only if
it is newer than the one held (an old list never un-revokes).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bundle.records import CATALOGUE, BundleContent, BundleRejected
from app.errors import ValidationFailed
from app.seal.errors import SealError
from app.seal.revocations import read_revocations
from app.services.keys.write import distributed_keys, keep_newer_list, trust_vouched_card
from app.sync import outbox
from app.sync.kinds import register
from app.sync.roles import CASEWORK, COORDINATION, vault_role
from app.vault.store import Vault
from db.models import CatalogueEntry, CertificateTemplate, PeerDevice, TrustedKey
from db.replica import apply_images, images_of

TABLES = ("catalogue_entry", "certificate_template")  # the only rows a catalogue may carry
MAX_CARDS = 1000
MAX_LISTS = 1000


def casework_peers(s: Session) -> list[str]:
    return list(s.execute(select(PeerDevice.fingerprint).where(
        PeerDevice.trust == "trusted", PeerDevice.role == CASEWORK)
        .order_by(PeerDevice.fingerprint)).scalars())


def export(s: Session, vault: Vault) -> str:
    """Seal the whole catalogue for every trusted casework vault (in ``s``); its uuid."""
    if vault_role(s) != COORDINATION:
        raise ValidationFailed("Katalog-Aktualisierungen verschickt nur die "
                               "Koordinierungsstelle.", "only a coordination vault exports "
                               "catalogue updates")
    recipients = casework_peers(s)
    if not recipients:
        raise ValidationFailed("Es ist noch kein Tresor einer Fallmanagerin oder eines "
                               "Fallmanagers als vertrauenswürdig bestätigt.",
                               "no trusted casework vault")
    rows = [*images_of(s, "catalogue_entry", s.execute(select(CatalogueEntry.uuid)).scalars()),
            *images_of(s, "certificate_template",
                       s.execute(select(CertificateTemplate.uuid)).scalars())]
    cards, lists = distributed_keys(s, vault)
    body: dict[str, Any] = {"issuer_cards": cards,
                            "revocation_lists": [[fp, data] for fp, data in lists]}
    return outbox.enqueue(s, vault, CATALOGUE, recipients, rows=rows, body=body)


def _body(bundle: BundleContent) -> tuple[list[bytes], list[tuple[str, bytes]]]:
    body = bundle.body
    if set(body) - {"issuer_cards", "revocation_lists"}:
        raise BundleRejected("payload_malformed", "unknown parts in a catalogue body")
    cards = body.get("issuer_cards", [])
    lists = body.get("revocation_lists", [])
    if (not isinstance(cards, list) or not isinstance(lists, list)
            or len(cards) > MAX_CARDS or len(lists) > MAX_LISTS
            or not all(isinstance(c, bytes) for c in cards)
            or not all(isinstance(e, list) and len(e) == 2 and isinstance(e[0], str)
                       and isinstance(e[1], bytes) for e in lists)):
        raise BundleRejected("payload_malformed", "catalogue keys are not cards and lists")
    return cards, [(fp, data) for fp, data in lists]


class CatalogueHandler:
    def apply(self, s: Session, vault: Vault, bundle: BundleContent,
              sender: PeerDevice) -> tuple[int, int]:
        if sender.role != COORDINATION or sender.trust != "trusted":
            raise BundleRejected("not_allowed", "catalogue updates come from the coordination "
                                 "office only")
        if any(r.table not in TABLES for r in bundle.rows):
            raise BundleRejected("not_allowed", "a catalogue update carries other records")
        cards, lists = _body(bundle)
        result = apply_images(s, bundle.rows, remote_vault=bundle.sender.vault_uuid,
                              author=bundle.sender.holder_name, changed_at=bundle.created_at)
        applied = result.inserted + result.updated
        try:
            for card in cards:
                trust_vouched_card(s, card, sender.fingerprint)
            for fingerprint, data in lists:
                row = s.execute(select(TrustedKey).where(
                    TrustedKey.fingerprint == fingerprint)).scalar()
                if row is None:  # a list of a key not trusted here proves nothing here
                    continue
                keep_newer_list(s, row, read_revocations(data, row.public_key), data)
        except SealError as e:
            raise BundleRejected("payload_malformed", "a key card or revocation list does not "
                                 "verify") from e
        return applied + len(cards) + len(lists), len(result.conflicts or [])


register(CATALOGUE, CatalogueHandler())
