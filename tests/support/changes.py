"""Writes a test makes behind the desktop's back, announced the way the desktop announces its own
(``AppContext.run`` emits what a job committed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from app.changes import recording
from ui.context import AppContext

T = TypeVar("T")


def committed[T](ctx: AppContext, work: Callable[[], T]) -> T:
    with recording() as recorder:
        result = work()
    ctx.changes.emit(recorder.changes)
    return result
