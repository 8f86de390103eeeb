"""A sender learns that a recipient's Lotse refused its bundle (signed notice on the share), the
refused file is cleaned up, and nothing but a notice signed by the trusted recipient of one of
its own bundles is ever recorded."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.bundle.notice import Notice, make_notice
from app.errors import NotFound, Refused
from app.services.cases.read import rows_by_id
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.devices.write import distrust
from app.services.handover.read import grants
from app.services.handover.write import transfer_case
from app.services.sync.read import refused, status
from app.services.sync.write import export_directory, take_note
from app.share.files import ShareUnavailable, write_new
from app.share.layout import BUNDLE_SUFFIX, NOTICE_SUFFIX, ShareLayout
from app.share.notices import write_notice
from app.sync import refusals
from app.sync.keys import own_keys
from db.models import AuditLog, OutboxBundle, SentRefusal
from tests.support.sync_world import Office, add_place, befriend, colleagues, sync


@pytest.fixture
def trio(tmp_path: Path) -> Iterator[tuple[Office, Office, Office, ShareLayout]]:
    with colleagues(tmp_path, 3, introduce=befriend) as (share, (a, b, c)):
        yield a, b, c, ShareLayout(share)


def _files(folder: Path, suffix: str) -> list[Path]:
    return sorted(folder.glob(f"*{suffix}")) if folder.is_dir() else []


def _count(office: Office, model: type) -> int:
    with office.vault.read_session() as s:
        return int(s.execute(select(func.count()).select_from(model)).scalar_one())


def _audit(office: Office, kind: str) -> list[dict[str, object]]:
    with office.vault.read_session() as s:
        return list(s.execute(select(AuditLog.detail).where(AuditLog.kind == kind)).scalars())


def _send_directory(sender: Office) -> str:
    add_place(sender, "Jobcenter Bielefeld")
    bundle_uuid = export_directory(sender.vault)
    assert bundle_uuid is not None
    assert len(sync(sender).sent) == 1
    return bundle_uuid


def test_the_sender_learns_of_a_refusal_and_its_file_is_cleaned_up(
        trio: tuple[Office, Office, Office, ShareLayout]) -> None:
    a, b, c, layout = trio
    _send_directory(b)  # to A and C
    distrust(a.vault, b.fingerprint)  # A no longer takes B's bundles; C still does
    assert [o.reason for o in sync(a).rejected] == ["sender_distrusted"]
    assert len(sync(c).applied) == 1
    notices = _files(layout.acks_of(b.fingerprint), NOTICE_SUFFIX)
    assert len(notices) == 1  # A's word, in B's folder, under a name that says nothing
    assert b"Bielefeld" not in notices[0].read_bytes()

    report = sync(b)
    assert [(o.reason, o.sender_fingerprint, o.kind) for o in report.refused] == [
        ("sender_distrusted", a.fingerprint, "directory")]
    assert "Katharina Nowak" in report.refused[0].message_de
    assert "Vertrauen" in report.refused[0].message_de
    assert status(b.vault).refused == 1
    [row] = refused(b.vault)
    assert (row.recipient_fingerprint, row.reason, row.kind) == (
        a.fingerprint, "sender_distrusted", "directory")
    assert row.recipient == "Katharina Nowak (DO)"
    # Refused by A, applied by C: both files are done, so both are gone and the outbox is empty.
    assert _files(layout.inbox_of(a.fingerprint), BUNDLE_SUFFIX) == []
    assert _files(layout.inbox_of(c.fingerprint), BUNDLE_SUFFIX) == []
    assert _count(b, OutboxBundle) == 0
    assert _files(layout.acks_of(b.fingerprint), NOTICE_SUFFIX) == []
    [logged] = _audit(b, "bundle.refused")
    assert logged["reason"] == "sender_distrusted" and logged["recipient"] == a.fingerprint

    assert sync(b).refused == [] and _count(b, SentRefusal) == 1  # told once
    take_note(b.vault, row.id)
    assert refused(b.vault) == [] and status(b.vault).refused == 0
    assert len(_audit(b, "bundle.refusal_noted")) == 1
    with pytest.raises(NotFound):
        take_note(b.vault, row.id)


def test_a_file_damaged_on_the_share_is_matched_by_its_bundle_uuid(
        trio: tuple[Office, Office, Office, ShareLayout]) -> None:
    a, b, c, layout = trio
    bundle_uuid = _send_directory(b)
    [sent] = _files(layout.inbox_of(a.fingerprint), BUNDLE_SUFFIX)
    data = bytearray(sent.read_bytes())
    data[-100] ^= 0x01  # inside the signed part, past the header: the header still names B
    sent.write_bytes(bytes(data))
    [rejected] = sync(a).rejected
    assert rejected.sender_fingerprint == b.fingerprint
    assert len(sync(c).applied) == 1  # C's copy arrived whole

    report = sync(b)
    assert [(o.reason, o.sender_fingerprint) for o in report.refused] == [
        (rejected.reason, a.fingerprint)]
    with b.vault.read_session() as s:
        assert s.execute(select(SentRefusal.bundle_uuid)).scalar_one() == bundle_uuid
    assert _files(layout.inbox_of(a.fingerprint), BUNDLE_SUFFIX) == []  # the damaged copy too


def _notice(office: Office, *, bundle_uuid: str = "", file_hash: str = "ab" * 32,
            reason: str = "chunk_damaged") -> bytes:
    with office.vault.session() as s:
        keys = own_keys(s, office.vault)
    return make_notice(Notice(bundle_uuid, file_hash, keys.fingerprint, reason,
                              datetime(2026, 12, 6, 8, 0, tzinfo=UTC)), keys)


def test_only_a_trusted_recipients_notice_of_an_own_bundle_is_recorded(
        trio: tuple[Office, Office, Office, ShareLayout]) -> None:
    a, b, c, layout = trio
    bundle_uuid = _send_directory(b)
    distrust(b.vault, c.fingerprint)
    with b.vault.read_session() as s:
        digest = s.execute(select(OutboxBundle.file_hash)).scalar_one()
    assert digest is not None
    folder = layout.acks_of(b.fingerprint)
    forged = bytearray(_notice(a, bundle_uuid=bundle_uuid))
    forged[-1] ^= 0x01
    hostile = {
        "signed by a vault B no longer trusts": _notice(c, bundle_uuid=bundle_uuid),
        "a bundle B never sent": _notice(a, bundle_uuid="0" * 32, file_hash="cd" * 32),
        "a bit flipped in the signature": bytes(forged),
        "not a notice at all": b"\xa1\x00" * 40,
        "far too large": _notice(a, bundle_uuid=bundle_uuid) + b"\0" * 4096,
    }
    for data in hostile.values():  # an attacker writes with anything, past every cap
        write_new(folder, data, NOTICE_SUFFIX, root=layout.root)
    assert len(_files(folder, NOTICE_SUFFIX)) == len(hostile)
    assert sync(b).refused == []
    assert _count(b, SentRefusal) == 0 and _audit(b, "bundle.refused") == []
    assert _files(folder, NOTICE_SUFFIX) == []  # read, judged and removed
    # The real one still counts afterwards, matched by the hash of the file as written, once
    # however often it is there (a recipient writes it again when the share lost the last one).
    for _ in range(2):
        write_notice(layout, b.fingerprint, _notice(a, file_hash=digest))
    assert [o.sender_fingerprint for o in sync(b).refused] == [a.fingerprint]
    assert _count(b, SentRefusal) == 1 and len(_audit(b, "bundle.refused")) == 1
    assert _files(folder, NOTICE_SUFFIX) == []


def test_a_notice_the_share_lost_is_written_on_the_next_run(
        trio: tuple[Office, Office, Office, ShareLayout],
        monkeypatch: pytest.MonkeyPatch) -> None:
    a, b, _, layout = trio
    _send_directory(b)
    distrust(a.vault, b.fingerprint)
    real = refusals.write_notice

    def share_gone(*_args: object, **_kwargs: object) -> Path:
        raise ShareUnavailable(errno.EIO, "the share went away")

    monkeypatch.setattr(refusals, "write_notice", share_gone)
    assert sync(a).share_reachable is False
    assert _files(layout.acks_of(b.fingerprint), NOTICE_SUFFIX) == []
    monkeypatch.setattr(refusals, "write_notice", real)
    report = sync(a)  # the file is judged again (known: rejected), and B is told this time
    assert report.share_reachable and report.rejected == []
    assert len(_files(layout.acks_of(b.fingerprint), NOTICE_SUFFIX)) == 1
    assert [o.sender_fingerprint for o in sync(b).refused] == [a.fingerprint]
    assert sync(a).rejected == [] and _files(layout.acks_of(b.fingerprint), NOTICE_SUFFIX) == []


def test_a_refused_case_transfer_ends_as_declined_and_can_be_offered_again(
        trio: tuple[Office, Office, Office, ShareLayout]) -> None:
    a, b, c, _ = trio
    case_id = create_case(a.vault, NewCase("Milan", "Petrović", "DO"))
    case = rows_by_id(a.vault, [case_id])[0]
    offer = transfer_case(a.vault, case.uuid, b.fingerprint, "Umzug nach Bielefeld")
    sync(a)
    distrust(b.vault, a.fingerprint)
    assert [o.kind for o in sync(b).rejected] == ["transfer"]
    with pytest.raises(Refused):  # still offered: not twice
        transfer_case(a.vault, case.uuid, c.fingerprint)

    assert [o.kind for o in sync(a).refused] == ["transfer"]
    [grant] = grants(a.vault, case_uuid=case.uuid)
    assert (grant.id, grant.state) == (offer.id, "declined")
    [logged] = _audit(a, "case.transfer_declined")
    assert logged["refused"] == "sender_distrusted"
    again = transfer_case(a.vault, case.uuid, c.fingerprint)  # free to hand over elsewhere
    assert again.state == "offered"
    sync(a)
    assert [o.kind for o in sync(c).applied] == ["transfer"]
