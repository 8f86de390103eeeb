"""Demo clients arrive with an entry date, an accommodation and an ABH file number, and some
live with a partner and children; all of it the same for the same seed."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from app import catalogues
from app.demo.generator import generate_demo
from app.services.household.read import household
from app.vault.create import create_vault
from app.vault.kdf import KdfParams
from app.vault.store import Vault
from db.models import CaseFile, Household, Person, ResidenceStatus
from tests.conftest import PASSPHRASE


def _demo(folder: Path, seed: int) -> Vault:
    vault = create_vault(folder, PASSPHRASE, owner_name="Demo", municipality="DO",
                         vault_code="D3MO", kdf=KdfParams.minimum())
    generate_demo(vault, 80, seed=seed)
    return vault


def _snapshot(vault: Vault) -> list[tuple[object, ...]]:
    with vault.read_session() as s:
        return [tuple(r) for r in s.execute(select(
            Person.given_names, Person.date_of_birth, Person.household_role,
            Person.entered_germany_on, Person.accommodation, Person.abh_file_number)
            .order_by(Person.id))]


def test_demo_households_and_arrival_details(tmp_path: Path) -> None:
    vault = _demo(tmp_path / "a", 7)
    facilities = {f for m in catalogues.municipalities() for f in m.reception_facilities}
    with vault.read_session() as s:
        clients = s.execute(select(Person).join(CaseFile, CaseFile.person_id == Person.id)
                            ).scalars().all()
        assert all(c.entered_germany_on is not None for c in clients)
        assert all(c.date_of_birth < c.entered_germany_on <= vault.clock.today()
                   for c in clients if c.date_of_birth and c.entered_germany_on)
        places = [c.accommodation for c in clients if c.accommodation]
        assert {p for p in places if not p.startswith("Privatwohnung, ")} <= facilities
        assert sum(p in facilities for p in places) >= 5
        assert sum(p.startswith("Privatwohnung, ") for p in places) >= 5
        assert sum(c.abh_file_number is not None for c in clients) >= len(clients) // 2
        households = s.execute(select(func.count()).select_from(Household)).scalar_one()
        with_household = s.execute(select(CaseFile.id).join(Person).where(
            Person.household_id.is_not(None))).scalars().all()
        # Members are people of their own, without a case or a residence status of their own.
        members = s.execute(select(Person).where(Person.household_role.is_not(None))
                            ).scalars().all()
        assert not {m.id for m in members} & set(s.execute(select(CaseFile.person_id)).scalars())
        assert not s.execute(select(ResidenceStatus).where(
            ResidenceStatus.person_id.in_([m.id for m in members]))).first()
    assert 10 <= households == len(with_household) < 80
    relations = {m.relation for cid in with_household for m in household(vault, cid).members}
    assert relations == {"partner", "child"}
    shown = [m for cid in with_household for m in household(vault, cid).members]
    assert all(m.age is not None and m.relation_label in ("Ehepartner:in/Partner:in", "Kind")
               for m in shown)
    assert all(m.age is not None and m.age < 18 for m in shown if m.relation == "child")
    vault.lock()


def test_demo_households_are_the_same_for_the_same_seed(tmp_path: Path) -> None:
    first, second = _demo(tmp_path / "a", 11), _demo(tmp_path / "b", 11)
    assert _snapshot(first) == _snapshot(second)
    first.lock()
    second.lock()
