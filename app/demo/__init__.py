"""Fictional demo data: name pools and text fragments for the demo generator (no real people)."""
