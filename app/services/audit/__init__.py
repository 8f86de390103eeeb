"""The audit domain (see app.services)."""
