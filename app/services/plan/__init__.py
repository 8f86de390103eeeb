"""The plan domain (see app.services)."""
