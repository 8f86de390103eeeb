"""Fallkonferenzen: the list page, the conference window with its parts (planning, consent
gate, holding and minutes, output) and the small list a case file shows."""
