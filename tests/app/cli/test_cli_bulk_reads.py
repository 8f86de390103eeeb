"""``lotse cases`` lists every case, streamed page by page, ``--limit`` says what it left out, and
each listing or search leaves exactly one summary event in the audit log (never the query)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from app.cli.commands_case import LIST_PAGE
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.journal.records import NewJournalEntry
from app.services.journal.write import add_journal_entry
from app.vault.store import Vault
from db.models import AuditLog, CaseManager
from tests.conftest import PASSPHRASE, ROOT, run_cli
from tests.support.row_filler import fill_cases

CASES = 2_600  # five full pages and a part


@pytest.fixture
def many(vault: Vault, vault_dir: Path) -> Path:
    with vault.session() as s:
        owner = s.execute(select(CaseManager.id)).scalars().first()
        assert owner is not None
        fill_cases(s.connection(), vault.info.vault_uuid, CASES, owner)
    return vault_dir


def events_after(vault: Vault, seq: int) -> list[tuple[str, dict[str, Any]]]:
    """Every event since ``seq`` but the unlock each command starts with."""
    with vault.read_session() as s:
        return [(row.kind, row.detail) for row in s.execute(
            select(AuditLog).where(AuditLog.seq > seq, AuditLog.kind != "vault.unlocked")
            .order_by(AuditLog.seq)).scalars()]


def last_seq(vault: Vault) -> int:
    with vault.read_session() as s:
        return int(s.execute(select(AuditLog.seq).order_by(AuditLog.seq.desc())).scalar() or 0)


def test_cases_lists_all_by_default_and_audits_one_summary(vault: Vault, many: Path) -> None:
    seq = last_seq(vault)
    res = run_cli("cases", vault=many)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert len(lines) == CASES  # not the first 100
    numbers = [line.split()[1] for line in lines]
    assert len(set(numbers)) == CASES  # no page repeated
    assert lines[0].split()[2] == "Nachname000000," and "Nachname002599," in lines[-1]
    assert "not listed" not in res.stderr
    assert events_after(vault, seq) == [
        ("cases.listed", {"cases": CASES, "left_out": 0, "filters": []})]


def test_limit_says_on_stderr_how_many_were_left_out(vault: Vault, many: Path) -> None:
    seq = last_seq(vault)
    res = run_cli("cases", "--limit", "700", "--phase", "intake", vault=many)
    assert res.returncode == 0, res.stderr
    assert len(res.stdout.splitlines()) == 700
    assert res.stderr.strip().endswith("1,900 more matching cases not listed (--limit 700)")
    assert events_after(vault, seq) == [
        ("cases.listed", {"cases": 700, "left_out": 1_900, "filters": ["phase"]})]
    exact = run_cli("cases", "--limit", str(CASES), vault=many)
    assert len(exact.stdout.splitlines()) == CASES and "not listed" not in exact.stderr


def test_json_is_streamed_as_one_array_and_audited_as_an_export(vault: Vault, many: Path
                                                                ) -> None:
    seq = last_seq(vault)
    whole = run_cli("cases", "--json", vault=many)
    assert whole.returncode == 0, whole.stderr
    listed = json.loads(whole.stdout)
    assert len(listed) == CASES and listed[0]["family_name"] == "Nachname000000"
    # The same bytes as the whole list dumped at once, as before streaming.
    assert whole.stdout == json.dumps(listed, ensure_ascii=False, indent=2) + "\n"
    few = run_cli("cases", "--json", "--limit", "3", vault=many)
    assert json.loads(few.stdout) == listed[:3]
    none = run_cli("cases", "--json", "--phase", "closed", vault=many)
    assert none.stdout == "[]\n"
    assert events_after(vault, seq) == [
        ("cases.exported", {"cases": CASES, "left_out": 0, "filters": [], "format": "json"}),
        ("cases.exported", {"cases": 3, "left_out": CASES - 3, "filters": [], "format": "json"}),
        ("cases.exported", {"cases": 0, "left_out": 0, "filters": ["phase"], "format": "json"})]


def test_cases_are_printed_a_page_at_a_time(many: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
    env["LOTSE_PASSPHRASE"] = PASSPHRASE
    res = subprocess.run([sys.executable, "-m", "tests.support.cases_stream_child", "--vault",
                          str(many), "cases"], capture_output=True, text=True, env=env, cwd=ROOT,
                         timeout=120, stdin=subprocess.DEVNULL)
    report = json.loads(res.stdout)
    assert report["code"] == 0 and report["lines"] == CASES, res.stderr
    # Never more than one page of the 2,600 cases in memory while printing.
    assert 0 < report["most_rows_held"] <= LIST_PAGE


def test_search_audits_counts_never_the_query(vault: Vault, vault_dir: Path) -> None:
    cid = create_case(vault, NewCase("Leyla", "Haidari", "DO"))
    add_journal_entry(vault, cid, NewJournalEntry(
        "office", "Wohnungsbesichtigung vereinbart", datetime(2026, 11, 20, 10, tzinfo=UTC)))
    seq = last_seq(vault)
    names = run_cli("search", "Haidari", vault=vault_dir)
    journal = run_cli("search", "wohnungsbesichtigung", "--json", vault=vault_dir)
    assert names.returncode == 0 and journal.returncode == 0, names.stderr + journal.stderr
    assert "Haidari" in names.stdout
    assert json.loads(journal.stdout)["journal"][0]["case_id"] == cid
    assert events_after(vault, seq) == [
        ("search.run", {"cases": 1, "journal_entries": 0, "filters": []}),
        ("search.exported", {"cases": 0, "journal_entries": 1, "filters": [],
                             "format": "json"})]
    with vault.read_session() as s:
        dumped = "\n".join(repr(tuple(row)) for row in s.execute(text("SELECT * FROM audit_log")))
    for word in ("haidari", "wohnung", "leyla"):
        assert word not in dumped.lower()


def test_a_listing_cut_short_by_its_reader_is_audited_with_what_went_out(vault: Vault,
                                                                        many: Path) -> None:
    seq = last_seq(vault)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
    env["LOTSE_PASSPHRASE"] = PASSPHRASE
    # `lotse cases | head -1`: the reader goes away after one line of 2,600 (about 250 KB,
    # far beyond what a pipe buffers), so the listing breaks off midway.
    with subprocess.Popen([sys.executable, "-m", "app", "--vault", str(many), "cases"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT,
                          stdin=subprocess.DEVNULL) as child:
        assert child.stdout is not None and child.stderr is not None
        assert child.stdout.readline()
        child.stdout.close()
        err = child.stderr.read()
        assert child.wait(timeout=120) == 141, err
    [(kind, detail)] = events_after(vault, seq)
    assert kind == "cases.listed" and set(detail) == {"cases", "filters"}
    assert 0 < detail["cases"] < CASES
