"""The desktop (PySide6)."""
