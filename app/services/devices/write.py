"""Writing side of the devices domain: trust is given by typing the fingerprint back."""

from __future__ import annotations

from pathlib import Path

from app import audit
from app.audit import Kind
from app.bundle.cards import MAX_CARD_SIZE, read_card
from app.bundle.cards import countersign as countersign_card
from app.errors import NotFound, Refused, ValidationFailed
from app.fsutil import read_limited
from app.services.devices.queries import find_peer, peer_row
from app.services.devices.records import DeviceRow
from app.settings import load_settings
from app.share.files import ShareUnavailable, write_new
from app.share.layout import CARD_SUFFIX, ShareLayout
from app.sync.keys import own_keys, vault_role
from app.sync.peers import own_card_file, remember_card
from app.vault.store import Vault

FINGERPRINT_WRONG_DE = ("Kein bekannter Tresor hat diesen Fingerabdruck. Bitte geben Sie den "
                        "vollständigen Fingerabdruck ein, wie ihn die Kollegin oder der Kollege "
                        "vorliest.")
NOT_COORDINATION_DE = "Gegenzeichnen kann nur der Tresor der Koordinierungsstelle."
COUNTERSIGN_UNTRUSTED_DE = ("Gegengezeichnet wird nur eine Schlüsselkarte, deren Fingerabdruck "
                            "Sie selbst bestätigt haben.")
CARD_UNREADABLE_DE = "Die Datei ist keine lesbare Schlüsselkarte."
OWN_CARD_DE = "Das ist die Schlüsselkarte dieses Tresors."


def trust(vault: Vault, typed_fingerprint: str) -> DeviceRow:
    """Trust the card whose fingerprint was typed (whole, spaces and case ignored); German
    ``ValidationFailed`` when no known card has it. Waiting bundles of it are applied at the
    next sync."""
    with vault.session() as s:
        peer = find_peer(s, typed_fingerprint)
        if peer is None:
            raise ValidationFailed(FINGERPRINT_WRONG_DE, "no known card has this fingerprint "
                                   "(the whole fingerprint is needed)", field="fingerprint")
        if peer.trust != "trusted" or peer.trusted_how != "fingerprint":
            peer.trust, peer.trusted_at, peer.trusted_how = "trusted", vault.clock.now(), \
                "fingerprint"
            s.flush()
            audit.record(s, Kind.DEVICE_TRUSTED, "peer_device", None,
                         fingerprint=peer.fingerprint, how="fingerprint")
        return peer_row(peer)


def distrust(vault: Vault, fingerprint: str) -> DeviceRow:
    """Nothing from this vault is applied any more; its waiting bundles are rejected at the next
    sync."""
    with vault.session() as s:
        peer = find_peer(s, fingerprint)
        if peer is None:
            raise NotFound(FINGERPRINT_WRONG_DE, "no known card has this fingerprint")
        if peer.trust != "distrusted":
            peer.trust, peer.trusted_at, peer.trusted_how = "distrusted", None, None
            s.flush()
            audit.record(s, Kind.DEVICE_DISTRUSTED, "peer_device", None,
                         fingerprint=peer.fingerprint)
        return peer_row(peer)


def import_card_file(vault: Vault, path: Path) -> DeviceRow:
    """A card handed over as a file (USB stick, mail) instead of found on the share."""
    data = read_limited(path, MAX_CARD_SIZE)
    if data is None:
        raise ValidationFailed(CARD_UNREADABLE_DE, "card file too large or not a regular file")
    try:
        card = read_card(data)
    except ValueError as exc:
        raise ValidationFailed(CARD_UNREADABLE_DE, "not a valid key card") from exc
    with vault.session() as s:
        row = remember_card(s, vault, card, data)
        if row is None:
            raise ValidationFailed(OWN_CARD_DE, "this is the vault's own card")
        return peer_row(row)


def export_card_file(vault: Vault, path: Path) -> None:
    """Write this vault's card to a new file (an existing file is never replaced)."""
    with vault.session() as s:
        _card, data = own_card_file(s, vault)
    try:
        with path.open("xb") as out:
            out.write(data)
    except FileExistsError as exc:
        raise Refused("Diese Datei gibt es schon; sie wird nicht ersetzt.",
                      f"{path} exists") from exc


def countersign(vault: Vault, fingerprint: str) -> DeviceRow:
    """The coordination office vouches for a card it confirmed itself: the countersigned card
    goes to the share, and every vault trusting this office trusts the card too."""
    folder = load_settings(vault).share_folder
    with vault.session() as s:
        if vault_role(s) != "coordination":
            raise Refused(NOT_COORDINATION_DE, "only a coordination vault countersigns")
        peer = find_peer(s, fingerprint)
        if peer is None:
            raise NotFound(FINGERPRINT_WRONG_DE, "no known card has this fingerprint")
        if peer.trust != "trusted" or peer.trusted_how != "fingerprint":
            raise Refused(COUNTERSIGN_UNTRUSTED_DE, "countersign only a card confirmed here "
                          "by its fingerprint")
        data = countersign_card(peer.card, own_keys(s, vault))
        if not folder:
            raise Refused("Es ist kein Austauschordner eingerichtet.", "no share folder set")
        try:
            layout = ShareLayout(Path(folder))
            write_new(layout.cards(), data, CARD_SUFFIX, root=layout.root,
                      tag=vault.info.vault_uuid)
        except (ShareUnavailable, OSError) as exc:
            raise Refused("Das Austauschlaufwerk ist nicht erreichbar.",
                          f"share unavailable: {type(exc).__name__}") from exc
        remember_card(s, vault, read_card(data), data)
        audit.record(s, Kind.DEVICE_COUNTERSIGNED, "peer_device", None,
                     fingerprint=peer.fingerprint)
        return peer_row(peer)
