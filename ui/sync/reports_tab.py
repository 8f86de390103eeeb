"""Berichte, the first page of a steering committee's vault (``lotse init --role steering``,
``ui.pages``): the steering reports received, and the chosen one's tables per dimension.

A count the sender suppressed shows as "< 5" (fewer than five people), or as "verdeckt" where
the table adds up to a published total: there a cell may also be hidden so that a small one
cannot be worked out by subtraction, and "< 5" would be wrong. The sender's audit head
(sequence and short hash) is shown for the committee to compare with the sender's log.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.changes import Changes, Kind
from app.services.steering.read import dimension_label, reports
from app.services.steering.records import ReportCell, SteeringReportRow
from ui.casefile._form import run_guarded
from ui.context import AppContext, german_message
from ui.forms import ERROR_STYLE
from ui.sync.labels import day, moment
from ui.sync.tables import fill, labelled, make_table

HEADERS = ("Absender", "Zeitraum", "Erstellt", "Fälle")
UNDER_5 = "< 5"
HIDDEN = "verdeckt"
UNDER_5_TIP = "Weniger als 5 Personen: nicht übermittelt, damit niemand erkennbar wird."
HIDDEN_TIP = ("Nicht übermittelt: weniger als 5 Personen, oder ausgeblendet, damit sich eine "
              "kleine Zahl nicht aus der Summe errechnen lässt.")
EXPLAIN = (f"„{UNDER_5}“: weniger als fünf Personen – solche Zahlen verlassen den Tresor des "
           f"Absenders nicht, damit niemand erkennbar wird. „{HIDDEN}“: ebenso nicht "
           "übermittelt; in Tabellen, die eine Summe aufteilen, werden weitere Zahlen "
           "ausgeblendet, damit sich eine kleine nicht errechnen lässt.")
EMPTY = ("Noch keine Berichte empfangen. Berichte der Fallmanagerinnen und Fallmanager kommen "
         "mit dem Abgleich aus dem Austauschordner.")


def count_text(cell: ReportCell) -> str:
    if cell.count is None:
        return HIDDEN if cell.may_hide_more else UNDER_5
    return QLocale(QLocale.Language.German, QLocale.Country.Germany).toString(cell.count)


def cases_text(row: SteeringReportRow) -> str:
    return UNDER_5 if row.cases is None else QLocale(
        QLocale.Language.German, QLocale.Country.Germany).toString(row.cases)


def short_hash(value: str) -> str:
    """The head's first 16 hex digits in groups of four: enough to compare by reading aloud."""
    head = value[:16]
    return " ".join(head[i:i + 4] for i in range(0, len(head), 4))


def head_text(row: SteeringReportRow) -> str:
    return f"Eintrag {row.audit_head_seq} · Prüfsumme {short_hash(row.audit_head_hash)}"


HEAD_TIP = ("Der Stand des Protokolls im Tresor des Absenders, als der Bericht entstand. Zum "
            "Vergleich: Im Protokoll des Absenders trägt dieser Eintrag dieselbe Prüfsumme.")


class ReportsTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("reportsTab")
        self.rows: list[SteeringReportRow] = []
        self.stale = True
        self.table = make_table("reportsTable", HEADERS, 0)
        self.table.currentCellChanged.connect(self._show_current)
        self.title = QLabel()
        self.title.setObjectName("reportTitle")
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: 600;")
        self.head = QLabel()
        self.head.setObjectName("reportAuditHead")
        self.head.setToolTip(HEAD_TIP)
        self.head.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.head_caption = QLabel("Protokollstand des Absenders:")
        self.head_caption.setToolTip(HEAD_TIP)
        self.cells = QTreeWidget()
        self.cells.setObjectName("reportCells")
        self.cells.setColumnCount(2)
        self.cells.setHeaderLabels(["Merkmal", "Anzahl"])
        self.cells.setRootIsDecorated(False)
        self.cells.setUniformRowHeights(True)
        header = self.cells.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.explain = QLabel(EXPLAIN)
        self.explain.setObjectName("reportExplanation")
        self.explain.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("reportsMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)

        left = QVBoxLayout()
        left.addWidget(labelled("&Empfangene Berichte:", self.table))
        left.addWidget(self.table, 1)
        left.addWidget(self.message)
        right = QVBoxLayout()
        right.addWidget(self.title)
        head = QHBoxLayout()
        head.addWidget(self.head_caption)
        head.addWidget(self.head, 1)
        right.addLayout(head)
        cells_label = QLabel("&Inhalt des gewählten Berichts:")
        cells_label.setBuddy(self.cells)
        self.cells.setAccessibleName("Inhalt des gewählten Berichts")
        right.addWidget(cells_label)
        right.addWidget(self.cells, 1)
        right.addWidget(self.explain)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 5)
        layout.addLayout(right, 6)
        self.setFocusProxy(self.table)  # shown as a page: the keyboard starts in the list
        self._show(None)
        ctx.changes.connect(self._on_changes)

    def reload(self) -> None:
        self.stale = False
        run_guarded(self, self.ctx, reports, self._loaded, self._failed)

    def showEvent(self, event: QShowEvent) -> None:
        if self.stale:
            self.reload()
        super().showEvent(event)

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(Kind.SYNC, Kind.SETTINGS):  # a report is kept in vault_meta
            self.stale = True
            if self.isVisible():
                self.reload()

    def _failed(self, exc: BaseException) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(german_message(exc))

    def _loaded(self, rows: list[SteeringReportRow]) -> None:
        self.rows = sorted(rows, key=lambda r: r.created_at, reverse=True)  # newest first
        self.message.setStyleSheet("")
        self.message.setText("" if self.rows else EMPTY)
        fill(self.table, [(r.sender, f"{day(r.period_from)} – {day(r.period_to)}",
                           moment(r.created_at), cases_text(r)) for r in self.rows])
        self._show_current()

    def selected(self) -> SteeringReportRow | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _show_current(self, *_cells: int) -> None:
        self._show(self.selected())

    def _show(self, row: SteeringReportRow | None) -> None:
        self.cells.clear()
        self.head.setVisible(row is not None)
        self.head_caption.setVisible(row is not None)
        self.explain.setVisible(row is not None)
        if row is None:
            self.title.setText("Kein Bericht gewählt")
            self.head.clear()
            return
        self.title.setText(f"{row.sender}: {day(row.period_from)} – {day(row.period_to)}")
        self.head.setText(head_text(row))
        bold = QFont(self.cells.font())
        bold.setBold(True)
        group: QTreeWidgetItem | None = None
        for cell in row.cells:
            if group is None or group.data(0, Qt.ItemDataRole.UserRole) != cell.dimension:
                group = QTreeWidgetItem(self.cells, [dimension_label(cell.dimension), ""])
                group.setData(0, Qt.ItemDataRole.UserRole, cell.dimension)
                group.setFont(0, bold)
                group.setFirstColumnSpanned(True)
                group.setExpanded(True)
            item = QTreeWidgetItem(group, [cell.label_de, count_text(cell)])
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if cell.count is None:
                tip = HIDDEN_TIP if cell.may_hide_more else UNDER_5_TIP
                item.setToolTip(1, tip)
                item.setToolTip(0, tip)
        self.cells.expandAll()
