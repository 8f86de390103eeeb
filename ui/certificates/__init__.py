"""Certificates in the desktop: the register page, issuing from the case file, verification,
staff training."""
