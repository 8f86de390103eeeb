"""Reading side of the keys domain (issue 11)."""
