"""Reading side of the certificate register (issue 11)."""
