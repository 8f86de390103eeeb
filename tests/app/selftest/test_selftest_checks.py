"""The self-test's checks without Qt, each once holding and once broken (real store, real files,
a real read-only mount for the share)."""

from __future__ import annotations

import errno
import tempfile
from pathlib import Path

import pytest

from app.errors import Refused
from app.printing import render_certificate
from app.selftest import document, qr, vault
from app.selftest.report import exit_code, reason_of, report_lines, run_all, run_check
from app.selftest.share import NOT_SET, check_share
from db import engine
from tests.support.disk_faults import read_only


@pytest.fixture
def temp_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The self-test's temp folders go here, so a test sees what it leaves behind."""
    root = tmp_path / "temp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def test_the_vault_check_finds_the_umlaut_name_by_folded_queries_and_leaves_nothing(
        temp_root: Path) -> None:
    detail = vault.check_vault()
    assert "reopened at head" in detail and "'muller', 'sahin'" in detail
    assert list(temp_root.iterdir()) == []


def test_the_vault_check_fails_when_the_index_is_not_folded(
        temp_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(engine.SQL_FUNCTIONS, "lotse_fold", lambda text: text or "")
    outcome = run_check("vault", vault.check_vault)
    assert not outcome.ok
    assert outcome.detail == "VaultCheckFailed: the test case was not found by 'muller'"
    assert list(temp_root.iterdir()) == []  # removed on failure too


def test_the_vault_check_fails_when_the_store_is_not_at_head(
        temp_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vault.schema, "HEAD_REVISION", "9999")
    outcome = run_check("vault", vault.check_vault)
    assert not outcome.ok and "expected 9999" in outcome.detail


def test_the_pdfa_check_reads_back_a_pdfa_certificate_and_refuses_plain_pdf() -> None:
    assert document.check_pdfa(document.render_sample()).startswith("PDF/A-2b certificate, 1 page")
    plain = render_certificate(document.sample_certificate(), pdfa=False)
    with pytest.raises(document.DocumentCheckFailed, match="no PDF/A output intent"):
        document.check_pdfa(plain)


def test_the_qr_check_round_trips_and_fails_when_the_drawn_code_says_something_else(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert "text read back" in qr.check_qr()
    real = qr.qr_matrix
    monkeypatch.setattr(qr, "qr_matrix", lambda text: real(text + "X"))
    outcome = run_check("qr", qr.check_qr)
    assert not outcome.ok and "none matching" in outcome.detail


def test_no_share_is_reported_not_failed() -> None:
    assert run_check("share", lambda: check_share(None)).ok
    assert check_share(None) == NOT_SET


def test_a_writable_share_takes_the_probe_and_keeps_nothing(tmp_path: Path) -> None:
    assert check_share(tmp_path).startswith("writable")
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_share_fails_without_naming_its_path(tmp_path: Path) -> None:
    share = tmp_path / "Freigabe-Yildiz"
    share.mkdir()
    with read_only(share):
        outcome = run_check("share", lambda: check_share(share))
    assert not outcome.ok
    assert outcome.detail in ("OSError: Read-only file system",
                              "PermissionError: Permission denied")
    assert "Yildiz" not in outcome.detail
    assert list(share.iterdir()) == []


def test_a_missing_share_fails(tmp_path: Path) -> None:
    outcome = run_check("share", lambda: check_share(tmp_path / "gone"))
    assert not outcome.ok and "not reachable" in outcome.detail


def test_the_report_has_a_line_per_check_and_exit_code_1_when_one_failed() -> None:
    def broken() -> str:
        raise OSError(errno.EACCES, "Permission denied", "/home/ayse.yildiz/share")

    outcomes = run_all([("one", lambda: "fine"), ("two", broken)])
    lines = report_lines(outcomes, 1.234)
    assert lines == ["Lotse self-test",
                     "ok     one  fine",
                     "FAILED two  PermissionError: Permission denied",
                     "total 1.23 s: 1 of 2 checks FAILED"]
    assert exit_code(outcomes) == 1
    assert exit_code(outcomes[:1]) == 0
    assert exit_code([]) == 1  # nothing checked holds nothing


def test_reasons_are_one_short_line_and_domain_errors_say_their_english_detail() -> None:
    assert reason_of(Refused("Nein.", "vault is locked")) == "vault is locked"
    long = reason_of(ValueError("x\n" * 200))
    assert "\n" not in long and len(long) <= 160 and long.endswith("…")
