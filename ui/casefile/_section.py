"""The contract between the case-file window and its sections."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from ui.context import AppContext

DraftState = dict[str, object]


@dataclass(frozen=True)
class SectionSpec:
    """One entry of the navigation: ``factory(ctx, case_id)`` builds the section widget.

    The widget must have ``refresh()`` (reload off the GUI thread) and may have
    ``draft_state() -> dict | None``, ``restore_draft(state)`` and
    ``has_unsaved_changes() -> bool``; the window finds them by name.
    """

    code: str
    label: str
    factory: Callable[[AppContext, int], QWidget]


def draft_of(widget: QWidget) -> DraftState | None:
    fn = getattr(widget, "draft_state", None)
    result = fn() if callable(fn) else None
    return result if isinstance(result, dict) else None


def is_dirty(widget: QWidget) -> bool:
    fn = getattr(widget, "has_unsaved_changes", None)
    return bool(fn()) if callable(fn) else False


def restore(widget: QWidget, state: DraftState) -> None:
    fn = getattr(widget, "restore_draft", None)
    if callable(fn):
        fn(state)


def refresh(widget: QWidget) -> None:
    fn = getattr(widget, "refresh", None)
    if callable(fn):
        fn()


def alive(obj: QWidget) -> bool:
    """False once Qt deleted the widget (a tab closed while its read was running)."""
    return bool(shiboken6.isValid(obj))
