"""Find text a person cannot read in full: labels, buttons, check boxes, group titles and table
headers narrower (or lower) than their text needs, in the part of a window that is on screen.

A scroll area's content may extend beyond its viewport (that is what scrolling is for), but what
is laid out inside it still has to fit its own text.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QTabBar,
    QTreeView,
    QWidget,
)

MIN_ROWS = 5  # a list worth scrolling shows at least this many entries
SLACK = 2  # px: rounding between sizeHint and the laid-out size at fractional scale factors


def _name(w: QWidget) -> str:
    text = ""
    if isinstance(w, (QLabel, QAbstractButton)):
        text = w.text()
    elif isinstance(w, QGroupBox):
        text = w.title()
    path: list[str] = []
    node: QWidget | None = w
    while node is not None and len(path) < 4:
        path.append(node.objectName() or type(node).__name__)
        node = node.parentWidget()
    return f"{'/'.join(reversed(path))} {text[:40]!r}"


def _label_problem(label: QLabel) -> str | None:
    text = label.text()
    if not text.strip() or (label.pixmap() is not None and not label.pixmap().isNull()):
        return None
    if label.wordWrap():
        need = label.heightForWidth(label.width())
        if need > label.height() + SLACK:
            return f"wraps to {need}px in {label.height()}px height"
        return None
    hint = label.sizeHint()
    if hint.width() > label.width() + SLACK:
        return f"needs {hint.width()}px, has {label.width()}px"
    if hint.height() > label.height() + SLACK:
        return f"needs {hint.height()}px high, has {label.height()}px"
    return None


def _button_problem(button: QAbstractButton) -> str | None:
    if not button.text().strip():
        return None
    hint = button.minimumSizeHint() if button.minimumSizeHint().isValid() else button.sizeHint()
    if hint.width() > button.width() + SLACK:
        return f"needs {hint.width()}px, has {button.width()}px"
    return None


def _group_problem(box: QGroupBox) -> str | None:
    if not box.title().strip():
        return None
    need = box.fontMetrics().horizontalAdvance(box.title().replace("&", "")) + 16
    if need > box.width() + SLACK:
        return f"title needs {need}px, has {box.width()}px"
    return None


def _header_problems(view: QAbstractItemView) -> list[str]:
    """A column header must show its title: wrapped onto several lines is fine while the
    header is high enough and the longest word fits the column."""
    found: list[str] = []
    header = getattr(view, "horizontalHeader", lambda: None)()
    model = view.model()
    if not isinstance(header, QHeaderView) or not header.isVisible() or model is None:
        return found
    metrics = header.fontMetrics()
    margin = 2 * header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    for col in range(model.columnCount()):
        width = header.sectionSize(col)
        if header.isSectionHidden(col) or width == 0:
            continue
        text = str(model.headerData(col, Qt.Orientation.Horizontal) or "")
        if not text:
            continue
        word = max(metrics.horizontalAdvance(w) for w in text.split())
        lines = metrics.boundingRect(QRect(0, 0, max(width - margin, 1), 10_000),
                                     int(Qt.TextFlag.TextWordWrap), text)
        where = f"{_name(view)} column {text!r}"
        if word + margin > width + SLACK:
            found.append(f"{where} needs {word + margin}px, has {width}px")
        elif lines.height() > header.height() + SLACK:
            found.append(f"{where} wraps to {lines.height()}px in a {header.height()}px header")
        elif header.sectionViewportPosition(col) + width > header.viewport().width() + SLACK \
                and view.horizontalScrollBar().maximum() == 0:
            found.append(f"{where} runs off the view")
    return found


def _rows_problem(view: QAbstractItemView) -> str | None:
    """A list with entries that shows fewer than ``MIN_ROWS`` of them, or rows taller than a few
    lines of text, is one a person cannot work with (Verlauf showed 3 entries)."""
    model = view.model()
    if model is None or model.rowCount() == 0 or view.viewport().height() <= 0:
        return None
    line = view.fontMetrics().height()
    first = view.sizeHintForRow(0) if hasattr(view, "rowHeight") else line
    if isinstance(view, QTreeView):  # its rowHeight takes an index
        row = view.rowHeight(model.index(0, 0))
    else:
        row = view.rowHeight(0) if hasattr(view, "rowHeight") else first
    if row > 4 * line + 12:
        return f"rows are {row}px high ({row // line} lines)"
    shown = view.viewport().height() // max(row, 1)
    if model.rowCount() >= MIN_ROWS and shown < MIN_ROWS:
        return f"shows {shown} of {model.rowCount()} rows"
    return None


def _input_problem(w: QWidget) -> str | None:
    hint = w.minimumSizeHint()
    if hint.height() > w.height() + SLACK:
        return f"squashed to {w.height()}px high, needs {hint.height()}px"
    if hint.width() > w.width() + SLACK:
        return f"squashed to {w.width()}px wide, needs {hint.width()}px"
    return None


def _on_screen(w: QWidget, window: QWidget) -> bool:
    """Visible and inside the window (not a page of a stack that is not shown)."""
    if not w.isVisibleTo(window) or w.width() <= 0:
        return False
    top_left = w.mapTo(window, w.rect().topLeft())
    return QRect(top_left, w.size()).intersects(window.rect())


def clipped(window: QWidget) -> list[str]:
    """Every piece of text in ``window`` that is cut off, as 'where: why' lines."""
    problems: list[str] = []
    for w in window.findChildren(QWidget):
        if not _on_screen(w, window):
            continue
        if isinstance(w, QTabBar):
            continue  # tabs elide by design and show the full title as a tooltip
        problem = None
        if isinstance(w, QLabel):
            problem = _label_problem(w)
        elif isinstance(w, QAbstractButton) and w.parentWidget() is not None \
                and not isinstance(w.parentWidget(), QTabBar):
            problem = _button_problem(w)
        elif isinstance(w, QGroupBox):
            problem = _group_problem(w)
        elif isinstance(w, QHeaderView):
            continue  # checked with its view
        elif isinstance(w, QAbstractItemView):
            problems.extend(_header_problems(w))
            problem = _rows_problem(w)
        elif isinstance(w, (QLineEdit, QComboBox, QAbstractSpinBox)) \
                and not isinstance(w.parentWidget(), (QAbstractSpinBox, QComboBox)):
            problem = _input_problem(w)
        if problem:
            problems.append(f"{_name(w)}: {problem}")
    return problems
