"""Writing side of the certificates domain (issue 11)."""
