"""Hostile arguments get a clear usage error (exit 1) from the parser or the search service;
SQLCipher's own log lines never reach stderr; a reader that stops reading ends the CLI
quietly with 141, as a shell tool ends on SIGPIPE."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from app import audit
from app.errors import ValidationFailed
from app.services.cases.read import search_rows
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.search.read import search_journal, search_names
from app.vault.store import Vault
from tests.conftest import PASSPHRASE, ROOT, run_cli


@pytest.fixture
def one_case(vault: Vault, vault_dir: Path) -> Path:
    create_case(vault, NewCase(given_names="Mariam", family_name="Haidari", municipality="DO"))
    vault.lock()
    return vault_dir


@pytest.mark.parametrize(("args", "message"), [
    (("cases", "--limit", "-1"), "argument --limit: must be a whole number from 1 to 100,000"),
    (("cases", "--limit", "0"), "argument --limit: must be a whole number from 1 to 100,000"),
    (("cases", "--limit", str(10**30)), "argument --limit: must be a whole number from 1 to"),
    (("search", "x", "--limit", "-1"), "argument --limit: must be a whole number from 1 to 1,000"),
    (("audit", "--limit", "-5"), "argument --limit: must be a whole number from 1 to 100,000"),
    (("demo", "--cases", "-5"), "argument --cases: must be a whole number from 1 to 1,000,000"),
    (("--wait", "-1", "cases"), "argument --wait: must be a whole number from 0 to 3,600"),
    (("case", "show", str(10**30)), "argument ref: a case id is a whole number from 1 to "
                                    "9,223,372,036,854,775,807"),
    (("case", "show", "0"), "argument ref: a case id is a whole number from 1 to"),
    (("case", "show", "²"), "argument ref: a case id is a whole number from 1 to"),
    (("case", "show", "x" * 65), "argument ref: a case id, case number or uuid has 1 to 64"),
])
def test_hostile_arguments_are_usage_errors(one_case: Path, args: tuple[str, ...],
                                            message: str) -> None:
    res = run_cli(*args, vault=one_case)
    assert res.returncode == 1, res.stderr
    assert message in res.stderr
    assert "Traceback" not in res.stderr and res.stdout == ""


def test_a_case_id_beyond_sqlite_is_not_found_in_the_service(vault: Vault) -> None:
    from app.errors import NotFound
    from app.services.cases.read import get_case

    for ref in (str(10**30), 10**30, "١٢", "0"):
        with pytest.raises(NotFound):
            get_case(vault, ref)


def test_search_length_and_terms_are_capped(one_case: Path) -> None:
    at_cap = run_cli("search", " ".join(["haidari"] * 12), "--json", vault=one_case)
    assert at_cap.returncode == 0, at_cap.stderr
    assert [h["family_name"] for h in json.loads(at_cap.stdout)["cases"]] == ["Haidari"]
    for text, detail in ((" ".join(["ab"] * 13), "(got 38 characters, 13 terms)"),
                         ("a" * 201, "(got 201 characters)"),
                         (" ".join(["ab"] * 43_000), "(got 128999 characters)")):
        res = run_cli("search", text, vault=one_case)
        assert res.returncode == 1, res.stderr
        assert res.stderr.strip() == ("error: search too long: at most 200 characters and 12 "
                                      f"terms {detail}")


def test_the_desktop_search_gets_the_same_rule_in_german(vault: Vault) -> None:
    thirteen = " ".join(["ab"] * 13)
    for search in (lambda: search_rows(vault, thirteen, 50),
                   lambda: search_names(vault, thirteen), lambda: search_journal(vault, thirteen)):
        with pytest.raises(ValidationFailed) as caught:
            search()
        assert caught.value.message_de == ("Die Suche ist zu lang. Bitte suchen Sie mit "
                                           "höchstens 12 Wörtern und 200 Zeichen.")


def test_sqlcipher_log_lines_stay_off_stderr(one_case: Path) -> None:
    store = one_case / "lotse.db"
    data = bytearray(store.read_bytes())
    data[4096 * 40 + 100] ^= 0xFF  # one page no longer authenticates
    store.write_bytes(bytes(data))
    res = run_cli("check", vault=one_case)
    assert res.returncode == 3 and "page authentication failed" in res.stdout
    assert "ERROR" not in res.stderr and "sqlite3Codec" not in res.stderr, res.stderr


def test_output_into_a_closed_pipe_ends_quietly_with_141(vault: Vault, vault_dir: Path) -> None:
    with vault.session() as s:  # more JSON than a pipe buffers, so the writer meets the close
        for _ in range(1500):
            audit.record(s, audit.Kind.RECORD_READ, "vault", vault.info.vault_uuid)
    vault.lock()
    lotse = shlex.join([sys.executable, "-m", "app", "--vault", str(vault_dir), "audit",
                        "--json", "--limit", "2000"])
    res = subprocess.run(["bash", "-c", f'{lotse} | head -1; echo "status ${{PIPESTATUS[0]}}"'],
                         capture_output=True, text=True, cwd=ROOT, timeout=120,
                         env={"LOTSE_PASSPHRASE": PASSPHRASE, "PATH": "/usr/bin:/bin"})
    assert res.stdout.splitlines() == ["[", "status 141"]
    assert res.stderr == ""
