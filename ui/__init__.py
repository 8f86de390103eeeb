"""The desktop (PySide6). Importing it reserves references for None/True/False first: see
``ui.refcounts`` for the PySide6 6.12.0 defect that would otherwise abort long sessions."""

from ui.refcounts import reserve

reserve()
