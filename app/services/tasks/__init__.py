"""Follow-ups: stored tasks and those computed from status and consent expiry."""
