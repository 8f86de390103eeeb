"""Small layout helpers shared by the pages."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

CARD_WIDTH = 480


def centered_card(page: QWidget) -> QVBoxLayout:
    """Give ``page`` a centred, bounded-width card and return the card's layout.

    Forms stretched over a 1600-pixel window are hard to read; a card keeps labels and fields
    together at any window size and scaling.
    """
    card = QFrame()
    card.setObjectName("card")
    card.setFrameShape(QFrame.Shape.StyledPanel)
    card.setMaximumWidth(CARD_WIDTH)
    card.setMinimumWidth(360)
    inner = QVBoxLayout(card)
    inner.setContentsMargins(24, 20, 24, 20)
    inner.setSpacing(10)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(card, 3)
    row.addStretch(1)
    outer = QVBoxLayout(page)
    outer.addStretch(1)
    outer.addLayout(row)
    outer.addStretch(2)
    return inner
