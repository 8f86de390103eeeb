"""Sections of the case file, each a standalone widget ``(ctx, case_id)`` with ``refresh()``."""

from ui.casefile.sections.consents import ConsentsSection
from ui.casefile.sections.documents import DocumentsSection
from ui.casefile.sections.plan import PlanSection
from ui.casefile.sections.tasks import TasksSection

__all__ = ["ConsentsSection", "DocumentsSection", "PlanSection", "TasksSection"]
