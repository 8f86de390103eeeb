"""Key cards on the share and trust: cards arrive untrusted, trust needs the whole fingerprint
typed back (or a trusted coordination office's countersignature), an old card put back never
replaces a newer one."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.bundle.cards import read_card
from app.errors import Refused, ValidationFailed
from app.services.devices.read import devices
from app.services.devices.write import (
    countersign,
    distrust,
    export_card_file,
    import_card_file,
    trust,
)
from app.services.sync.read import status
from app.services.sync.write import set_share_folder
from app.share.layout import CARD_SUFFIX
from db.models import AuditLog, PeerDevice, VaultMeta
from tests.support.sync_world import Office, close, colleagues, confirm, make_office, meet, sync


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Office, Office, Path]]:
    with colleagues(tmp_path) as (share, (a, b)):
        yield a, b, share


def _peer(office: Office, fingerprint: str) -> PeerDevice | None:
    with office.vault.read_session() as s:
        return s.execute(select(PeerDevice).where(
            PeerDevice.fingerprint == fingerprint)).scalar()


def test_cards_are_published_once_and_arrive_untrusted(pair: tuple[Office, Office, Path]) -> None:
    a, b, share = pair
    meet(a, b)
    cards = sorted((share / "cards").iterdir())
    assert len(cards) == 2 and all(p.suffix == CARD_SUFFIX for p in cards)
    for p in cards:  # random names: no vault code, no person
        assert "AAAA" not in p.name and "Nowak" not in p.name
    sync(a)  # nothing changed: the card is not written again
    assert sorted((share / "cards").iterdir()) == cards
    seen = _peer(a, b.fingerprint)
    assert seen is not None and seen.trust == "unknown" and seen.holder_name == "Jonas Brandt"
    rows = devices(a.vault)
    assert rows[0].own and rows[0].fingerprint == a.fingerprint
    assert [r.fingerprint for r in rows[1:]] == [b.fingerprint]


def test_trust_needs_the_whole_fingerprint(pair: tuple[Office, Office, Path]) -> None:
    a, b, _ = pair
    meet(a, b)
    with pytest.raises(ValidationFailed) as caught:
        trust(a.vault, b.fingerprint[:32])  # the displayed half is not enough here
    assert "Fingerabdruck" in caught.value.message_de
    wrong = b.fingerprint[:-1] + ("0" if b.fingerprint[-1] != "0" else "1")
    with pytest.raises(ValidationFailed):
        trust(a.vault, wrong)
    assert _peer(a, b.fingerprint).trust == "unknown"  # type: ignore[union-attr]
    spaced = " ".join(b.fingerprint[i:i + 4] for i in range(0, 64, 4)).upper()
    row = trust(a.vault, spaced)
    assert row.trust == "trusted" and row.trusted_how == "fingerprint"
    with a.vault.read_session() as s:
        kinds = list(s.execute(select(AuditLog.kind, AuditLog.detail)).tuples())
    assert ("device.trusted", {"fingerprint": b.fingerprint, "how": "fingerprint"}) in kinds
    assert distrust(a.vault, b.fingerprint).trust == "distrusted"


def test_an_old_card_put_back_never_replaces_a_newer(pair: tuple[Office, Office, Path]) -> None:
    a, b, share = pair
    meet(a, b)
    old = next(p for p in (share / "cards").iterdir()
               if read_card(p.read_bytes()).fingerprint == b.fingerprint)
    keep = share.parent / "old-card"
    shutil.copy(old, keep)
    with b.vault.session() as s:  # a fact on B's card changes: B issues a newer card
        s.add(VaultMeta(key="vault_role", value="coordination"))
    b.clock.advance(timedelta(days=1))
    sync(b)
    assert not old.exists()  # B tidied its older card away
    sync(a)
    assert _peer(a, b.fingerprint).role == "coordination"  # type: ignore[union-attr]
    for p in (share / "cards").iterdir():  # only the old card is left on the share
        if read_card(p.read_bytes()).fingerprint == b.fingerprint:
            p.unlink()
    shutil.copy(keep, share / "cards" / ("x" * 20 + CARD_SUFFIX))
    sync(a)
    seen = _peer(a, b.fingerprint)
    assert seen is not None and seen.role == "coordination"
    assert seen.card_issued_at == b.clock.now()


def test_a_card_countersigned_by_a_trusted_office_is_trusted(tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    a = make_office(tmp_path, "AAAA", "Katharina Nowak", "DO", share)
    b = make_office(tmp_path, "BBBB", "Jonas Brandt", "BI", share)
    k = make_office(tmp_path, "KOOR", "Koordinierungsstelle", "DO", share, role="coordination")
    try:
        meet(a, b, k)
        with pytest.raises(Refused):  # only the coordination vault countersigns
            countersign(a.vault, b.fingerprint)
        with pytest.raises(Refused):  # and only what it confirmed itself
            countersign(k.vault, b.fingerprint)
        confirm(a, k)
        confirm(k, b)
        countersign(k.vault, b.fingerprint)
        sync(a)
        seen = _peer(a, b.fingerprint)
        assert seen is not None and (seen.trust, seen.trusted_how) == ("trusted", "coordination")
        # A vault that does not trust the office is not moved by its signature.
        sync(b)
        c = make_office(tmp_path, "CCCC", "Lea Sommer", "K", share)
        sync(c)
        assert _peer(c, b.fingerprint).trust == "unknown"  # type: ignore[union-attr]
        close(c)
    finally:
        close(a, b, k)


def test_card_files_and_the_share_folder_setting(tmp_path: Path) -> None:
    a = make_office(tmp_path, "AAAA", "Katharina Nowak", "DO")
    b = make_office(tmp_path, "BBBB", "Jonas Brandt", "BI")
    try:
        card = tmp_path / "bbbb.lcard"
        export_card_file(b.vault, card)
        with pytest.raises(Refused):  # an existing file is never replaced
            export_card_file(b.vault, card)
        row = import_card_file(a.vault, card)
        assert (row.fingerprint, row.trust, row.holder_name) == (b.fingerprint, "unknown",
                                                                 "Jonas Brandt")
        assert row.fingerprint_display.replace(" ", "").lower() == b.fingerprint
        with pytest.raises(ValidationFailed):  # its own card is no peer
            import_card_file(b.vault, card)
        forged = tmp_path / "forged.lcard"
        data = bytearray(card.read_bytes())
        data[len(data) // 2] ^= 1
        forged.write_bytes(bytes(data))
        with pytest.raises(ValidationFailed):
            import_card_file(a.vault, forged)
        with pytest.raises(ValidationFailed):
            set_share_folder(a.vault, card)  # a file, not a folder
        with pytest.raises(ValidationFailed):
            set_share_folder(a.vault, tmp_path / "nowhere")
        assert status(a.vault).share_folder is None
        share = tmp_path / "share"
        share.mkdir()
        set_share_folder(a.vault, share)
        assert list(share.iterdir()) == []  # the write probe left nothing behind
        assert status(a.vault).share_folder == str(share)
        assert status(a.vault).share_reachable
    finally:
        close(a, b)
