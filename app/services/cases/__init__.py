"""The cases domain (see app.services)."""
