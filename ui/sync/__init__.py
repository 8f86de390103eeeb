"""Point 6 of issue 12 in the desktop: the share folder and key cards (Einstellungen →
Austausch), the sync status and runs, the Abgleich page, the per-case sync state."""
