"""Certificates: templates, the register (issue, reprint, revoke), staff training, issuer keys
and trust, and verification against them."""
