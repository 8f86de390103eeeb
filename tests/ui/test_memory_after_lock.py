"""After a lock, a desktop process holds neither the passphrase nor the data key anywhere in its
memory: what someone who reads the process (a debugger, a memory dump, a core file) would find.
And the unlock field gives the passphrase up without leaving Qt's text buffer behind."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.vault.create import create_vault
from app.vault.kdf import KdfParams
from app.vault.keyfile import KeyFile
from app.vault.store import KEY_NAME
from tests.conftest import ROOT
from tests.support.desktop_process import child_env, start_child, wait_for_line
from tests.support.memscan import scan


def needles(passphrase: str, key: bytes) -> dict[str, bytes]:
    """Whole copies, and copies in freed C memory, whose first 16 bytes the allocator reuses
    for its own bookkeeping: so also everything after the 8th character (16th byte)."""
    return {
        "passphrase (UTF-8)": passphrase.encode(),
        "passphrase (UTF-16-LE)": passphrase.encode("utf-16-le"),
        "passphrase after its 8th character (UTF-8)": passphrase[8:].encode(),
        "passphrase after its 8th character (UTF-16-LE)": passphrase[8:].encode("utf-16-le"),
        "data key (raw)": key,
        "data key after its 16th byte (raw)": key[16:],
        "data key (hex)": key.hex().encode(),
        "data key after its 16th hex digit": key.hex()[16:].encode(),
        "data key (HEX)": key.hex().upper().encode(),
        "data key (hex, UTF-16-LE)": key.hex().encode("utf-16-le"),
    }


@pytest.mark.slow
def test_a_locked_desktop_process_holds_neither_passphrase_nor_key(tmp_path: Path) -> None:
    # Random, so no match can come from source code, a library or an earlier run.
    passphrase = f"Leuchtturm Nebelhorn {secrets.token_hex(10)}"
    folder = tmp_path / "vault"
    vault = create_vault(folder, passphrase, owner_name="Test Fallmanagerin",
                         municipality="DO", vault_code="T3ST", kdf=KdfParams.minimum())
    case_id = create_case(vault, NewCase("Ayşe", "Öztürk", "DO"))
    vault.lock()
    key = bytes(KeyFile.load(folder / KEY_NAME).unwrap(passphrase))

    proc = start_child("lock", folder, case_id, passphrase, tmp_path)
    try:
        line = wait_for_line(proc)
        assert line == "locked", proc.stderr.read() if proc.stderr else line
        os.kill(proc.pid, signal.SIGSTOP)  # nothing moves while we read
        control = {"vault folder (control)": str(folder).encode()}
        hits, total = scan(proc.pid, {**needles(passphrase, key), **control})
    finally:
        proc.kill()
        proc.wait()
    assert total > 50 << 20, "the scan must have read the process's memory"
    assert any(h.needle == "vault folder (control)" for h in hits), "the scanner must find " \
        "what is there (the vault folder named on the command line)"
    found = [str(h) for h in hits if h.needle != "vault folder (control)"]
    assert found == [], "\n".join(found)


def test_the_unlock_field_leaves_no_copy_of_the_passphrase(tmp_path: Path) -> None:
    """Qt frees the field's text buffer unwiped on clear(); the page deletes the passphrase
    from the end instead, which overwrites the buffer character by character."""
    passphrase = f"Leuchtturm Nebelhorn {secrets.token_hex(10)}"
    proc = subprocess.Popen([sys.executable, "-m", "tests.support.unlock_field_child"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, cwd=ROOT,
                            env=child_env(tmp_path))
    try:
        assert proc.stdin is not None
        proc.stdin.write(passphrase + "\n")
        proc.stdin.close()
        assert wait_for_line(proc) == "ready"
        os.kill(proc.pid, signal.SIGSTOP)
        hits, total = scan(proc.pid, {k: v for k, v in needles(passphrase, b"-" * 32).items()
                                      if k.startswith("passphrase")})
    finally:
        proc.kill()
        proc.wait()
    assert total > 10 << 20
    assert [str(h) for h in hits] == []
