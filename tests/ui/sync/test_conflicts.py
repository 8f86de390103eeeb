"""Abgleich → Konflikte on two real vaults sharing the team directory through a temp folder:
both renamed the same institution and changed its phone number. Each conflict shows both
values side by side with who changed them; one is decided for the colleague's value, the other
with a value of its own (an empty one refused in German at the field), all by keys, and what
was chosen is what the vault then holds."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.clock import FixedClock
from app.services.conflicts.read import conflicts
from app.services.directory.read import institution_detail
from app.services.directory.records import NewInstitution
from app.services.directory.write import add_institution, update_institution
from app.services.sync.write import export_directory, run_sync
from app.vault.store import Vault
from tests.ui.sync.support import ALT, WAIT, colleague, share, trust_each_other
from tests.ui.sync.test_inbox import sync_page
from ui.context import AppContext

JOBCENTER = NewInstitution("Jobcenter Dortmund", "jobcenter", "DO", phone="0231 100")


def exchange(*vaults: Vault) -> None:
    for vault in vaults:
        export_directory(vault)
        run_sync(vault)


def test_a_conflict_of_two_vaults_is_shown_with_both_values_and_resolved_by_keys(
        qtbot: QtBot, ctx: AppContext, tmp_path: Path, clock: FixedClock) -> None:
    here = ctx.vault()
    with colleague(tmp_path / "bielefeld", clock) as other:
        there = other.vault()
        share(tmp_path / "share", here, there)
        trust_each_other(here, there)
        uuid = add_institution(here, JOBCENTER)
        exchange(here, there)
        assert institution_detail(there, uuid).name == JOBCENTER.name
        update_institution(here, uuid, replace(JOBCENTER, name="Jobcenter Dortmund Mitte",
                                               phone="0231 111"))
        update_institution(there, uuid, replace(JOBCENTER, name="Jobcenter Dortmund Nord",
                                                phone="0231 222"))
        exchange(here, there, here)
        assert len(conflicts(here)) == 2

        page = sync_page(qtbot, ctx)
        tab = page.conflicts
        qtbot.waitUntil(lambda: len(tab.rows) == 2, timeout=WAIT)
        assert tab.count.text() == "2 offene Konflikte"
        tab.table.setFocus()
        tab.table.setCurrentCell(0, 0)
        by_field = {r.field: i for i, r in enumerate(tab.rows)}

        # The phone number: both values side by side, the colleague's taken (Alt+N).
        for _ in range(by_field["phone"]):
            qtbot.keyClick(tab.table, Qt.Key.Key_Down)
        assert tab.mine_value.text() == "0231 111" and tab.theirs_value.text() == "0231 222"
        assert tab.theirs_box.title() == "Wert von Katharina Nowak"
        assert tab.mine_who.text().startswith("von Ihnen geändert")
        assert tab.theirs_who.text().startswith("von Katharina Nowak geändert")
        assert "Jobcenter Dortmund" in tab.title.text() and "Telefon" in tab.title.text()
        qtbot.keyClick(tab.table, Qt.Key.Key_N, ALT)  # "Wert von Katharina Nowak über&nehmen"
        qtbot.waitUntil(lambda: len(tab.rows) == 1, timeout=WAIT)
        assert tab.count.text() == "1 offener Konflikt"
        ctx.wait_idle()
        assert institution_detail(here, uuid).phone == "0231 222"

        # The name: a value of its own; empty is refused at the field, nothing stored.
        assert tab.rows[0].field == "name" and tab.table.currentRow() == 0
        assert tab.theirs_value.text() == "Jobcenter Dortmund Nord"
        qtbot.keyClick(tab.table, Qt.Key.Key_W, ALT)  # "Anderen &Wert …"
        qtbot.waitUntil(tab.other_value.hasFocus, timeout=WAIT)
        assert tab.other_value.text() == "Jobcenter Dortmund Mitte"
        qtbot.keyClick(tab.other_value, Qt.Key.Key_Delete)  # the text was selected
        qtbot.keyClick(tab.other_value, Qt.Key.Key_Return)
        error = tab.errors["value"]
        qtbot.waitUntil(lambda: not error.isHidden(), timeout=WAIT)
        assert error.text() == "Dieses Feld darf nicht leer sein."
        ctx.wait_idle()
        assert institution_detail(here, uuid).name == "Jobcenter Dortmund Mitte"
        assert len(conflicts(here)) == 1
        qtbot.keyClicks(tab.other_value, "Jobcenter Dortmund Mitte und Nord")
        qtbot.keyClick(tab.other_value, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: tab.rows == [], timeout=WAIT)
        assert tab.count.text() == "Keine offenen Konflikte."
        ctx.wait_idle()
        assert institution_detail(here, uuid).name == "Jobcenter Dortmund Mitte und Nord"
        assert conflicts(here) == []

        # The decision syncs: the colleague's vault ends with the same values, no conflict.
        exchange(here, there)
        assert conflicts(there) == []
        theirs = institution_detail(there, uuid)
        assert (theirs.name, theirs.phone) == ("Jobcenter Dortmund Mitte und Nord", "0231 222")
