"""Choice fields of the person form for catalogue codes: nationality and spoken languages.

Both show German names and keep the stored codes as item data; a stored code the catalogue does
not know stays as it is (shown raw), so opening and saving a case never loses data."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from app import catalogues
from ui.casefile._form import (
    error_label,
)

NO_ENTRY = "– keine Angabe –"
CODE_ROLE = Qt.ItemDataRole.UserRole


class CountryCombo(QComboBox):
    """Nationality: German country names in German order, the ISO code as item data."""

    def __init__(self) -> None:
        super().__init__()
        self.addItem(NO_ENTRY, "")
        for country in catalogues.countries():
            self.addItem(country.label, country.code)

    def code(self) -> str | None:
        return str(self.currentData() or "") or None

    def set_code(self, code: str | None) -> None:
        code = code or ""
        if self.findData(code) < 0:
            self.addItem(code, code)  # a code from elsewhere is kept, not dropped
        self.setCurrentIndex(self.findData(code))


class ChipList(QListWidget):
    """Items laid out left to right like chips, wrapping onto new lines; the widget is as high
    as its lines, so no chip is ever cut off and no scroll bar hides one."""

    def __init__(self) -> None:
        super().__init__()
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSpacing(2)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        model = self.model()
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(self._fit)

    def _needed_height(self) -> int:
        line = self.fontMetrics().height() + 10  # one line of chips, as high as a line edit
        bottom = max((self.visualItemRect(self.item(i)).bottom() for i in range(self.count())),
                     default=0)
        return max(line, bottom + 1 + 2 * self.spacing()) + 2 * self.frameWidth()

    def _fit(self) -> None:
        self.doItemsLayout()  # place the chips for the current width before measuring
        height = self._needed_height()
        if height != self.height():
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            QTimer.singleShot(0, self, self._fit)  # after the view laid its items out for the width


class LanguagePicker(QWidget):
    """Several languages: type a German name (with completion) and add it; remove from the list.

    The order of the list is the stored order (the first is usually the first language)."""

    def __init__(self) -> None:
        super().__init__()
        self._by_label = {lang.label.casefold(): lang.code for lang in catalogues.languages()}
        self._codes = {lang.code for lang in catalogues.languages()}
        self.input = QLineEdit()
        self.input.setPlaceholderText("Sprache, z. B. Arabisch")
        # The form label names this whole field; the input is not its sibling, so name it here.
        self.input.setAccessibleName("Sprache hinzufügen")
        completer = QCompleter([lang.label for lang in catalogues.languages()], self.input)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.input.setCompleter(completer)
        completer.activated.connect(lambda _text: self.add_typed())  # picked from the popup
        self.input.returnPressed.connect(self.add_typed)
        self.input.textEdited.connect(lambda _text: self._clear_error())
        self.add_button = QPushButton("&Hinzufügen")
        self.add_button.setToolTip("Die eingegebene Sprache hinzufügen (Eingabetaste)")
        self.add_button.clicked.connect(self.add_typed)
        self.error = error_label()
        # The chosen languages are chips that wrap onto further lines, each shown whole, below
        # the input: at 1280x720 or 150 % scaling a single line clipped the third language.
        self.chosen = ChipList()
        self.chosen.installEventFilter(self)
        chosen_label = QLabel("Gewäh&lt:")
        chosen_label.setBuddy(self.chosen)
        self.remove_button = QPushButton("Entfer&nen")
        self.remove_button.setToolTip("Die markierte Sprache entfernen (Entf)")
        self.remove_button.clicked.connect(self.remove_current)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.input, 0, 0, 1, 2)
        layout.addWidget(self.add_button, 0, 2)
        layout.addWidget(chosen_label, 1, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.chosen, 1, 1)
        layout.addWidget(self.remove_button, 1, 2, Qt.AlignmentFlag.AlignTop)
        layout.setColumnStretch(1, 1)
        layout.addWidget(self.error, 2, 0, 1, 3)
        # The form label's mnemonic focuses its buddy only if that takes focus: lead it on to
        # the input (Tab skips a widget with a focus proxy, so this adds no extra tab stop).
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFocusProxy(self.input)
        # As high as its chips need, never less: a short window must not squeeze this field.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self._update_buttons()

    def codes(self) -> list[str]:
        return [str(self.chosen.item(i).data(CODE_ROLE)) for i in range(self.chosen.count())]

    def set_codes(self, codes: list[str]) -> None:
        self.chosen.clear()
        for code in codes:
            self._append(code)
        self.input.clear()
        self._clear_error()
        self._update_buttons()

    def add_typed(self) -> None:
        text = self.input.text().strip()
        if not text:
            return
        code = self._by_label.get(text.casefold()) or (
            text.lower() if text.lower() in self._codes else None)
        if code is None:
            self.error.setText(f"„{text}“ ist keine bekannte Sprache. Bitte aus der Liste wählen.")
            self.error.show()
            self.input.setAccessibleDescription(self.error.text())
            return
        self._clear_error()
        if code not in self.codes():
            self._append(code)
        self.input.clear()
        self._update_buttons()

    def remove_current(self) -> None:
        row = self.chosen.currentRow()
        if row < 0:
            return
        self.chosen.takeItem(row)
        self._update_buttons()
        (self.chosen if self.chosen.count() else self.input).setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.chosen and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)):
            self.remove_current()
            return True
        return super().eventFilter(watched, event)

    def _append(self, code: str) -> None:
        item = QListWidgetItem(catalogues.language_label(code))  # unknown: shown as stored
        item.setData(CODE_ROLE, code)
        self.chosen.addItem(item)
        self.chosen.setCurrentItem(item)

    def _clear_error(self) -> None:
        self.error.hide()
        self.input.setAccessibleDescription("")

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(self.chosen.count() > 0)
