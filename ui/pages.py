"""The fixed pages of the workspace and the case-file factory (one place to register them)."""

from __future__ import annotations

from ui.context import AppContext
from ui.page_hosts import CaseTab
from ui.workspace import Page, PageSpec


def page_specs() -> list[PageSpec]:
    from ui.caselist.page import CaseListPage
    from ui.certificates.page import CertificatesPage
    from ui.conferences.page import ConferencesPage
    from ui.directory.page import DirectoryPage
    from ui.gaps.page import GapsPage
    from ui.settings.page import SettingsPage
    from ui.sync.page import SyncPage
    from ui.today.page import TodayPage

    return [
        PageSpec(Page.TODAY, "&Heute", TodayPage),
        PageSpec(Page.CASES, "&Fälle", CaseListPage),
        PageSpec(Page.DIRECTORY, "&Verzeichnis", DirectoryPage),
        PageSpec(Page.GAPS, "&Lücken im System", GapsPage),
        PageSpec(Page.CONFERENCES, "Fall&konferenzen", ConferencesPage),
        PageSpec(Page.CERTIFICATES, "&Bescheinigungen", CertificatesPage),
        PageSpec(Page.SETTINGS, "&Einstellungen", SettingsPage),
        PageSpec(Page.SYNC, "&Abgleich", SyncPage),  # Ctrl+8: came with the shared drive
    ]


def case_file(ctx: AppContext, case_id: int, section: str = "") -> CaseTab:
    from ui.casefile.window import CaseFileWidget

    return CaseFileWidget(ctx, case_id, section=section)
