"""SIGKILL during an import at random moments: a bundle is applied whole with its receipt or
not at all, and the next run completes what was left."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.services.directory.write import add_contact
from app.services.sync.write import export_directory, run_sync
from app.vault.store import open_vault
from db.models import BundleReceipt, Contact, Institution
from tests.conftest import PASSPHRASE, ROOT
from tests.support.sync_world import add_place, befriend, close, make_office, sync

pytestmark = pytest.mark.slow

BUNDLES = 6
RANDOM_KILLS = 3
COMMIT_KILLS = 4


def _kill_during_import(folder: Path, rng: random.Random, stop: int | None) -> None:
    """Kill the child at a random moment inside the import, or (``stop``) right after its
    ``stop``-th commit."""
    env = {**os.environ, "LOTSE_PASSPHRASE": PASSPHRASE}
    extra = [] if stop is None else [str(stop)]
    proc = subprocess.Popen([sys.executable, "-m", "tests.support.sync_child", str(folder),
                             *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env,
                            text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready", proc.stderr.read() if proc.stderr else ""
    wanted = f"progress {rng.randrange(BUNDLES)}" if stop is None else f"commit {stop}"
    for line in proc.stdout:
        if line.strip() in (wanted, "done"):
            break
    if stop is None:
        time.sleep(rng.uniform(0, 0.05))  # somewhere inside that bundle's transaction (or after)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)


def _state(folder: Path) -> tuple[int, dict[str, int]]:
    """Receipts, and contacts per institution, as the killed vault holds them."""
    vault = open_vault(folder, PASSPHRASE)
    try:
        with vault.read_session() as s:
            receipts = s.execute(select(func.count()).select_from(BundleReceipt)).scalar_one()
            per_place = dict(s.execute(
                select(Institution.uuid, func.count(Contact.id))
                .outerjoin(Contact, Contact.institution_id == Institution.id)
                .group_by(Institution.uuid)).tuples().all())
    finally:
        vault.lock()
    return receipts, per_place


def test_sigkill_never_leaves_a_half_applied_bundle(tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    a = make_office(tmp_path, "AAAA", "Katharina Nowak", "DO", share)
    b = make_office(tmp_path, "BBBB", "Jonas Brandt", "BI", share)
    befriend(a, b)
    places = []
    for n in range(BUNDLES):  # one bundle per institution with its two contacts
        place = add_place(b, f"Beratungsstelle {n}")
        add_contact(b.vault, place, f"Kontakt {n}a")
        add_contact(b.vault, place, f"Kontakt {n}b")
        assert export_directory(b.vault) is not None
        places.append(place)
    sync(b)
    pristine = a.folder
    close(a, b)
    rng = random.Random(12)
    partial = 0
    # Each kill on a fresh copy of the vault: at random moments, and right after the commits
    # (the first ones are the card exchange, then one per bundle).
    stops: list[int | None] = [None] * RANDOM_KILLS + rng.sample(range(2, BUNDLES + 3),
                                                                  COMMIT_KILLS)
    for round_, stop in enumerate(stops):
        folder = tmp_path / f"round{round_}"
        shutil.copytree(pristine, folder)
        _kill_during_import(folder, rng, stop)
        receipts, per_place = _state(folder)
        assert set(per_place) <= set(places)
        assert all(count == 2 for count in per_place.values()), per_place  # whole or nothing
        assert receipts == len(per_place)  # a receipt exactly for each applied bundle
        partial += 0 < receipts < BUNDLES
    assert partial  # the kills did land in the middle of the import
    vault = open_vault(folder, PASSPHRASE)  # the next run completes what was left
    try:
        run_sync(vault)
    finally:
        vault.lock()
    receipts, per_place = _state(folder)
    assert receipts == BUNDLES and sorted(per_place) == sorted(places)
    assert set(per_place.values()) == {2}
