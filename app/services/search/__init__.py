"""The search domain (see app.services)."""
