"""Abgleich → Eingang: bundles that were read but not applied (waiting for trust, or rejected
with their reason in German), the case transfers colleagues offer to this vault, and this
vault's own bundles a recipient rejected (``refused_box``)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.services.devices.read import devices
from app.services.devices.records import DeviceRow
from app.services.handover.read import offers
from app.services.handover.records import GrantRow
from app.services.handover.write import accept_offer, decline_offer
from app.services.sync.read import inbox
from app.services.sync.records import InboxRow
from app.services.sync.write import discard
from app.vault.store import Vault
from ui.casefile._form import run_guarded
from ui.context import AppContext, german_message
from ui.dialogs import confirm
from ui.forms import ERROR_STYLE
from ui.sync.labels import INBOX_STATES, KINDS, day, moment
from ui.sync.refused_box import RefusedBox
from ui.sync.tables import fill, labelled, make_table
from ui.sync.trust_dialog import TrustDialog, open_trust_dialog

HEADERS = ("Eingegangen", "Absender", "Art", "Zustand", "Grund")
OFFER_HEADERS = ("Aktenzeichen", "Person", "Angeboten von", "seit")
UNKNOWN_SENDER_DE = "unbekannt"


def sender_text(row: InboxRow) -> str:
    if row.sender:
        return row.sender
    if row.sender_fingerprint:
        return f"{UNKNOWN_SENDER_DE} ({row.sender_fingerprint[:8].upper()} …)"
    return UNKNOWN_SENDER_DE


class InboxTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("inboxTab")
        self.rows: list[InboxRow] = []
        self.offer_rows: list[GrantRow] = []
        self.dialog: TrustDialog | None = None
        self.table = make_table("inboxTable", HEADERS, 4)
        self.table.currentCellChanged.connect(self._enable)
        self.discard_button = QPushButton("&Verwerfen …")
        self.discard_button.clicked.connect(self.ask_discard)
        self.trust_button = QPushButton("Absender ver&trauen …")
        self.trust_button.clicked.connect(self.trust_sender)
        buttons = QHBoxLayout()
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.trust_button)
        buttons.addStretch(1)
        self.offers = make_table("offerTable", OFFER_HEADERS, 1)
        self.offers.currentCellChanged.connect(self._enable)
        self.accept_button = QPushButton("&Annehmen")
        self.accept_button.clicked.connect(self.accept_offer)
        self.decline_button = QPushButton("A&blehnen …")
        self.decline_button.clicked.connect(self.ask_decline)
        offer_buttons = QHBoxLayout()
        offer_buttons.addWidget(self.accept_button)
        offer_buttons.addWidget(self.decline_button)
        offer_buttons.addStretch(1)
        self.refused = RefusedBox(ctx, self._say)
        self.message = QLabel()
        self.message.setObjectName("inboxMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.addWidget(labelled("&Nicht übernommene Bündel:", self.table))
        layout.addWidget(self.table, 2)
        layout.addLayout(buttons)
        offers_label = labelled("Angebotene Fall&übergaben:", self.offers)
        layout.addWidget(offers_label)
        layout.addWidget(self.offers, 1)
        layout.addLayout(offer_buttons)
        layout.addWidget(self.refused, 1)
        layout.addWidget(self.message)
        if ctx.steering:  # a steering committee's vault is never offered a case, sends nothing
            for widget in (offers_label, self.offers, self.accept_button, self.decline_button,
                           self.refused):
                widget.hide()
        self._enable()

    # -- loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        def load(vault: Vault) -> tuple[list[InboxRow], list[GrantRow]]:
            return inbox(vault), offers(vault)

        run_guarded(self, self.ctx, load, self._loaded, self._failed)
        if not self.ctx.steering:
            self.refused.reload()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)

    def _failed(self, exc: BaseException) -> None:
        self._say(german_message(exc), error=True)

    def _loaded(self, data: tuple[list[InboxRow], list[GrantRow]]) -> None:
        rows, offered = data
        self.rows = list(rows)  # the Eingang's (``inbox``): waiting or rejected
        fill(self.table, [(moment(r.first_seen_at), sender_text(r),
                           KINDS.get(r.kind or "", r.kind or "nicht lesbar"),
                           INBOX_STATES.get(r.state, r.state), r.message_de)
                          for r in self.rows])
        self.offer_rows = list(offered)
        # Before the acceptance the case is not in this vault: number and name may be unknown.
        fill(self.offers, [(g.case_number or "–", g.client_name or "–", g.peer_name,
                            day(g.since)) for g in self.offer_rows])
        self._enable()

    def selected(self) -> InboxRow | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def selected_offer(self) -> GrantRow | None:
        row = self.offers.currentRow()
        return self.offer_rows[row] if 0 <= row < len(self.offer_rows) else None

    def _enable(self, *_cells: int) -> None:
        chosen = self.selected()
        waiting = chosen is not None and chosen.state == "waiting"
        self.discard_button.setEnabled(chosen is not None)  # waiting or rejected
        self.trust_button.setEnabled(waiting and bool(chosen and chosen.sender_fingerprint))
        offer = self.selected_offer() is not None
        self.accept_button.setEnabled(offer)
        self.decline_button.setEnabled(offer)

    # -- waiting and rejected bundles --------------------------------------------------------

    def ask_discard(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        inbox_id = chosen.id
        if chosen.state == "rejected":  # seen and understood: off the list, kept in the log
            confirm(self, "Abgewiesenes Bündel entfernen",
                    f"Das abgewiesene Bündel von {sender_text(chosen)} wird aus dem Eingang "
                    "entfernt. Übernommen wird es nicht; die Abweisung und ihr Grund bleiben "
                    "im Protokoll. Wer die Daten braucht, muss sie erneut senden.",
                    "Aus dem Eingang &entfernen",
                    lambda: self.discard(inbox_id, "Das Bündel wurde aus dem Eingang entfernt."))
            return
        confirm(self, "Bündel verwerfen",
                f"Das Bündel von {sender_text(chosen)} wird nicht übernommen und aus dem "
                "Eingang entfernt. Wer es braucht, muss es erneut senden.",
                "Bündel &verwerfen", lambda: self.discard(inbox_id))

    def discard(self, inbox_id: int, done_de: str = "Das Bündel wurde verworfen.") -> None:
        def work(vault: Vault) -> tuple[list[InboxRow], list[GrantRow]]:
            discard(vault, inbox_id)
            return inbox(vault), offers(vault)

        run_guarded(self, self.ctx, work, lambda data: self._discarded(data, done_de),
                    self._failed)

    def _discarded(self, data: tuple[list[InboxRow], list[GrantRow]], done_de: str) -> None:
        self._loaded(data)
        self._say(done_de)
        self.table.setFocus()

    def trust_sender(self) -> None:
        chosen = self.selected()
        if chosen is None or not chosen.sender_fingerprint:
            return
        fingerprint = chosen.sender_fingerprint
        run_guarded(self, self.ctx, devices, lambda rows: self._open_trust(rows, fingerprint),
                    self._failed)

    def _open_trust(self, rows: list[DeviceRow], fingerprint: str) -> None:
        card = next((r for r in rows if r.fingerprint == fingerprint), None)
        if card is None:
            self._say("Die Schlüsselkarte dieses Absenders liegt noch nicht vor. Sie erscheint "
                      "nach dem nächsten Abgleich oder über Einstellungen → Austausch → "
                      "„Karte aus Datei …“.", error=True)
            return
        self.dialog = open_trust_dialog(self.ctx, card, self)
        self.dialog.trusted.connect(self._trusted)
        self.dialog.finished.connect(self._dialog_closed)  # deleted on close: let go of it

    def _dialog_closed(self, _result: int) -> None:
        self.dialog = None

    def _trusted(self, row: DeviceRow) -> None:
        self._say(f"Bestätigt: {row.holder_name}. Die wartenden Bündel werden beim nächsten "
                  "Abgleich übernommen (F5).")
        self.reload()

    # -- transfer offers ---------------------------------------------------------------------

    def accept_offer(self) -> None:
        offer = self.selected_offer()
        if offer is None:
            return
        grant_id = offer.id

        def work(vault: Vault) -> GrantRow:
            return accept_offer(vault, grant_id)

        self.accept_button.setEnabled(False)
        run_guarded(self, self.ctx, work, self._accepted, self._failed)

    def _accepted(self, grant: GrantRow) -> None:
        self._say(f"Angenommen: Fall {grant.case_number} gehört jetzt zu diesem Tresor. "
                  f"{grant.peer_name} erfährt es mit dem nächsten Abgleich.")
        self.reload()

    def ask_decline(self) -> None:
        offer = self.selected_offer()
        if offer is None:
            return
        grant_id = offer.id
        confirm(self, "Fallübergabe ablehnen",
                f"Den angebotenen Fall {offer.case_number} von {offer.peer_name} ablehnen? Der "
                "Fall bleibt dann dort.", "Übergabe a&blehnen", lambda: self.decline(grant_id))

    def decline(self, grant_id: int) -> None:
        run_guarded(self, self.ctx, lambda vault: decline_offer(vault, grant_id),
                    self._declined, self._failed)

    def _declined(self, grant: GrantRow) -> None:
        self._say(f"Abgelehnt: Fall {grant.case_number} bleibt bei {grant.peer_name}.")
        self.reload()
