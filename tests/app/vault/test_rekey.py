"""`lotse rekey`: a new data key, the store re-encrypted, old key files (from backups) no longer
open it; a cancel at any point leaves nothing behind; an interrupted swap is finished or rolled
back at the next unlock, from what is on disk."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from app.backup import backup
from app.clock import FixedClock
from app.demo.generator import generate_demo
from app.errors import Cancelled, IntegrityFailure, Refused
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.vault import rekey as rekey_module
from app.vault import swap, verify
from app.vault.access import hold
from app.vault.keyfile import KeyFile
from app.vault.rekey import NOT_RENEWED_DE, rekey
from app.vault.store import DB_NAME, KEY_NAME, Vault, open_vault
from db.engine import connect_raw
from db.errors import UndecryptableStore
from db.models import AuditLog, Person
from db.vault_lock import VaultLock
from tests.app.cli.test_cli_storage import assert_storage_error, lotse
from tests.conftest import PASSPHRASE, data_key, file_hashes, run_cli
from tests.support.disk_faults import LAYERS, can_mount, small_disk


def events(vault: Vault) -> list[tuple[str, dict[str, object]]]:
    with vault.read_session() as s:
        rows = s.execute(select(AuditLog).order_by(AuditLog.seq)).scalars().all()
        return [(r.kind, dict(r.detail or {})) for r in rows]


def old_key_file_opens(folder: Path, old_key_file: bytes, tmp_path: Path) -> bool:
    """Put an earlier key file beside the current store (as someone with a backup would)."""
    probe = tmp_path / "probe"
    shutil.rmtree(probe, ignore_errors=True)
    probe.mkdir()
    shutil.copyfile(folder / DB_NAME, probe / DB_NAME)
    (probe / KEY_NAME).write_bytes(old_key_file)
    try:
        open_vault(probe, PASSPHRASE).lock()
    except Refused:
        return False
    return True


@pytest.fixture
def seeded(vault: Vault, vault_dir: Path) -> Path:
    create_case(vault, NewCase(given_names="Mariam", family_name="Haidari", municipality="DO"))
    create_case(vault, NewCase(given_names="Łukasz", family_name="Wójcik", municipality="DO"))
    vault.lock()
    return vault_dir


def test_rekey_renews_the_key_and_earlier_key_files_stop_opening(
        seeded: Path, tmp_path: Path, clock: FixedClock) -> None:
    share = tmp_path / "share"
    share.mkdir()
    with open_vault(seeded, PASSPHRASE, clock) as before:
        old_key = data_key(before)
        made = backup(before, share).path
    old_key_file = (seeded / KEY_NAME).read_bytes()
    assert old_key_file_opens(seeded, old_key_file, tmp_path)  # the defect of passwd alone

    res = run_cli("rekey", vault=seeded)

    assert res.returncode == 0, res.stderr
    assert "earlier key files" in res.stdout
    assert sorted(p.name for p in seeded.iterdir()) == [
        "audit.anchor", "lotse.db", "lotse.key", "lotse.lock", "unlock.throttle"
    ]  # no .rekey leftovers
    assert not old_key_file_opens(seeded, old_key_file, tmp_path)
    with pytest.raises(UndecryptableStore):
        connect_raw(seeded / DB_NAME, old_key)
    new_key = KeyFile.load(seeded / KEY_NAME).unwrap(PASSPHRASE)
    conn = connect_raw(seeded / DB_NAME, new_key)  # pinned settings and application_id
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # as every store
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    conn.close()
    check = run_cli("check", vault=seeded)
    assert check.returncode == 0 and "check: ok" in check.stdout, check.stdout
    with open_vault(seeded, PASSPHRASE, clock) as after, after.read_session() as s:
        assert data_key(after) != old_key
        assert after.info.vault_code == "T3ST"
        names = sorted(s.execute(select(Person.family_name)).scalars())
        assert names == ["Haidari", "Wójcik"]
        kinds = [k for k, _ in events(after)]
    assert kinds.count("vault.rekeyed") == 1
    # The backup made before still restores with its own key file and passphrase.
    assert run_cli("restore", str(made), "--vault", str(tmp_path / "r")).returncode == 0
    conn = connect_raw(tmp_path / "r" / DB_NAME, old_key)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # restored as a store
    conn.close()


class CancelAt:
    def __init__(self, n: int) -> None:
        self.n, self.asked = n, 0

    def __call__(self) -> bool:
        self.asked += 1
        return self.asked == self.n


@pytest.mark.slow  # a full rekey per question: over a minute
def test_cancel_at_every_question_leaves_the_vault_as_it_was(
        seeded: Path, tmp_path: Path, clock: FixedClock,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Asked often inside the copy and the page verification, so cancels land there too.
    # 600 VM steps: 36 questions on this store, a third of them between the per-table counts
    # of the verification (400 asked 117 times, mostly there, each a partial rekey).
    monkeypatch.setattr(verify, "PROGRESS_STEPS", 600)
    # A full run on a copy counts the questions (the copy holds the same data).
    twin = tmp_path / "twin"
    shutil.copytree(seeded, twin)
    counter = CancelAt(0)
    renewed = rekey(twin, PASSPHRASE, clock=clock, cancelled=counter).vault
    assert renewed is not None
    renewed.lock()
    questions = counter.asked
    assert questions >= 12  # between the steps, inside the copy and the verification
    before = file_hashes(seeded)

    for n in range(1, questions + 1):
        with pytest.raises(Cancelled) as info:
            rekey(seeded, PASSPHRASE, clock=clock, cancelled=CancelAt(n))
        assert info.value.message_de == NOT_RENEWED_DE
        assert file_hashes(seeded) == before, f"cancel at question {n} changed the vault"
    with open_vault(seeded, PASSPHRASE, clock) as v:
        assert "vault.rekeyed" not in [k for k, _ in events(v)]


def test_a_crash_after_the_commit_point_is_finished_at_the_next_unlock(
        seeded: Path, tmp_path: Path, clock: FixedClock,
        monkeypatch: pytest.MonkeyPatch) -> None:
    old_key_file = (seeded / KEY_NAME).read_bytes()

    def die(_db: Path, _access: VaultLock) -> None:
        raise SystemExit("killed after the key file was replaced")

    monkeypatch.setattr(rekey_module.swap, "install", die)
    with pytest.raises(SystemExit):
        rekey(seeded, PASSPHRASE, clock=clock)
    monkeypatch.undo()
    assert (seeded / "lotse.db.rekey").exists()
    assert (seeded / KEY_NAME).read_bytes() != old_key_file

    with open_vault(seeded, PASSPHRASE, clock) as v:
        renewed = [d for k, d in events(v) if k == "vault.rekeyed"]
    assert len(renewed) == 1 and renewed[0]["late"] is True  # audited at the unlock
    assert not (seeded / "lotse.db.rekey").exists()
    assert not old_key_file_opens(seeded, old_key_file, tmp_path)
    assert run_cli("check", vault=seeded).returncode == 0


def test_the_old_stores_wal_is_never_replayed_onto_the_new_file(
        seeded: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_vault(seeded, PASSPHRASE, clock) as v:  # a WAL of the old store, kept aside
        create_case(v, NewCase(given_names="Amira", family_name="Nasser", municipality="DO"))
        stale_wal = (seeded / "lotse.db-wal").read_bytes()
    assert len(stale_wal) > 4096
    def die(_db: Path, _access: VaultLock) -> None:
        raise SystemExit("killed after the key file was replaced")

    monkeypatch.setattr(rekey_module.swap, "install", die)
    with pytest.raises(SystemExit):
        rekey(seeded, PASSPHRASE, clock=clock)
    monkeypatch.undo()
    (seeded / "lotse.db-wal").write_bytes(stale_wal)  # e.g. written by another process

    alone = hold(seeded, exclusive=True)
    swap.install(seeded / DB_NAME, alone)  # what finishing the swap does
    alone.release()

    with open_vault(seeded, PASSPHRASE, clock) as v, v.session() as s:
        assert len(s.execute(select(Person.family_name)).scalars().all()) == 3
    assert run_cli("check", vault=seeded).returncode == 0


def test_a_crash_before_the_commit_point_is_rolled_back_at_the_next_unlock(
        seeded: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> None:
    old_key_file = (seeded / KEY_NAME).read_bytes()
    db_before = (seeded / DB_NAME).read_bytes()

    def die(*_args: object) -> None:
        raise SystemExit("killed before the key file was replaced")

    monkeypatch.setattr(rekey_module.KeyFile, "save", die)
    monkeypatch.setattr(rekey_module.swap, "discard", lambda _db, _lock: None)  # no cleanup
    with pytest.raises(SystemExit):
        rekey(seeded, PASSPHRASE, clock=clock)
    monkeypatch.undo()
    assert (seeded / "lotse.db.rekey").exists()

    with open_vault(seeded, PASSPHRASE, clock):
        pass
    assert not swap.pending_store(seeded / DB_NAME).exists()
    assert (seeded / KEY_NAME).read_bytes() == old_key_file
    key = KeyFile.from_bytes(old_key_file).unwrap(PASSPHRASE)
    connect_raw(seeded / DB_NAME, key).close()  # still the old key
    assert db_before[:16] == (seeded / DB_NAME).read_bytes()[:16]  # the same file (its salt)


def test_a_copy_that_lost_rows_is_refused_and_nothing_changes(
        seeded: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the verification is for: an export that silently dropped rows never goes live."""
    real_export = rekey_module._export

    def lossy(db_path: Path, old_key: bytes, new_key: bytes, *rest: object) -> None:
        real_export(db_path, old_key, new_key, *rest)  # type: ignore[arg-type]
        conn = connect_raw(swap.pending_store(db_path), new_key)
        conn.execute("PRAGMA query_only = OFF")
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("DELETE FROM person WHERE family_name = 'Wójcik'")
        conn.close()

    monkeypatch.setattr(rekey_module, "_export", lossy)
    before = file_hashes(seeded)
    with pytest.raises(IntegrityFailure) as info:
        rekey(seeded, PASSPHRASE, clock=clock)
    assert "re-encrypted copy differs" in info.value.detail_en and "person" in info.value.detail_en
    assert file_hashes(seeded) == before


