"""The passphrase rule: an estimated 10¹² guesses or more, the same in create_vault,
change_passphrase, the Einstellungen service and the CLI; only the demo vault skips it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.clock import FixedClock
from app.errors import ValidationFailed, WrongPassphrase
from app.passphrase_generator import ENTROPY_BITS, WORDS, generate_passphrase, word_list
from app.passphrase_policy import WeakPassphrase, assess, strength_hint
from app.paths import DEMO_PASSPHRASE
from app.services.account import write as account
from app.session import DesktopSession
from app.vault.create import create_vault
from app.vault.kdf import KdfParams
from app.vault.passwd import change_passphrase
from app.vault.store import KEY_NAME, Vault, open_vault
from tests.conftest import PASSPHRASE, file_hashes, run_cli

WEAK = [
    "aaaaaaaa",  # accepted before: eight times the same letter
    "        ",  # eight spaces
    "Passwort123!",
    "qwertz123456",
    "ich liebe dich",
    "ich bin der die",  # only counted as words once the spaces are taken out
    "der die das und oder",  # the most common words: ranked by hand, not by corpus band
    "Schmetterling Kindergarten",  # two German words: random letters to zxcvbn's English lists
    "Lotse Fallkonferenz Dortmund 2026",
]
# Every passphrase the test suite creates vaults with or changes to.
SUITE = [PASSPHRASE, "Kaffee am Nordmarkt um acht", "Neue Passphrase fuer den Winter 2026",
         "ein ganz neuer Satz 2026", "zweite Passphrase fuer den Test",
         "nach der Sicherung Lavendel Seilbahn", "Zwischenschritt Wanderdüne Kompass",
         "zweiter Schrank Holunder Brise 42", "anderer Schrank Kiesel Laterne 123"]


@pytest.mark.parametrize("weak", WEAK)
def test_create_vault_refuses_a_weak_passphrase_and_writes_nothing(tmp_path: Path,
                                                                   clock: FixedClock,
                                                                   weak: str) -> None:
    folder = tmp_path / "v"
    with pytest.raises(WeakPassphrase) as info:
        create_vault(folder, weak, owner_name="Jana Kowalczyk", municipality="DO",
                     kdf=KdfParams.minimum(), clock=clock)
    err = info.value
    assert isinstance(err, ValidationFailed) and err.field == "new" and err.exit_code == 1
    assert "zu leicht zu erraten" in err.message_de and "10¹²" in err.message_de
    assert "Sicherung kopiert" in err.message_de  # says why, in German
    assert "10^12" in err.detail_en
    assert weak not in err.message_de + err.detail_en  # never echoed
    assert not folder.exists()


@pytest.mark.parametrize("strong", SUITE)
def test_the_suites_passphrases_meet_the_rule(strong: str) -> None:
    old = [] if strong == PASSPHRASE else [PASSPHRASE]  # most are changed to from PASSPHRASE
    assert assess(strong, ["Test Fallmanagerin", "DO", "T3ST", *old]).ok


def test_the_owners_own_details_count_against_the_passphrase(tmp_path: Path,
                                                             clock: FixedClock) -> None:
    details = "Jana Kowalczyk Moers K7QX"
    assert assess(details).ok  # a stranger's name and a random code look strong
    with pytest.raises(WeakPassphrase) as info:
        create_vault(tmp_path / "v", details, owner_name="Jana Kowalczyk", municipality="MO",
                     vault_code="K7QX", kdf=KdfParams.minimum(), clock=clock)
    assert "Ihren Namen" in info.value.message_de


def test_passwd_refuses_a_weak_or_barely_changed_passphrase_and_keeps_the_old(
        vault: Vault, vault_dir: Path, clock: FixedClock) -> None:
    vault.lock()
    before = file_hashes(vault_dir)
    for new in ("aaaaaaaa", PASSPHRASE + " 2", "T3ST Heftklammer"):
        with pytest.raises(WeakPassphrase):
            change_passphrase(vault_dir, PASSPHRASE, new, kdf=KdfParams.minimum(), clock=clock)
    assert file_hashes(vault_dir) == before
    open_vault(vault_dir, PASSPHRASE, clock).lock()


def test_einstellungen_refuse_a_weak_passphrase_before_any_work(vault: Vault,
                                                               vault_dir: Path) -> None:
    steps: list[tuple[int, int]] = []
    key_before = (vault_dir / KEY_NAME).read_bytes()
    with pytest.raises(ValidationFailed) as info:
        account.change_passphrase(vault, PASSPHRASE, "Test Fallmanagerin Dortmund",
                                  "Test Fallmanagerin Dortmund",
                                  progress=lambda d, t: steps.append((d, t)))
    assert info.value.field == "new" and "zu leicht" in info.value.message_de
    assert steps == []  # refused at once: no progress bar, no KDF tuning
    assert (vault_dir / KEY_NAME).read_bytes() == key_before


def test_the_demo_vault_keeps_its_published_passphrase(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.session.DEMO_CASES", 3)
    assert not assess(DEMO_PASSPHRASE).ok  # the rule would refuse it: the demo skips it
    session = DesktopSession(tmp_path / "demo", demo_passphrase=DEMO_PASSPHRASE)
    vault = session.unlock(DEMO_PASSPHRASE)
    assert vault.info.owner_name == "Demo Fallmanagerin"
    session.lock()


def test_generated_passphrases_are_five_listed_words_and_meet_the_rule() -> None:
    words = set(word_list())
    assert len(words) == 7776 and all(re.fullmatch("[a-z]+", w) for w in words)
    assert round(ENTROPY_BITS, 1) == 64.6
    drawn = [generate_passphrase(["Test Fallmanagerin", "DO", "T3ST"]) for _ in range(20)]
    assert len(set(drawn)) == 20
    for phrase in drawn:
        parts = phrase.split(" ")
        assert len(parts) == WORDS and set(parts) <= words
        assert assess(phrase).ok


def test_the_live_hint_says_how_long_a_copied_backup_holds() -> None:
    assert strength_hint("") == ""
    weak = strength_hint("ich liebe dich")
    assert weak.startswith("Noch zu leicht zu erraten") and "Passphrase vorschlagen" in weak
    assert strength_hint(PASSPHRASE).startswith("Stark genug")
    assert "Jahre" in strength_hint(PASSPHRASE)


def test_cli_init_and_passwd_apply_the_rule(tmp_path: Path) -> None:
    folder = tmp_path / "v"
    res = run_cli("init", "--owner-name", "Jana K", "--vault-code", "K7QX", vault=folder,
                  passphrase="aaaaaaaa")
    assert res.returncode == 1 and "passphrase too weak" in res.stderr
    assert "10^12" in res.stderr and "Traceback" not in res.stderr
    assert not folder.exists()

    res = run_cli("init", "--owner-name", "Jana K", "--vault-code", "K7QX", vault=folder)
    assert res.returncode == 0, res.stderr
    before = file_hashes(folder)
    res = run_cli("passwd", vault=folder, env={"LOTSE_NEW_PASSPHRASE": "Passwort123!"})
    assert res.returncode == 1 and "passphrase too weak" in res.stderr
    assert file_hashes(folder) == before


def test_cli_generates_a_passphrase_prints_it_once_and_uses_it(tmp_path: Path,
                                                               clock: FixedClock) -> None:
    folder = tmp_path / "v"
    res = run_cli("init", "--owner-name", "Jana K", "--generate-passphrase", vault=folder,
                  passphrase=None)
    assert res.returncode == 0, res.stderr
    first = _printed(res.stdout)
    open_vault(folder, first, clock).lock()

    res = run_cli("init", "--owner-name", "Jana K", "--generate-passphrase",
                  vault=tmp_path / "w")  # and one given
    assert res.returncode == 1 and "exclude each other" in res.stderr

    res = run_cli("passwd", "--generate-passphrase", vault=folder, passphrase=first)
    assert res.returncode == 0, res.stderr
    second = _printed(res.stdout)
    assert second != first
    with pytest.raises(WrongPassphrase):
        open_vault(folder, first, clock)
    open_vault(folder, second, clock).lock()


def _printed(stdout: str) -> str:
    lines = [line for line in stdout.splitlines() if line.startswith("generated passphrase")]
    assert len(lines) == 1, stdout  # shown once
    phrase = lines[0].split(": ", 1)[1]
    assert len(phrase.split(" ")) == WORDS
    return phrase
