"""Einstellungen beside a second Lotse process: a key renewal is refused while the vault is open
there (and the desktop keeps working on it), and a passphrase change that got past its commit
point while the other process writes is reported as done, with the note that its audit entry
follows at the next unlock."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.faults import OPEN_ELSEWHERE_DE
from app.services.cases.read import get_case
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.vault.store import KEY_NAME, open_vault
from db.models import AuditLog
from tests.app.cli.test_cli_busy import Holder
from tests.conftest import PASSPHRASE, data_key
from tests.db.test_vault_lock import Child
from tests.ui.settings.settings_helpers import WAIT, settings_page
from tests.ui.settings.test_settings_rekey import start_renewal
from ui.context import AppContext

NEW = "Neue Passphrase fuer den Winter 2026"
NOTE = ("Der Eintrag im Protokoll folgt beim nächsten Entsperren (der Tresor war gerade von "
        "einem anderen Lotse-Programm belegt).")


def test_renewal_is_refused_while_another_process_has_the_vault_open(
        qtbot: QtBot, ctx: AppContext, vault_dir: Path) -> None:
    create_case(ctx.vault(), NewCase(given_names="Ayşe", family_name="Öztürk",
                                     municipality="DO"))
    key_before, key_file_before = data_key(ctx.vault()), (vault_dir / KEY_NAME).read_bytes()
    other = Child("tests.support.open_holder", str(vault_dir), "Yilmaz")
    try:
        other.expect("open")
        page = settings_page(qtbot, ctx)
        box = page.key_box
        start_renewal(qtbot, page, PASSPHRASE)
        qtbot.waitUntil(lambda: box.button.isEnabled(), timeout=WAIT)
        assert box.message.text() == OPEN_ELSEWHERE_DE
        ctx.wait_idle()
        assert (vault_dir / KEY_NAME).read_bytes() == key_file_before
        assert data_key(ctx.vault()) == key_before  # open again, under the same key
        other.go()
        assert other.finish() == ["saved"]
    finally:
        other.kill()
    assert get_case(ctx.vault(), 1).family_name == "Yilmaz"  # its write is kept


def test_passphrase_change_while_another_process_writes_is_done_with_a_note(
        qtbot: QtBot, ctx: AppContext, vault_dir: Path) -> None:
    page = settings_page(qtbot, ctx)
    holder = Holder(vault_dir)  # `lotse demo` in another process, inside its transaction
    try:
        for field, text in ((page.old_pass, PASSPHRASE), (page.new_pass, NEW),
                            (page.repeat_pass, NEW)):
            field.setFocus()
            qtbot.keyClicks(field, text)
        qtbot.mouseClick(page.change_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.change_button.isEnabled(), timeout=WAIT * 2)
        message = page.pass_message.text()
        assert message.startswith("Die Passphrase wurde geändert."), message
        assert message.endswith(NOTE)
    finally:
        holder.release()
    ctx.wait_idle()
    ctx.session.lock()
    with open_vault(vault_dir, NEW) as vault, vault.session() as s:
        rows = s.execute(select(AuditLog.kind, AuditLog.detail).order_by(AuditLog.seq)).all()
    changes = [dict(detail) for kind, detail in rows if kind == "vault.passphrase_changed"]
    assert len(changes) == 1 and changes[0]["late"] is True
    assert "vault.unlock_failures" not in [kind for kind, _ in rows]
