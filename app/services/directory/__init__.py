"""The directory domain (see app.services)."""