def test_rekey_with_a_wrong_passphrase_changes_nothing(seeded: Path, clock: FixedClock) -> None:
    before = {k: v for k, v in file_hashes(seeded).items() if k != "unlock.throttle"}
    res = run_cli("rekey", vault=seeded, passphrase="daneben daneben")
    assert res.returncode == 2 and "wrong passphrase" in res.stderr
    after = {k: v for k, v in file_hashes(seeded).items() if k != "unlock.throttle"}
    assert after == before


def test_help_says_what_passwd_and_rekey_each_protect_against() -> None:
    passwd = run_cli("passwd", "--help", passphrase=None).stdout
    renew = run_cli("rekey", "--help", passphrase=None).stdout
    flat = " ".join(passwd.split()), " ".join(renew.split())
    assert "Does NOT protect against key files copied before" in flat[0]
    assert "lotse rekey" in flat[0]
    assert "Protects against a key file copied earlier" in flat[1]
    assert "old backups still open with their own key file" in flat[1]


@pytest.mark.parametrize("layer", LAYERS)
def test_rekey_on_a_full_disk_exits_4_and_changes_nothing(
        vault: Vault, vault_dir: Path, tmp_path: Path, layer: str) -> None:
    generate_demo(vault, 150, seed=5)  # a store of about 3 MB
    vault.lock()
    size = (vault_dir / DB_NAME).stat().st_size
    # Room for the store but not for its copy; or (RLIMIT_FSIZE) no file beyond a third of it.
    room = size * 3 // 2 if layer == "tmpfs" and can_mount() else size // 3
    with small_disk(tmp_path, room, layer) as disk:
        folder = disk.folder / "v"
        shutil.copytree(vault_dir, folder)
        before = file_hashes(folder)

        res = lotse("rekey", vault=folder, preexec=disk.preexec)

        assert_storage_error(res, disk.layer)
        assert file_hashes(folder) == before  # no copy left, the key file as it was
        check = run_cli("check", vault=folder)
        assert check.returncode == 0 and "check: ok" in check.stdout
