"""gaps page."""
