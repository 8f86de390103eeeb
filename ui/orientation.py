"""A short German orientation at the first start (per vault and user), reopenable from the help
menu: what Heute, Fälle, a case file, Lücken and the Verzeichnis are, and the main shortcuts.
A steering committee's vault has none of these: from the help menu it explains instead what the
committee does there (``STEERING_TEXT``: Berichte, Abgleich → Eingang, Einstellungen); its
first unlock offers no bar (``ui.main_window``).

At the first unlock a one-line bar above the workspace offers it ("Einführung öffnen"); it
takes neither the focus nor much room (a window popping up by itself would take the keyboard
from the workspace the person starts typing in). Whether it was offered is a per-user
preference (QSettings, keyed by the vault's uuid), not case data: no write to the store, no
audit entry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from ui.context import AppContext

SEEN_KEY = "orientation/seen/{vault}"
TITLE = "Einführung in Lotse"
TEXT = """<h3>Willkommen bei Lotse</h3>
<p>Lotse ist Ihre Fallakte für das Case Management im Kommunalen Integrationsmanagement.
Alles liegt verschlüsselt auf diesem Laptop.</p>
<ul>
<li><b>Heute</b>: was heute ansteht – fällige Aufgaben, ablaufende Aufenthaltsstatus und
Einwilligungen, Fälle ohne Kontakt, Fallkonferenzen.</li>
<li><b>Fälle</b>: alle Fälle, suchen nach Name, Aktenzeichen oder Verlauf; <b>Strg+N</b> legt
einen neuen Fall an.</li>
<li><b>Fallakte</b>: öffnet sich als eigener Reiter. Links die Abschnitte (Alt+1 bis Alt+0):
Person &amp; Haushalt, Aufenthalt, Verlauf, Hilfeplan, Aufgaben, Einwilligungen, Dokumente,
Phase und Protokoll; darunter die Bescheinigungen des Falls (ausstellen, Zweitschrift,
Widerruf). <b>Strg+S</b> speichert, <b>Strg+W</b> schließt die Fallakte.</li>
<li><b>Lücken</b>: Systemlücken, die Sie in der Arbeit bemerken (ohne Personendaten) – für das
Steuerungsgremium.</li>
<li><b>Verzeichnis</b>: Einrichtungen, Ansprechpersonen und Kooperationsvereinbarungen.</li>
<li><b>Bescheinigungen</b>: alle ausgestellten Bescheinigungen, die Fortbildung des Teams;
<b>Strg+Umschalt+P</b> prüft eine Bescheinigung, die Ihnen vorgelegt wird.</li>
</ul>
<p><b>Strg+L</b> sperrt Lotse sofort; nach einer Weile ohne Eingabe sperrt es sich selbst.
Ungespeicherte Eingaben bleiben dabei sicher verwahrt.</p>
<p>Diese Einführung und alle Tastenkürzel finden Sie jederzeit im Menü <b>Hilfe</b>
(<b>F1</b>).</p>"""
STEERING_TEXT = """<h3>Willkommen bei Lotse</h3>
<p>Dies ist der Tresor des Steuerungsgremiums. Er enthält keine Fälle und keine Personendaten,
nur die Berichte, die Fallmanagerinnen und Fallmanager aus ihren Tresoren schicken. Alles liegt
verschlüsselt auf diesem Laptop.</p>
<ul>
<li><b>Berichte</b> (Strg+1): Jeder Bericht fasst die Fälle eines Tresors für einen Zeitraum
in Zahlen zusammen – wie viele Fälle, in welcher Phase, wie lange, welche Ziele erreicht,
welche Lücken im System gefunden wurden. Namen, Geburtsdaten, Anschriften und Aktenzeichen
enthält er nie. Zahlen unter fünf Personen verlassen den Tresor des Absenders nicht, damit
niemand erkennbar wird: Sie stehen als <b>„&lt;&nbsp;5“</b> da, oder als <b>„verdeckt“</b>, wo sich
eine kleine Zahl sonst aus der Summe errechnen ließe.</li>
<li><b>Abgleich → Eingang</b> (Strg+3): Ein Bericht wartet hier, bis Sie der Schlüsselkarte
seines Absenders vertrauen („Absender vertrauen …“). Erst dann wird er übernommen; <b>F5</b>
gleicht sofort ab.</li>
<li><b>Einstellungen</b> (Strg+2): unter „Austausch“ der Austauschordner auf dem Netzlaufwerk
und die Schlüsselkarten der Absender. Bevor Sie einer Karte vertrauen, rufen Sie den Absender
an und lassen sich den Fingerabdruck vorlesen; er muss mit dem auf der Karte übereinstimmen.
Außerdem: Passphrase, Datensicherung, Sperren nach Leerlauf.</li>
</ul>
<p><b>Strg+L</b> sperrt Lotse sofort; nach einer Weile ohne Eingabe sperrt es sich selbst.</p>
<p>Diese Einführung und alle Tastenkürzel finden Sie jederzeit im Menü <b>Hilfe</b>
(<b>F1</b>).</p>"""


class OrientationDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orientation")
        self.setWindowTitle(TITLE)
        self.text = QLabel(TEXT)  # show_orientation puts the one for the vault's role
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        buttons = QDialogButtonBox()
        close = buttons.addButton("&Verstanden", QDialogButtonBox.ButtonRole.AcceptRole)
        close.setDefault(True)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(560, 480)


def show_orientation(parent: QWidget, *, take_focus: bool = True,
                     steering: bool = False) -> OrientationDialog:
    """Open the orientation (from the help menu: with the focus, so the keyboard reaches it);
    ``steering``: the one for a steering committee's vault."""
    existing = parent.findChild(OrientationDialog, "orientation")
    dialog = existing if existing is not None else OrientationDialog(parent)
    dialog.text.setText(STEERING_TEXT if steering else TEXT)  # an earlier one: the same window
    dialog.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, not take_focus)
    dialog.show()
    if take_focus:
        dialog.raise_()
        dialog.activateWindow()
    return dialog


class OrientationBar(QToolBar):
    """One line above the workspace: the orientation is there, open it or close the bar."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__("Einführung")
        self.setObjectName("orientationBar")
        self.setMovable(False)
        self.setFloatable(False)
        self.toggleViewAction().setEnabled(False)
        self.label = QLabel("Neu in Lotse? Eine kurze Einführung erklärt Heute, Fälle, "
                            "Fallakte, Lücken und Verzeichnis (auch später unter Hilfe, F1).")
        # One line: a wrapped label makes a tool bar three lines tall.
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.open_button = QPushButton("Einführung ö&ffnen")
        self.open_button.clicked.connect(lambda: show_orientation(window))
        self.close_button = QPushButton("Hinweis schli&eßen")
        self.close_button.clicked.connect(self.dismiss)
        for widget in (self.label, self.open_button, self.close_button):
            self.addWidget(widget)
        self._window = window

    def dismiss(self) -> None:
        self._window.removeToolBar(self)
        self.deleteLater()


def show_orientation_once(window: QMainWindow, ctx: AppContext) -> None:
    """At the first unlock of this vault by this user: offer the orientation in a bar."""
    key = SEEN_KEY.format(vault=ctx.vault().info.vault_uuid)
    settings = QSettings()
    if settings.value(key, False, type=bool):
        return
    settings.setValue(key, True)
    bar = OrientationBar(window)
    window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    ctx.locked.connect(bar.dismiss)
