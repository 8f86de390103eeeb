"""The residence domain (see app.services)."""
