"""Likely duplicates of a new client: existing cases that may be the same person."""
