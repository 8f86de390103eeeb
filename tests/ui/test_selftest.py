"""``lotse --self-test`` as a whole: in-process and as ``python -m ui.entry --self-test``
offscreen, passing here, and failing (exit 1, the check named FAILED) when one part is broken."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from app.selftest import vault
from app.selftest.report import Outcome
from db import engine
from tests.conftest import ROOT
from tests.support.disk_faults import read_only
from ui import entry, selftest, selftest_checks

CHECKS = ["vault", "fonts", "translations", "pdfa", "qtpdf", "qr", "share"]


@pytest.fixture(autouse=True)
def temp_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    root = tmp_path / "temp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    yield root
    assert list(root.iterdir()) == []  # the throw-away vault is gone, whatever happened


@pytest.fixture(autouse=True)
def _test_process_stays_dumpable(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process runs leave this pytest process as it was (the subprocess runs harden it)."""
    monkeypatch.setattr(selftest, "harden_process", lambda: None)


def _states(out: str) -> dict[str, str]:
    """check name -> "ok"/"FAILED", from the report's check lines."""
    lines = out.strip().splitlines()
    assert lines[0] == "Lotse self-test"
    return {line.split()[1]: line.split()[0] for line in lines[1:-1]}


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = entry.main(["--self-test", *args])
    return code, capsys.readouterr().out


def test_everything_holds_here(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    code, out = _run(capsys, "--share", str(share))
    assert _states(out) == dict.fromkeys(CHECKS, "ok"), out
    assert code == 0
    assert out.strip().splitlines()[-1].endswith("s: all checks passed")
    assert "ok     share         writable" in out
    assert list(share.iterdir()) == []


def test_without_a_share_it_says_not_set(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(capsys)
    assert code == 0 and "ok     share         not set" in out


def test_a_missing_font_resource_fails_the_fonts_check(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # As a frozen build that did not bundle resources/fonts would look them up.
    monkeypatch.setattr(selftest_checks, "resource_files",
                        lambda package: files("resources") / "no-such-folder")
    code, out = _run(capsys)
    assert code == 1
    assert _states(out) == {**dict.fromkeys(CHECKS, "ok"), "fonts": "FAILED"}, out
    assert "FAILED fonts" in out
    assert "DejaVuSans.ttf not found in resources.fonts: No such file or directory" in out


def test_missing_german_translations_fail_that_check(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selftest_checks, "TRANSLATIONS", "qtbase_xx")
    code, out = _run(capsys)
    assert code == 1 and _states(out)["translations"] == "FAILED"
    assert "qtbase_xx.qm not found" in out


def test_a_broken_document_fails_pdfa_and_qtpdf(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selftest, "render_sample", lambda: b"%PDF-1.7\nnot really\n")
    code, out = _run(capsys)
    states = _states(out)
    assert code == 1 and states["pdfa"] == "FAILED" and states["qtpdf"] == "FAILED", out
    assert "QPdfDocument: InvalidFileFormat" in out
    assert states["vault"] == states["qr"] == "ok"


def test_qtpdf_counts_the_pages() -> None:
    from app.selftest.document import render_sample

    with pytest.raises(selftest_checks.QtCheckFailed, match="sees 1 pages, expected 2"):
        selftest_checks.check_qtpdf(render_sample, 2)


def test_an_unfolded_search_index_fails_the_vault_check(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(engine.SQL_FUNCTIONS, "lotse_fold", lambda text: text or "")
    code, out = _run(capsys)
    assert code == 1 and _states(out) == {**dict.fromkeys(CHECKS, "ok"), "vault": "FAILED"}
    assert "not found by 'muller'" in out


def test_the_passphrase_of_the_test_vault_is_never_printed(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []
    real = vault.secrets.token_urlsafe

    def remembered(n: int) -> str:
        made.append(real(n))
        return made[-1]

    monkeypatch.setattr(vault.secrets, "token_urlsafe", remembered)
    code = entry.main(["--self-test"])
    captured = capsys.readouterr()
    assert code == 0 and len(made) == 1
    assert made[0] not in captured.out + captured.err


def test_a_usage_error_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert selftest.run(["--self-test", "--demo"]) == 1
    assert "unrecognized arguments: --demo" in capsys.readouterr().err


def test_the_dialog_speaks_german_and_never_opens_offscreen(qtbot: object) -> None:
    outcomes = [Outcome("vault", True, "created", 1.0), Outcome("share", True, "not set", 0.0),
                Outcome("qtpdf", False, "QPdfDocument: InvalidFileFormat", 0.1)]
    box = selftest.message_box(outcomes, ["Lotse self-test", "FAILED qtpdf …"])
    assert box.text() == "1 von 3 Prüfungen fehlgeschlagen."
    assert box.icon() == QMessageBox.Icon.Critical
    assert box.informativeText().splitlines() == [
        "Tresor anlegen, sperren, öffnen und durchsuchen: in Ordnung",
        "Austauschordner beschreibbar: nicht eingerichtet",
        "PDF-Anzeige (QtPdf): FEHLGESCHLAGEN"]
    assert "FAILED qtpdf" in box.detailedText()
    box.deleteLater()
    assert not selftest.wants_dialog()  # QT_QPA_PLATFORM=offscreen (tests/conftest.py)


def test_self_test_is_a_gui_path_and_other_flags_stay_with_the_cli() -> None:
    assert entry._wants_gui(["--self-test"])
    assert entry._wants_gui(["--self-test", "--share", "S:\\Lotse"])
    assert entry._wants_gui(["--share=S:\\Lotse", "--self-test"])
    assert not entry._wants_gui(["cases", "--self-test"])


def test_lotse_help_names_the_self_test() -> None:
    result = subprocess.run([sys.executable, "-m", "ui.entry", "--help"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "  --self-test [--share DIR]  check the installed program" in result.stdout


def _subprocess(temp_root: Path, *args: str,
                timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
    env.update(QT_QPA_PLATFORM="offscreen", TMPDIR=str(temp_root))
    return subprocess.run([sys.executable, "-m", "ui.entry", "--self-test", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def test_as_a_program_it_passes_quickly_and_prints_the_report(tmp_path: Path,
                                                              temp_root: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    result = _subprocess(temp_root, "--share", str(share))
    assert result.returncode == 0, result.stdout + result.stderr
    assert _states(result.stdout) == dict.fromkeys(CHECKS, "ok")
    total = float(result.stdout.strip().splitlines()[-1].split()[1])
    assert total < 15  # ~2 s here; generous for a shared machine
    assert result.stderr == ""


def test_as_a_program_a_read_only_share_exits_1(tmp_path: Path, temp_root: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    with read_only(share):
        result = _subprocess(temp_root, "--share", str(share))
    assert result.returncode == 1, result.stdout + result.stderr
    states = _states(result.stdout)
    assert states == {**dict.fromkeys(CHECKS, "ok"), "share": "FAILED"}
    assert str(share) not in result.stdout


def test_the_dialog_of_the_program_has_german_buttons(temp_root: Path) -> None:
    """In the program's own application object Qt's texts are German too: the dialog's
    "Details" button said "Show Details..." before the self-test used the desktop's app."""
    script = ("from ui.selftest import _application, message_box\n"
              "_application()\n"
              "box = message_box([], ['report'])\n"
              "print([b.text() for b in box.buttons()])\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(temp_root)}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert "Details einblenden..." in result.stdout
    assert "Show Details" not in result.stdout
