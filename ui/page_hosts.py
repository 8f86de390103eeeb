"""The workspace's fixed pages (``Page``, ``PageSpec``), what it asks of a case file tab
(``CaseTab``, abstract) and of some pages (structural protocols, so pages need not import the
workspace): Ctrl+N anywhere, a gap noticed elsewhere, conference windows across a lock, a case
file's link to its conflicts, a page's own typed input across a lock."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from ui.contracts import AbstractWidget

if TYPE_CHECKING:
    from ui.context import AppContext


class Page(StrEnum):
    """The fixed pages a workspace may have (``ui.pages.page_specs`` orders them per role)."""

    TODAY = "today"
    CASES = "cases"
    DIRECTORY = "directory"
    GAPS = "gaps"
    CONFERENCES = "conferences"
    CERTIFICATES = "certificates"
    SETTINGS = "settings"
    SYNC = "sync"  # Abgleich: conflicts, incoming bundles, shared cases
    REPORTS = "reports"  # Berichte: a steering committee's vault only


@dataclass(frozen=True)
class PageSpec:
    code: Page
    label: str  # with & mnemonic
    factory: Callable[[AppContext], QWidget]


class CaseTab(AbstractWidget):
    """What the workspace needs of a case file: its id, its title, a section to show and the
    unsaved input it carries across a lock (abstract: enforced by mypy and at run time)."""

    title_changed = Signal(str)

    def __init__(self, case_id: int) -> None:
        super().__init__()
        self.case_id = case_id

    @abstractmethod
    def show_section(self, code: str) -> None: ...

    @abstractmethod
    def has_unsaved_changes(self) -> bool: ...

    @abstractmethod
    def draft_state(self) -> dict[str, Any]:
        """Unsaved input by section, JSON-safe; empty when there is none."""

    @abstractmethod
    def restore_draft(self, state: dict[str, Any]) -> None: ...

    def section_code(self) -> str:
        """The section shown now, to reopen the case there after a lock ("" = overview)."""
        return ""


@runtime_checkable
class NewCaseHost(Protocol):
    """The page that starts a new case (Fälle): Ctrl+N anywhere asks it."""

    def new_case(self) -> None: ...


@runtime_checkable
class GapDraftHost(Protocol):
    """The gap register: a text noticed elsewhere becomes the start of a new gap."""

    def start_new(self, description: str) -> None: ...


@runtime_checkable
class ConferenceHost(Protocol):
    """The page that owns the conference windows (Fallkonferenzen): Heute and the case file
    ask it through the context's signals; the open ones are reopened after a lock."""

    def open_conference(self, uuid: str) -> None: ...

    def new_conference(self, case_id: int = 0) -> None: ...

    def open_conferences(self) -> list[dict[str, Any]]:
        """JSON-safe: each open conference and its unsaved input."""

    def restore_conference(self, state: dict[str, Any]) -> None: ...


@runtime_checkable
class ConflictsHost(Protocol):
    """The Abgleich page: a case file's "offene Konflikte" link opens its Konflikte tab,
    filtered to that case."""

    def show_conflicts(self, case_uuid: str = "") -> None: ...


@runtime_checkable
class PageDraftHost(Protocol):
    """A page with typed input of its own (Abgleich: a value for a conflict): sealed at lock
    with the case files' drafts and put back after unlocking."""

    def page_draft(self) -> dict[str, Any] | None:
        """JSON-safe; None when nothing was typed."""

    def restore_page_draft(self, state: dict[str, Any]) -> None: ...
