"""The eleven sections of the case file, each a ``Section`` (``ui.casefile._section``) built as
``cls(ctx, case_id)``; their form helpers are ``ui.casefile._form``, one set for all."""

from ui.casefile.sections.certificates import CertificatesSection
from ui.casefile.sections.consents import ConsentsSection
from ui.casefile.sections.documentation import DocumentationSection
from ui.casefile.sections.documents import DocumentsSection
from ui.casefile.sections.history import HistorySection
from ui.casefile.sections.journal import JournalSection
from ui.casefile.sections.overview import PersonSection
from ui.casefile.sections.phase import PhaseSection
from ui.casefile.sections.plan import PlanSection
from ui.casefile.sections.status import StatusSection
from ui.casefile.sections.tasks import TasksSection

__all__ = ["CertificatesSection", "ConsentsSection", "DocumentationSection", "DocumentsSection",
           "HistorySection", "JournalSection", "PersonSection", "PhaseSection", "PlanSection",
           "StatusSection", "TasksSection"]
