"""The staff domain (see app.services)."""
