"""The phases domain (see app.services)."""
