"""The tasks domain (see app.services)."""
