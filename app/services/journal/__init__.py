"""The journal domain (see app.services)."""
