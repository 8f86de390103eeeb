"""The today domain (see app.services)."""
