"""Writing side of the templates domain (issue 11)."""
