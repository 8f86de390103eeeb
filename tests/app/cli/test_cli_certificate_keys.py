"""``lotse keys export`` and ``lotse keys import`` between two real vaults: a card from the
second office makes its certificates verify in the first, after the fingerprint was confirmed;
a wrong or missing confirmation trusts nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.services.keys.read import trusted_keys
from tests.conftest import PASSPHRASE, ROOT, run_cli
from tests.support.certificate_offices import Office, issue, serial_of, verify

# --- keys ----------------------------------------------------------------------------------

def _own_fingerprint(office: Office) -> tuple[str, str]:
    own = next(k for k in trusted_keys(office.vault) if k.own)
    return own.fingerprint, own.fingerprint_display


def test_a_card_from_a_second_vault_makes_its_certificatesverify(
        offices: tuple[Office, Office], tmp_path: Path) -> None:
    first, second = offices
    out = tmp_path / "bielefeld.pdf"
    serial_of(issue(second, second.cases[0], out))
    res = verify(first, str(out))
    assert res.returncode == 2 and "unknown_issuer" in res.stderr
    card = tmp_path / "bielefeld.card"
    res = run_cli("keys", "export", "--out", str(card), vault=second.folder)
    assert res.returncode == 0, res.stderr
    res = run_cli("keys", "export", "--out", str(card), vault=second.folder)
    assert res.returncode == 2  # never over an existing file
    full, display = _own_fingerprint(second)
    # A wrong fingerprint trusts nothing.
    wrong = full[:-1] + ("0" if full[-1] != "0" else "1")
    res = run_cli("keys", "import", str(card), "--fingerprint", wrong, vault=first.folder)
    assert res.returncode != 0
    assert display in res.stdout  # shown for comparison
    assert verify(first, str(out)).returncode == 2
    # Nothing typed (standard input closed): refused.
    res = run_cli("keys", "import", str(card), vault=first.folder)
    assert res.returncode == 2
    assert verify(first, str(out)).returncode == 2
    # Typed back as read out on the phone: the displayed groups, any case.
    typed = subprocess.run(
        [sys.executable, "-m", "app", "--vault", str(first.folder), "keys", "import",
         str(card)], input=display.lower() + "\n", capture_output=True, text=True,
        env=_env(), cwd=ROOT, timeout=120)
    assert typed.returncode == 0, typed.stderr
    assert f"key trusted: {display}" in typed.stdout
    res = verify(first, str(out))
    assert res.returncode == 0, res.stdout + res.stderr


def test_keys_import_with_the_fingerprint_given(offices: tuple[Office, Office],
                                                tmp_path: Path) -> None:
    first, second = offices
    card = tmp_path / "dortmund.card"
    assert run_cli("keys", "export", "--out", str(card), vault=first.folder).returncode == 0
    full, _ = _own_fingerprint(first)
    res = run_cli("keys", "import", str(card), "--fingerprint", full.upper(),
                  vault=second.folder)
    assert res.returncode == 0, res.stderr
    out = tmp_path / "dortmund.pdf"
    serial_of(issue(first, first.cases[2], out))
    assert verify(second, str(out)).returncode == 0


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
    env["LOTSE_PASSPHRASE"] = PASSPHRASE
    return env
