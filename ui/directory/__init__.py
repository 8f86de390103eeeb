"""directory page."""
