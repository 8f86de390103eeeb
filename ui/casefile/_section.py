"""The contract between the case-file window and its sections, held by the type checker.

Every section derives from :class:`Section` and implements its four methods. They are abstract:
mypy refuses to register (``SectionSpec(code, label, cls)``) or build a section class that
lacks one, and building it at run time raises ``TypeError`` too (``ui.contracts``). A misspelt
``draft_state`` therefore fails before it could silently lose a caseworker's input at lock.
"""

from __future__ import annotations

import functools
from abc import abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ui.contracts import AbstractWidget
from ui.date_field import lenient_reading

if TYPE_CHECKING:
    from ui.context import AppContext

DraftState = dict[str, object]


class SectionCode(StrEnum):
    """The sections of a case file; the value is what links and audit entries carry."""

    PERSON = ""  # the overview, shown when no section is asked for
    DOCUMENTATION = "documentation"
    STATUS = "status"
    JOURNAL = "journal"
    PLAN = "plan"
    TASKS = "tasks"
    CONSENTS = "consents"
    DOCUMENTS = "documents"
    PHASE = "phase"
    HISTORY = "history"
    CERTIFICATES = "certificates"

    @classmethod
    def parse(cls, code: str) -> SectionCode:
        """A code from a link (Heute, a signal); unknown codes mean the overview."""
        try:
            return cls(code)
        except ValueError:
            return cls.PERSON


class Section(AbstractWidget):
    """One section of a case file, built as ``cls(ctx, case_id)``."""

    def __init__(self, ctx: AppContext, case_id: int) -> None:
        super().__init__()
        self.ctx = ctx
        self.case_id = case_id

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """"Anything typed?" and the draft at lock read half-typed dates as empty instead of
        failing (``lenient_reading``); a save reads them strictly and refuses them."""
        super().__init_subclass__(**kwargs)
        for name in ("has_unsaved_changes", "draft_state"):
            method = cls.__dict__.get(name)
            if method is not None and not getattr(method, "__isabstractmethod__", False):
                setattr(cls, name, _lenient(method))

    @abstractmethod
    def refresh(self) -> None:
        """Reload from the store, off the GUI thread."""

    @abstractmethod
    def has_unsaved_changes(self) -> bool:
        """Whether closing the case file would lose typed input."""

    @abstractmethod
    def draft_state(self) -> DraftState | None:
        """The unsaved input, JSON-safe, sealed at lock; None when there is none."""

    @abstractmethod
    def restore_draft(self, state: DraftState) -> None:
        """Put a sealed draft back after unlock (possibly before the data has loaded)."""


def _lenient[R](method: Callable[..., R]) -> Callable[..., R]:
    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> R:
        with lenient_reading():
            return method(*args, **kwargs)

    return wrapper


class ReadOnlySection(Section):
    """A section without inputs: nothing unsaved, no draft to keep."""

    def has_unsaved_changes(self) -> bool:
        return False

    def draft_state(self) -> DraftState | None:
        return None

    def restore_draft(self, state: DraftState) -> None:
        del state  # nothing is typed here


@dataclass(frozen=True)
class SectionSpec:
    """One entry of the navigation: the window builds ``factory(ctx, case_id)``.

    ``type[Section]`` (not a callable returning a widget) lets mypy refuse an abstract class.
    """

    code: SectionCode
    label: str
    factory: type[Section]
