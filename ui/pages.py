"""The fixed pages of the workspace and the case-file factory (one place to register them).

A steering committee's vault (``lotse init --role steering``) holds no case data and only ever
takes in steering reports and catalogue updates (``app.sync.roles``), so it gets pages of its
own: its reports first, then Einstellungen and Abgleich (the share folder, the senders' key
cards, reports waiting for trust). Case work (Heute, Fälle, Fallkonferenzen, Bescheinigungen)
could never show anything there; neither could Verzeichnis (institutions arrive only with
case-data bundles, which such a vault refuses) nor Lücken im System (the register lives in the
case managers' vaults; its figures arrive in the reports).
"""

from __future__ import annotations

from ui.context import AppContext
from ui.page_hosts import CaseTab
from ui.workspace import Page, PageSpec

REPORTS_LABEL = "&Berichte"


def page_specs(steering: bool = False) -> list[PageSpec]:
    """The pages in bar order (Ctrl+1 … by position): a casework or coordination vault's, or
    with ``steering`` a steering committee's."""
    from ui.settings.page import SettingsPage
    from ui.sync.page import SyncPage

    if steering:
        from ui.sync.reports_tab import ReportsTab

        return [
            PageSpec(Page.REPORTS, REPORTS_LABEL, ReportsTab),
            # Its name goes on its key card; no Vorlagen, nothing of Heute or new cases.
            PageSpec(Page.SETTINGS, "&Einstellungen", SettingsPage),
            PageSpec(Page.SYNC, "&Abgleich", SyncPage),
        ]

    from ui.caselist.page import CaseListPage
    from ui.certificates.page import CertificatesPage
    from ui.conferences.page import ConferencesPage
    from ui.directory.page import DirectoryPage
    from ui.gaps.page import GapsPage
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
