"""Reading side of the verification domain (issue 11)."""
