"""Every kind of bundle, sealed for two and three recipients, opens for each of them exactly."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

import pytest

from app.bundle.header import CHUNK_SIZE, parse_header
from app.bundle.reader import open_bundle
from app.bundle.records import KINDS, BundleRejected
from app.bundle.wrap import parse_stanza, unwrap
from app.bundle.writer import seal_bundle
from tests.app.bundle.world import (
    ALICE,
    BOB,
    CAROL,
    DAVE,
    TRUSTS_ALICE,
    content,
    full_row,
    other_offset,
    split,
    tombstone,
)

BODIES = {
    "deputy": {"case_uuids": ["c0" * 16], "until": date(2027, 1, 15)},
    "transfer": {"case_uuid": "c0" * 16, "note": None},
    "transfer_answer": {"case_uuid": "c0" * 16, "accepted": False},
    "directory": {},
    "steering": {"tables": [["Phase", "Anzahl"], ["Beratung", 12]], "suppressed": 3},
    "catalogue": {"status_kinds": ["offen"], "revocations": b"\x00\x01", "ratio": 1.5},
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("recipients", [(BOB, CAROL), (BOB, CAROL, DAVE)])
def test_every_kind_round_trips_to_each_recipient(kind: str, recipients: tuple) -> None:
    c = content(kind, rows=[full_row(), tombstone(), full_row("c1" * 16, name="Zweite")],
                body=BODIES[kind])
    data = seal_bundle(c, ALICE.own, [r.recipient for r in recipients])
    for r in recipients:
        opened = open_bundle(data, r.own, TRUSTS_ALICE)
        assert opened.content == c
        assert opened.size == len(data)
    with pytest.raises(BundleRejected) as caught:
        open_bundle(data, (DAVE if len(recipients) == 2 else ALICE).own, TRUSTS_ALICE)
    assert caught.value.reason == "wrong_recipient"
    assert (caught.value.kind, caught.value.bundle_uuid) == (kind, c.bundle_uuid)
    assert caught.value.sender_fingerprint == ALICE.fingerprint


def test_values_keep_their_types() -> None:
    row = full_row(seen_at=other_offset(datetime(2026, 5, 1, 12, tzinfo=UTC)))
    data = seal_bundle(content(rows=[row]), ALICE.own, [BOB.recipient])
    got = open_bundle(data, BOB.own, TRUSTS_ALICE).content.rows[0]
    v = got.values
    assert type(v["born"]) is date and v["born"] == date(1990, 2, 28)
    assert v["seen_at"] == datetime(2026, 5, 1, 12, tzinfo=UTC) and v["seen_at"].tzinfo is UTC
    assert type(v["count"]) is int and type(v["flag"]) is bool and v["ratio"] == 0.1
    assert type(v["photo"]) is bytes and v["json"]["steps"][3] == {"deep": [True, 2.5]}
    assert got.field_stamps == {"name": ("a1" * 16, 3), "flag": ("b2" * 16, 1)}
    assert got.deleted is False and tombstone().deleted is True


def test_a_large_payload_spans_many_chunks_and_round_trips() -> None:
    blob = os.urandom(5 * CHUNK_SIZE + 123)  # incompressible: six chunks and a short last one
    c = content("transfer", rows=[full_row(photo=blob)])
    data = seal_bundle(c, ALICE.own, [BOB.recipient, CAROL.recipient])
    assert len(split(data).chunks) == 6
    assert open_bundle(data, CAROL.own, TRUSTS_ALICE).content == c


def test_an_empty_bundle_round_trips_and_the_header_names_it() -> None:
    c = content("directory")
    data = seal_bundle(c, ALICE.own, [BOB.recipient])
    h = parse_header(data)
    assert (h.kind, h.bundle_uuid, h.sender_fingerprint, h.created_at, h.recipient_count) == (
        "directory", c.bundle_uuid, ALICE.fingerprint, c.created_at, 1)
    assert open_bundle(data, BOB.own, TRUSTS_ALICE).content == c


def test_two_seals_of_the_same_content_share_no_key_nonce_or_ciphertext() -> None:
    c = content(rows=[full_row()])
    one, two = (seal_bundle(c, ALICE.own, [BOB.recipient]) for _ in range(2))
    assert split(one).chunks[0] != split(two).chunks[0]
    assert parse_header(one).nonce_prefix != parse_header(two).nonce_prefix
    keys = [unwrap(parse_stanza(split(b).stanzas[0]), BOB.own.agreement_private, b[:96])
            for b in (one, two)]
    assert None not in keys and keys[0] != keys[1]


@pytest.mark.parametrize("bad", [
    {"recipients": []}, {"recipients": "twice"}, {"uuid": "not-hex"},
    {"sender": CAROL}, {"naive": True}, {"value": object()}])
def test_the_writer_refuses_what_cannot_travel(bad: dict) -> None:
    c = content(rows=[full_row()], sender=bad.get("sender", ALICE))
    recipients = [BOB.recipient]
    if "recipients" in bad:
        recipients = [] if bad["recipients"] == [] else [BOB.recipient, BOB.recipient]
    if "uuid" in bad:
        c = content(rows=[full_row()]).__class__(**{**c.__dict__, "bundle_uuid": "not-hex"})
    if "naive" in bad:
        c = c.__class__(**{**c.__dict__, "created_at": datetime(2026, 1, 1)})
    if "value" in bad:
        c = content(rows=[full_row(odd=bad["value"])])
    with pytest.raises(ValueError):
        seal_bundle(c, ALICE.own, recipients)


def test_values_held_in_open_conflicts_travel_with_their_row() -> None:
    """Without them the receiver would take the sender's value silently (db.replica)."""
    row = full_row()
    held = {"name": (("b2" * 16, 4, "Öztürk-Yılmaz"), ("c3" * 16, 2, None)),
            "json": (("b2" * 16, 5, {"steps": [1, {"deep": [True]}]}),)}
    row = type(row)(**{**row.__dict__, "alternatives": held})
    data = seal_bundle(content(rows=[row]), ALICE.own, [BOB.recipient])
    got = open_bundle(data, BOB.own, TRUSTS_ALICE).content.rows[0]
    assert got.alternatives == held
