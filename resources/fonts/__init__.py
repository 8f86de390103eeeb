"""Fonts embedded into every printed document (TrueType, loaded with importlib.resources)."""
