"""A passphrase the desktop finds in its environment (LOTSE_PASSPHRASE, meant for the CLI) is
overwritten at start, not kept: neither Python's copy nor the C environment block (what
``/proc/PID/environ`` shows) holds it once the desktop is unlocked."""

from __future__ import annotations

import os
import secrets
import signal
from pathlib import Path

import pytest

from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.vault.create import create_vault
from app.vault.kdf import KdfParams
from tests.support.desktop_process import start_child, wait_for_line
from tests.support.memscan import scan

CONTROL = "vault folder (control)"


def forms(label: str, text: str) -> dict[str, bytes]:
    """Whole copies, and what freed C memory keeps after the allocator's first 16 bytes."""
    return {f"{label} (UTF-8)": text.encode(), f"{label} (UTF-16-LE)": text.encode("utf-16-le"),
            f"{label} after its 16th character": text[16:].encode()}


def scanned(folder: Path, case_id: int, passphrase: str, tmp_path: Path,
            needles: dict[str, bytes], env: dict[str, str]) -> tuple[list[str], bytes]:
    """The unlocked desktop child's hits (the control excluded) and its /proc/PID/environ."""
    proc = start_child("env", folder, case_id, passphrase, tmp_path, env=env)
    try:
        line = wait_for_line(proc)
        assert line == "ready", proc.stderr.read() if proc.stderr else line
        os.kill(proc.pid, signal.SIGSTOP)  # nothing moves while we read
        hits, total = scan(proc.pid, {**needles, CONTROL: str(folder).encode()})
        with open(f"/proc/{proc.pid}/environ", "rb") as fh:
            environ = fh.read()
    finally:
        proc.kill()
        proc.wait()
    assert total > 50 << 20, "the scan must have read the process's memory"
    assert any(h.needle == CONTROL for h in hits), "the scanner must find what is there"
    return [str(h) for h in hits if h.needle != CONTROL], environ


def new_vault(tmp_path: Path, passphrase: str) -> tuple[Path, int]:
    folder = tmp_path / "vault"
    vault = create_vault(folder, passphrase, owner_name="Test Fallmanagerin",
                         municipality="DO", vault_code="T3ST", kdf=KdfParams.minimum())
    case_id = create_case(vault, NewCase("Ayşe", "Öztürk", "DO"))
    vault.lock()
    return folder, case_id


@pytest.mark.slow
def test_the_desktop_keeps_no_passphrase_from_the_environment(tmp_path: Path) -> None:
    passphrase = f"Leuchtturm Nebelhorn {secrets.token_hex(10)}"
    folder, case_id = new_vault(tmp_path, passphrase)
    given = {"LOTSE_PASSPHRASE": f"Umgebung Alpha {secrets.token_hex(10)}",
             "LOTSE_NEW_PASSPHRASE": f"Umgebung Beta {secrets.token_hex(10)}"}
    needles = {k: v for name, value in given.items() for k, v in forms(name, value).items()}
    found, environ = scanned(folder, case_id, passphrase, tmp_path, needles, given)
    assert found == [], "\n".join(found)
    for value in given.values():  # what `ps e` or /proc/PID/environ would show
        assert value.encode() not in environ
