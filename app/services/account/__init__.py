"""The account domain (see app.services)."""
