"""This vault's issuer keys, key cards, the keys it trusts and revocation lists."""
