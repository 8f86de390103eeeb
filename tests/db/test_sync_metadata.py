"""The per-field stamps tell a merge from a conflict; a single row counter could not."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.clock import FixedClock
from app.services.cases.records import NewCase
from app.services.cases.write import create_case, update_person
from app.vault.create import create_vault
from app.vault.kdf import KdfParams
from app.vault.store import Vault
from db.models import Person
from db.sync import classify_field, content_columns, field_stamp


def _row(vault: Vault, person_id: int) -> Person:
    with vault.session() as s:
        return s.execute(select(Person).where(Person.id == person_id)).scalar_one()


def test_edits_of_two_offline_replicas_merge_or_conflict_per_field(
        vault: Vault, tmp_path: Path, clock: FixedClock) -> None:
    cid = create_case(vault, NewCase("Hevin", "Xelîl", "DO"))
    base = _row(vault, cid)
    other = create_vault(tmp_path / "b", "zweiter Schrank Holunder Brise 42", owner_name="B",
                         municipality="DO", kdf=KdfParams.minimum(), clock=clock)
    b_uuid = other.info.vault_uuid
    # Vault A edits the phone twice (v1 -> v3), vault B (same start) edits the email once.
    update_person(vault, cid, phone="0231 111")
    update_person(vault, cid, phone="0231 222")
    a = _row(vault, cid)
    b_vector = {**base.version_vector, b_uuid: 1}
    b_stamps = {"email": (b_uuid, 1)}

    def b_stamp(field: str) -> tuple[str, int]:
        return b_stamps.get(field, field_stamp(base, field))

    decisions = {f: classify_field(a.version_vector, field_stamp(a, f), b_vector, b_stamp(f))
                 for f in content_columns(a)}
    assert decisions["email"] == "take"  # only B changed it: merged in
    assert decisions["phone"] == "keep"  # only A changed it: A's value stays
    assert {d for f, d in decisions.items() if f not in {"email", "phone"}} == {"keep"}
    # Now B also changed the phone without seeing A's edits: a visible conflict, not a loss,
    # although A's row counter (3) is higher than B's (2).
    b_vector = {**base.version_vector, b_uuid: 2}
    b_stamps["phone"] = (b_uuid, 2)
    assert classify_field(a.version_vector, field_stamp(a, "phone"), b_vector,
                          b_stamp("phone")) == "conflict"
    # And A receiving a later B edit made after B had seen A's phone: B's value supersedes.
    b_vector = {**a.version_vector, b_uuid: 3}
    assert classify_field(a.version_vector, field_stamp(a, "phone"), b_vector,
                          (b_uuid, 3)) == "take"
    other.lock()
