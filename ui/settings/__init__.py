"""settings page."""
