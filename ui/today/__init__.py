"""today page."""
