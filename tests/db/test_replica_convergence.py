"""Property: three real vaults editing, deleting and exchanging rows in any order, repeatedly,
end with identical rows once every image has reached every vault and the conflicts are
decided; before that, rows differ only where an open conflict says so."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import permutations
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.conflicts.write import resolve
from app.vault.store import Vault
from db.models import CaseFile, JournalEntry, Person
from db.models.sync_state import SyncConflict
from db.replica import apply_images, images_of
from db.row_image import RowImage
from tests.support.replica import SENT_AT, exchange, make_vault, snapshot

CHILDREN = ("journal_entry", "task", "phase_transition")
CASE_FIELDS = ("indication", "client_feedback")
ENTRY_FIELDS = ("text", "place")
VALUES = ("x", "y")


@pytest.fixture(scope="module")
def trio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Vault]]:
    folder = tmp_path_factory.mktemp("convergence")
    vaults = [make_vault(folder / code, code, f"Owner {code}") for code in ("AAAA", "BBBB", "CCCC")]
    for src, dst in permutations(vaults, 2):  # everybody knows every owner (authors)
        exchange(src, dst)
    yield vaults
    for v in vaults:
        v.lock()


def _rows(vault: Vault, case_uuid: str) -> set[tuple[str, str]]:
    """(table, uuid) of the case, its client and its children on this vault."""
    with vault.session() as s:
        case = s.execute(select(CaseFile).where(CaseFile.uuid == case_uuid)).scalar()
        if case is None:
            return set()
        out = {("case_file", case_uuid),
               ("person", s.get_one(Person, case.person_id).uuid)}
        for name in CHILDREN:
            from db.replica_meta import table_meta
            t = table_meta(name).table
            out.update((name, u) for u in s.execute(select(t.c.uuid).where(
                t.c.case_id == case.id)).scalars())
        return out


Bundle = tuple[Vault, Vault, list[RowImage]]


def _seal(src: Vault, dst: Vault, case_uuid: str) -> Bundle:
    """What a bundle from ``src`` to ``dst`` would carry now."""
    keys = _rows(src, case_uuid)
    with src.session() as s:
        images = [i for name in ("person", "case_file", *CHILDREN)
                  for i in images_of(s, name, [u for t, u in keys if t == name])]
    return src, dst, images


def _send(src: Vault, dst: Vault, case_uuid: str) -> None:
    _deliver(_seal(src, dst, case_uuid))


def _deliver(bundle: Bundle) -> None:
    src, dst, images = bundle
    with dst.session() as s:
        result = apply_images(s, images, remote_vault=src.info.vault_uuid,
                              author=src.info.owner_name, changed_at=SENT_AT)
        assert not result.refused


def _entries(vault: Vault, case_uuid: str) -> list[str]:
    return sorted(u for t, u in _rows(vault, case_uuid) if t == "journal_entry")


def _edit(vault: Vault, model: Any, uuid: str, **values: Any) -> None:
    with vault.session() as s:
        row = s.execute(select(model).where(model.uuid == uuid)).scalar_one()
        if row.deleted:
            return  # the app never writes into a tombstone
        for key, value in values.items():
            setattr(row, key, value)


# Few values and rows, so vaults often touch the same field (equal values included).
edit_case = st.tuples(st.just("case"), st.integers(0, 2), st.sampled_from(CASE_FIELDS),
                      st.sampled_from(VALUES))
edit_entry = st.tuples(st.just("edit"), st.integers(0, 2), st.integers(0, 1),
                       st.sampled_from(ENTRY_FIELDS), st.sampled_from(VALUES))
op = st.one_of(
    edit_case, edit_entry, edit_entry,
    st.tuples(st.just("entry"), st.integers(0, 2), st.integers(0, 3)),
    st.tuples(st.just("delete"), st.integers(0, 2), st.integers(0, 1)),
    st.tuples(st.just("send"), st.integers(0, 2), st.integers(0, 2)),
    # Sealed now, delivered later (in flight while both sides go on), maybe more than once.
    st.tuples(st.just("seal"), st.integers(0, 2), st.integers(0, 2)),
    st.tuples(st.just("deliver"), st.integers(0, 2), st.integers(0, 7)),
)


def _run(vaults: list[Vault], case_uuid: str, step: tuple[Any, ...],
         in_flight: list[Bundle]) -> None:
    kind, who = step[0], vaults[step[1]]
    if kind == "seal" and step[1] != step[2]:
        in_flight.append(_seal(who, vaults[step[2]], case_uuid))
    elif kind == "deliver":
        if in_flight:
            _deliver(in_flight[step[2] % len(in_flight)])
    elif kind == "case":
        _edit(who, CaseFile, case_uuid, **{step[2]: step[3]})
    elif kind == "entry":
        with who.session() as s:
            case = s.execute(select(CaseFile).where(CaseFile.uuid == case_uuid)).scalar_one()
            s.add(JournalEntry(case_id=case.id, occurred_at=datetime(
                2026, 11, 1 + step[2], 9, 0, tzinfo=UTC), contact_kind="office",
                text=f"Eintrag {step[2]}", author_id=case.case_manager_id))
    elif kind in ("edit", "delete"):
        entries = _entries(who, case_uuid)
        if entries:
            uuid = entries[step[2] % len(entries)]
            _edit(who, JournalEntry, uuid,
                  **({step[3]: step[4]} if kind == "edit" else {"deleted": True}))
    elif kind == "send" and step[1] != step[2]:
        _send(who, vaults[step[2]], case_uuid)


def _full_exchange(vaults: list[Vault], case_uuid: str) -> None:
    for _round in range(2):
        for src, dst in permutations(vaults, 2):
            _send(src, dst, case_uuid)


def _open(vault: Vault, keys: set[tuple[str, str]]) -> list[SyncConflict]:
    with vault.session() as s:
        found = list(s.execute(select(SyncConflict).where(
            SyncConflict.resolved_at.is_(None),
            SyncConflict.row_uuid.in_(sorted(u for _t, u in keys)))).scalars())
        s.expunge_all()
        return found


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(op, min_size=2, max_size=10))
# Histories that must always be in the run: the same value written on two sides, a three-way
# conflict, a deletion meeting an edit (either way round), a conflict relayed by a third vault.
@example(steps=[("case", 0, "indication", "x"), ("case", 1, "indication", "x"),
                ("seal", 0, 1), ("seal", 1, 0), ("deliver", 0, 0), ("deliver", 0, 1)])
@example(steps=[("case", 0, "indication", "x"), ("case", 1, "indication", "y"),
                ("case", 2, "indication", "x")])
@example(steps=[("entry", 0, 0), ("send", 0, 1), ("delete", 0, 0), ("edit", 1, 0, "place", "x"),
                ("send", 1, 2)])
@example(steps=[("entry", 1, 0), ("send", 1, 0), ("send", 1, 2), ("edit", 0, 0, "text", "x"),
                ("delete", 2, 0), ("edit", 1, 0, "text", "y"), ("send", 2, 1)])
@example(steps=[("case", 0, "client_feedback", "x"), ("case", 1, "client_feedback", "y"),
                ("send", 1, 0), ("send", 0, 2), ("send", 2, 1)])
def test_three_vaults_converge(trio: list[Vault], steps: list[tuple[Any, ...]]) -> None:
    vaults = trio
    cid = create_case(vaults[0], NewCase("Ayşe", "Öztürk", "DO"))
    with vaults[0].session() as s:
        case_uuid = s.get_one(CaseFile, cid).uuid
    for dst in vaults[1:]:
        _send(vaults[0], dst, case_uuid)
    in_flight: list[Bundle] = []
    for step in steps:
        _run(vaults, case_uuid, step, in_flight)
    for bundle in reversed(in_flight):  # the oldest arrive last
        _deliver(bundle)
    _full_exchange(vaults, case_uuid)

    keys = set().union(*(_rows(v, case_uuid) for v in vaults))
    shots = [snapshot(v, keys) for v in vaults]
    assert all(shot.keys() == keys for shot in shots)
    conflicted = [{(c.row_uuid, c.field) for c in _open(v, keys) if c.kind == "field"}
                  for v in vaults]
    assert conflicted[0] == conflicted[1] == conflicted[2]  # every vault shows the same ones
    for key in keys:
        first = shots[0][key]
        for shot in shots[1:]:
            assert shot[key]["vector"] == first["vector"] and shot[key]["deleted"] == first[
                "deleted"], key
            for name, value in first["values"].items():
                if (key[1], name) not in conflicted[0]:
                    assert shot[key]["values"][name] == value, (key, name)
                    assert shot[key]["stamps"].get(name) == first["stamps"].get(name)

    for _turn in range(4):  # decide on one vault at a time, then exchange
        pending = [(v, c) for v in vaults for c in _open(v, keys)]
        if not pending:
            break
        decider = pending[0][0]
        while still := _open(decider, keys):  # one decision may answer several conflicts
            c = still[0]
            resolve(decider, c.id, "mine" if c.kind == "field" else "theirs"
                    if c.local_value is not None else "mine")
        _full_exchange(vaults, case_uuid)
    assert not any(_open(v, keys) for v in vaults)
    shots = [snapshot(v, keys) for v in vaults]
    assert shots[0] == shots[1] == shots[2]
