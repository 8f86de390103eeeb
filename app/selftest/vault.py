"""A throw-away vault: created, locked, opened again at schema head, and searched.

This goes through SQLCipher (keyed store), the migrations, the FTS5 name index that triggers fill
through the ``lotse_fold`` SQL function, and the folded query: "muller" and "sahin" must find
"Şahin Müller-Lüdenscheidt". The vault lives in a private temp folder that is removed afterwards;
its passphrase is random and never shown, its KDF at the policy minimum so the check is quick.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
from pathlib import Path

from app import catalogues
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.search.read import search_names
from app.vault.create import create_vault
from app.vault.kdf import KdfParams
from app.vault.store import Vault, open_vault
from db import schema

GIVEN, FAMILY = "Şahin", "Müller-Lüdenscheidt"  # made up: folding must meet ş, ü and the hyphen
QUERIES = ("muller", "sahin", "lüdensch")


class VaultCheckFailed(Exception):
    pass


def check_vault() -> str:
    folder = Path(tempfile.mkdtemp(prefix="lotse-selftest-"))  # 0700: only this user
    try:
        return _exercise(folder / "vault")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _exercise(folder: Path) -> str:
    passphrase = secrets.token_urlsafe(32)
    municipality = catalogues.municipalities()[0].code
    vault = create_vault(folder, passphrase, owner_name="Selbsttest", municipality=municipality,
                         kdf=KdfParams.minimum())
    try:
        case_id = create_case(vault, NewCase(given_names=GIVEN, family_name=FAMILY,
                                             municipality=municipality))
    finally:
        vault.lock()
    vault = open_vault(folder, passphrase)
    try:
        revision = _revision(vault)
        if revision != schema.HEAD_REVISION:
            raise VaultCheckFailed(f"store at schema {revision}, expected {schema.HEAD_REVISION}")
        for query in QUERIES:
            if case_id not in [hit.case_id for hit in search_names(vault, query)]:
                raise VaultCheckFailed(f"the test case was not found by {query!r}")
    finally:
        vault.lock()
    # Creation ran every migration from an empty store; the reopen checked it stays at head.
    return (f"created (migrated to {revision}), locked, reopened at head; "
            f"found by {', '.join(repr(q) for q in QUERIES)}")


def _revision(vault: Vault) -> str | None:
    with vault.engine.connect() as connection:
        return schema.current_revision(connection)
