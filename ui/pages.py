"""The fixed pages of the workspace and the case-file factory (one place to register them)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.context import AppContext
from ui.workspace import PageSpec


def page_specs() -> list[PageSpec]:
    from ui.caselist.page import CaseListPage
    from ui.directory.page import DirectoryPage
    from ui.gaps.page import GapsPage
    from ui.settings.page import SettingsPage
    from ui.today.page import TodayPage

    return [
        PageSpec("today", "&Heute", TodayPage),
        PageSpec("cases", "&Fälle", CaseListPage),
        PageSpec("directory", "&Verzeichnis", DirectoryPage),
        PageSpec("gaps", "&Lücken im System", GapsPage),
        PageSpec("settings", "&Einstellungen", SettingsPage),
    ]


def case_file(ctx: AppContext, case_id: int) -> QWidget:
    from ui.casefile.window import CaseFileWidget

    return CaseFileWidget(ctx, case_id)
