"""The gaps domain (see app.services)."""
