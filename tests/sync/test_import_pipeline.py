"""The import pipeline: waiting for trust, rejected after distrust, idempotent re-imports, the
outbox while the share is gone."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.bundle.reader import open_bundle
from app.bundle.records import WAITING_REASONS, Recipient
from app.bundle.writer import seal_bundle
from app.errors import NotFound, ValidationFailed
from app.services.devices.write import distrust, export_card_file, import_card_file
from app.services.sync.read import inbox, status
from app.services.sync.write import (
    discard,
    export_directory,
    import_file,
    run_sync,
    set_share_folder,
)
from app.share.layout import BUNDLE_SUFFIX, ShareLayout
from app.sync.keys import own_keys, sender_lookup
from app.sync.outbox import enqueue
from db.models import AuditLog, BundleReceipt, InboxBundle, OutboxBundle, PeerDevice
from tests.support.sync_world import (
    Office,
    add_place,
    close,
    colleagues,
    confirm,
    institution,
    make_office,
    meet,
    sync,
)


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Office, Office, Path]]:
    with colleagues(tmp_path, introduce=meet) as (share, (a, b)):
        yield a, b, share


def _count(office: Office, model: type) -> int:
    with office.vault.read_session() as s:
        return int(s.execute(select(func.count()).select_from(model)).scalar_one())


def test_enqueue_refuses_an_untrusted_recipient(pair: tuple[Office, Office, Path]) -> None:
    a, b, _ = pair
    with pytest.raises(ValidationFailed) as caught, a.vault.session() as s:
        enqueue(s, a.vault, "directory", [b.fingerprint])
    assert "vertrauenswürdig" in caught.value.message_de
    assert _count(a, OutboxBundle) == 0


def test_untrusted_sender_waits_then_applies_after_trust(
        pair: tuple[Office, Office, Path]) -> None:
    a, b, _ = pair
    confirm(b, a)  # B trusts A and writes for it; A does not know B's fingerprint yet
    place = add_place(b, "Jobcenter Bielefeld")
    assert export_directory(b.vault) is not None
    sent = sync(b)
    assert len(sent.sent) == 1
    report = sync(a)
    assert [o.reason for o in report.waiting] == ["sender_untrusted"]
    assert report.waiting[0].message_de == WAITING_REASONS["sender_untrusted"]
    assert report.waiting[0].sender_fingerprint == b.fingerprint
    assert institution(a, place) is None
    listed = inbox(a.vault)
    assert [(r.state, r.reason, r.kind) for r in listed] == [
        ("waiting", "sender_untrusted", "directory")]
    assert status(a.vault).waiting == 1
    again = sync(a)  # the same file is not judged again
    assert again.waiting == [] and again.applied == []
    confirm(a, b)
    report = sync(a)
    assert [o.kind for o in report.applied] == ["directory"] and report.applied[0].rows == 1
    row = institution(a, place)
    assert row is not None and row.name == "Jobcenter Bielefeld"
    assert inbox(a.vault) == [] and status(a.vault).waiting == 0
    assert sync(a).applied == []  # applied once, the file on the share is passed over


def test_distrusted_sender_is_rejected(pair: tuple[Office, Office, Path]) -> None:
    a, b, _ = pair
    confirm(b, a)
    place = add_place(b, "Ausländerbehörde Bielefeld")
    export_directory(b.vault)
    sync(b)
    distrust(a.vault, b.fingerprint)
    report = sync(a)
    assert [o.reason for o in report.rejected] == ["sender_distrusted"]
    assert institution(a, place) is None
    with a.vault.read_session() as s:
        stored = s.execute(select(InboxBundle)).scalar_one()
        rejected = s.execute(select(AuditLog.detail).where(
            AuditLog.kind == "bundle.rejected")).scalar_one()
    assert stored.state == "rejected" and stored.data is None
    assert rejected["reason"] == "sender_distrusted" and "Ausländer" not in str(rejected)
    assert status(a.vault).rejected == 1

    # Seen and understood: taken off the Eingang; the log keeps why, the file stays passed over.
    discard(a.vault, stored.id)
    assert inbox(a.vault) == [] and status(a.vault).rejected == 0
    with a.vault.read_session() as s:
        gone = s.execute(select(AuditLog.detail).where(
            AuditLog.kind == "bundle.discarded")).scalar_one()
    assert gone["reason"] == "sender_distrusted"
    with pytest.raises(NotFound):
        discard(a.vault, stored.id)
    confirm(a, b)
    report = sync(a)
    assert report.applied == report.rejected == [] and institution(a, place) is None


def test_waiting_bundle_is_rejected_once_its_sender_is_distrusted(
        pair: tuple[Office, Office, Path]) -> None:
    a, b, _ = pair
    confirm(b, a)
    add_place(b, "Caritas Bielefeld")
    export_directory(b.vault)
    sync(b)
    assert len(sync(a).waiting) == 1
    distrust(a.vault, b.fingerprint)
    report = sync(a)
    assert [o.reason for o in report.rejected] == ["sender_distrusted"]
    assert [r.state for r in inbox(a.vault)] == ["rejected"]


def test_same_bundle_twice_and_under_a_new_name_is_a_no_op(
        pair: tuple[Office, Office, Path], tmp_path: Path) -> None:
    a, b, share = pair
    confirm(a, b)
    confirm(b, a)
    place = add_place(b, "Diakonie Bielefeld")
    export_directory(b.vault)
    sync(b)
    [sent] = (ShareLayout(share).inbox_of(a.fingerprint)).iterdir()
    copy = tmp_path / "copy.lbundle"
    shutil.copy(sent, copy)
    assert len(sync(a).applied) == 1
    receipts = _count(a, BundleReceipt)
    report = import_file(a.vault, copy)  # the same bytes by hand
    assert [o.reason for o in report.skipped] == ["duplicate"] and report.applied == []
    renamed = sent.parent / ("r" * 24 + BUNDLE_SUFFIX)  # replay under another name
    shutil.copy(sent, renamed)
    sent.unlink()
    report = sync(a)
    assert report.applied == [] and report.rejected == []
    # The same bundle sealed anew (other bytes, same bundle uuid), e.g. written again by a
    # sender whose outbox lost track: skipped, its new hash remembered.
    with a.vault.session() as s:
        opened = open_bundle(renamed.read_bytes(), own_keys(s, a.vault), sender_lookup(s))
    with b.vault.session() as s:
        resealed = seal_bundle(opened.content, own_keys(s, b.vault),
                               [Recipient(a.fingerprint, _agreement_key(s, a.fingerprint))])
    again = tmp_path / "again.lbundle"
    again.write_bytes(resealed)
    report = import_file(a.vault, again)
    assert [o.reason for o in report.skipped] == ["duplicate"]
    assert report.applied == [] and report.rejected == []
    remembered = inbox(a.vault, states=("discarded",))
    assert [(r.reason, r.kind) for r in remembered] == [("duplicate", "directory")]
    assert [o.reason for o in import_file(a.vault, again).skipped] == ["duplicate"]
    assert _count(a, BundleReceipt) == receipts
    row = institution(a, place)
    assert row is not None and row.name == "Diakonie Bielefeld"


def _agreement_key(s: Session, fingerprint: str) -> bytes:
    return s.execute(select(PeerDevice.agreement_public).where(
        PeerDevice.fingerprint == fingerprint)).scalar_one()


def test_share_gone_keeps_the_bundle_in_the_outbox(pair: tuple[Office, Office, Path]) -> None:
    a, b, share = pair
    confirm(a, b)
    confirm(b, a)
    place = add_place(b, "Stadtteilbüro Mitte")
    export_directory(b.vault)
    away = share.parent / "share-away"
    share.rename(away)  # the laptop left the office network
    report = sync(b)
    assert not report.share_reachable and report.sent == []
    assert not share.exists()  # nothing was written into a local stand-in for the share
    with b.vault.read_session() as s:
        row = s.execute(select(OutboxBundle)).scalar_one()
    assert row.data is not None and row.attempts >= 1 and row.last_error == "share_unavailable"
    assert status(b.vault).outbox == 1
    away.rename(share)
    blocked = ShareLayout(share).inbox_of(a.fingerprint)
    blocked.parent.mkdir(parents=True)
    blocked.write_bytes(b"")  # the share is back but A's folder cannot be written
    report = sync(b)
    assert not report.share_reachable and report.sent == []
    with b.vault.read_session() as s:
        row = s.execute(select(OutboxBundle)).scalar_one()
    assert row.data is not None and row.attempts >= 2 and row.file_names == {}
    blocked.unlink()
    report = sync(b)
    assert report.share_reachable and len(report.sent) == 1
    with b.vault.read_session() as s:
        row = s.execute(select(OutboxBundle)).scalar_one()
    assert row.data is None and row.sent_at is not None and a.fingerprint in row.file_names
    assert status(b.vault).outbox == 0
    assert len(sync(a).applied) == 1 and institution(a, place) is not None
    sync(b)  # A acknowledged: B removes its file from the share and forgets the sent bundle
    assert list(ShareLayout(share).inbox_of(a.fingerprint).iterdir()) == []
    assert _count(b, OutboxBundle) == 0


def test_cancel_stops_between_bundles_and_the_next_run_goes_on(
        pair: tuple[Office, Office, Path]) -> None:
    a, b, _ = pair
    confirm(a, b)
    confirm(b, a)
    for name in ("Beratungsstelle Nord", "Beratungsstelle Süd"):
        add_place(b, name)
        assert export_directory(b.vault) is not None
    sync(b)
    seen: list[tuple[int, int]] = []
    report = run_sync(a.vault, progress=lambda done, total, _line: seen.append((done, total)),
                      cancel=lambda: len(seen) >= 1)
    assert report.cancelled and len(report.applied) == 1 and seen == [(0, 2)]
    assert _count(a, BundleReceipt) == 1
    report = sync(a)
    assert not report.cancelled and len(report.applied) == 1
    assert _count(a, BundleReceipt) == 2


def test_a_discarded_waiting_bundle_is_never_applied(pair: tuple[Office, Office, Path]) -> None:
    a, b, _ = pair
    confirm(b, a)
    place = add_place(b, "Migrationsberatung Bielefeld")
    export_directory(b.vault)
    sync(b)
    sync(a)
    [waiting] = inbox(a.vault)
    discard(a.vault, waiting.id)
    assert inbox(a.vault) == []
    assert [r.state for r in inbox(a.vault, states=("discarded",))] == ["discarded"]
    with pytest.raises(NotFound):  # only a bundle still in the Eingang can be discarded
        discard(a.vault, waiting.id)
    confirm(a, b)
    report = sync(a)
    assert report.applied == [] and institution(a, place) is None


def test_a_bundle_from_an_unknown_sender_waits_for_its_card(tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    a = make_office(tmp_path, "AAAA", "Katharina Nowak", "DO")  # no share yet
    b = make_office(tmp_path, "BBBB", "Jonas Brandt", "BI", share)
    try:
        card = tmp_path / "a.lcard"
        export_card_file(a.vault, card)  # handed over on a stick
        import_card_file(b.vault, card)
        confirm(b, a)
        add_place(b, "Integrationsagentur Bielefeld")
        export_directory(b.vault)
        sync(b)  # B's card and bundle are on the share now
        [sent] = ShareLayout(share).inbox_of(a.fingerprint).iterdir()
        report = import_file(a.vault, sent)
        assert [o.reason for o in report.waiting] == ["sender_unknown"]
        set_share_folder(a.vault, share)
        sync(a)  # B's card arrives: the bundle now waits for its confirmation
        assert [r.reason for r in inbox(a.vault)] == ["sender_untrusted"]
        confirm(a, b)
        assert len(sync(a).applied) == 1
    finally:
        close(a, b)


def test_a_sync_run_sweeps_its_own_stale_partials_only(
        pair: tuple[Office, Office, Path]) -> None:
    """A laptop killed mid-write leaves a partial behind: its next run removes it once it is an
    hour old; a fresh one (maybe being written now) and another vault's stay."""
    a, b, share = pair
    folder = share / "to" / ("f" * 32)
    folder.mkdir(parents=True)
    own_tag, other_tag = a.vault.info.vault_uuid, b.vault.info.vault_uuid
    stale = folder / f"{'1' * 32}-{own_tag}.partial"
    fresh = folder / f"{'2' * 32}-{own_tag}.partial"
    others = folder / f"{'3' * 32}-{other_tag}.partial"
    for path in (stale, fresh, others):
        path.write_bytes(b"half a bundle")
    two_hours_ago = time.time() - 7200
    for path in (stale, others):
        os.utime(path, (two_hours_ago, two_hours_ago))
    run_sync(a.vault)
    assert not stale.exists()
    assert fresh.exists() and others.exists()
