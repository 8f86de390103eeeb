"""Vaults that exchange bundles through a temp folder as the share (tests of issue 12)."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from app import catalogues
from app.clock import FixedClock
from app.services.devices.read import own_device
from app.services.devices.write import trust
from app.services.directory.records import NewInstitution
from app.services.directory.write import add_institution
from app.services.sync.records import SyncReport
from app.services.sync.write import run_sync, set_share_folder
from app.vault.create import create_vault
from app.vault.kdf import KdfParams
from app.vault.store import Vault, open_vault
from db.models import Institution, VaultMeta
from tests.conftest import PASSPHRASE


@dataclass
class Office:
    vault: Vault
    folder: Path
    clock: FixedClock
    fingerprint: str


START = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
# One vault per (code, owner, municipality, role) is made per test session and copied for each
# test: making a vault (schema migrations, KDF) costs seconds, copying and unlocking a fraction.
# Copies of one template share its vault uuid, but no test uses two copies of the same template;
# each copy makes its own bundle keys on first use.
_TEMPLATES: dict[tuple[str, str, str, str | None], Path] = {}


def _template(code: str, owner: str, municipality: str, role: str | None) -> Path:
    key = (code, owner, municipality, role)
    if key not in _TEMPLATES:
        base = Path(tempfile.mkdtemp(prefix="lotse-sync-template-"))
        atexit.register(shutil.rmtree, base, True)
        folder = base / code
        vault = create_vault(folder, PASSPHRASE, owner_name=owner, municipality=municipality,
                             vault_code=code, kdf=KdfParams.minimum(), clock=FixedClock(START))
        if role is not None:
            with vault.session() as s:
                s.add(VaultMeta(key="vault_role", value=role))
        vault.lock()
        _TEMPLATES[key] = folder
    return _TEMPLATES[key]


def make_office(root: Path, code: str, owner: str, municipality: str = "DO",
                share: Path | None = None, role: str | None = None) -> Office:
    folder = root / code
    shutil.copytree(_template(code, owner, municipality, role), folder)
    clock = FixedClock(START)
    vault = open_vault(folder, PASSPHRASE, clock)
    if share is not None:
        set_share_folder(vault, share)
    return Office(vault, folder, clock, own_device(vault).fingerprint)


def sync(office: Office) -> SyncReport:
    return run_sync(office.vault)


def meet(*offices: Office) -> None:
    """Every office publishes its card, then reads the others' (cards arrive untrusted)."""
    for o in offices:
        sync(o)
    for o in offices:
        sync(o)


def confirm(office: Office, other: Office) -> None:
    """``office`` trusts ``other`` after comparing the whole fingerprint."""
    trust(office.vault, other.fingerprint)


def befriend(*offices: Office) -> None:
    meet(*offices)
    for a in offices:
        for b in offices:
            if a is not b:
                confirm(a, b)


def institution_kind() -> str:
    return catalogues.institution_kinds()[0].code


def add_place(office: Office, name: str, **extra: str | None) -> str:
    return add_institution(office.vault, NewInstitution(name=name, kind=institution_kind(),
                                                        **extra))  # type: ignore[arg-type]


def institution(office: Office, uuid: str) -> Institution | None:
    with office.vault.read_session() as s:
        return s.execute(select(Institution).where(Institution.uuid == uuid)).scalar()


def close(*offices: Office) -> None:
    for o in offices:
        o.vault.lock()


# The colleagues most tests need: two case managers in Dortmund and Bielefeld, and a third in Köln.
COLLEAGUES = (("AAAA", "Katharina Nowak", "DO"), ("BBBB", "Jonas Brandt", "BI"),
              ("CCCC", "Lea Sommer", "K"))


@contextmanager
def colleagues(root: Path, count: int = 2, *,
               introduce: Callable[..., None] | None = None) -> Iterator[tuple[Path, list[Office]]]:
    """``count`` casework offices on one temp share (``root``/share), locked afterwards;
    ``introduce`` (``meet`` or ``befriend``) runs first if given."""
    share = root / "share"
    share.mkdir()
    offices = [make_office(root, code, owner, town, share)
               for code, owner, town in COLLEAGUES[:count]]
    try:
        if introduce is not None:
            introduce(*offices)
        yield share, offices
    finally:
        close(*offices)
