"""What the certificate desktop tests share: certificates issued through the services on a real
vault, a workspace at 1280×720 opened on "Bescheinigungen", and keyboard helpers."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.clock import FixedClock
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.certificates.records import IssuedCertificate, IssueRequest
from app.services.certificates.write import issue_certificate
from app.vault.store import Vault
from tests.ui.conferences.support import NOW, WAIT, activate, dialog_of, press, type_into
from tests.ui.settle import settle
from ui.certificates.page import CertificatesPage
from ui.context import AppContext
from ui.workspace import Page, Workspace

__all__ = ["NOW", "WAIT", "activate", "dialog_of", "press", "type_into"]
CTRL = Qt.KeyboardModifier.ControlModifier
PARTICIPATION = "teilnahme"  # the default template of resources/certificates/


@dataclass(frozen=True)
class Issued:
    oeztuerk_case: int
    petrovic_case: int
    oeztuerk: IssuedCertificate
    petrovic: IssuedCertificate


def participation(vault: Vault, case_id: int, measure: str) -> IssuedCertificate:
    """A Teilnahmebescheinigung handed to the person, with the template's fields filled in."""
    from app.services.templates.read import template

    t = template(vault, PARTICIPATION)
    values = {f.key: ("01.09.2026" if f.kind == "date" else "20" if f.kind == "number"
                      else measure) for f in t.fields}
    return issue_certificate(vault, IssueRequest(case_id, PARTICIPATION, values))


def seed_certificates(vault: Vault) -> Issued:
    vault.clock = FixedClock(NOW)
    first = create_case(vault, NewCase(given_names="Ayşe", family_name="Öztürk",
                                       municipality="DO"))
    second = create_case(vault, NewCase(given_names="Milan", family_name="Petrovic",
                                        municipality="DO"))
    return Issued(first, second, participation(vault, first, "Sprachkurs B1"),
                  participation(vault, second, "Bewerbungstraining"))


def workspace(qtbot: QtBot, ctx: AppContext) -> tuple[Workspace, CertificatesPage]:
    """The workspace as after unlocking; Ctrl+6 (typed) shows "Bescheinigungen"."""
    from ui.pages import case_file, page_specs

    ctx.vault().clock = FixedClock(NOW)
    ws = Workspace(ctx, page_specs(), case_file)
    qtbot.addWidget(ws)
    ws.announce_pages()
    ws.resize(1280, 720)
    ws.show()
    activate(qtbot, ws)
    qtbot.keyClick(focused() or ws, Qt.Key.Key_6, CTRL)
    qtbot.waitUntil(lambda: ws.current_page() == Page.CERTIFICATES, timeout=WAIT)
    page = ws.page(Page.CERTIFICATES)
    assert isinstance(page, CertificatesPage)
    settle(ctx)
    return ws, page


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def table_texts(page: CertificatesPage, column: int) -> list[str]:
    model = page.register.model
    return [str(model.index(r, column).data()) for r in range(model.rowCount())]
