"""Journal entries: contacts and progress notes of a case."""
