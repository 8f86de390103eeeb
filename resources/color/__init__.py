"""Colour profiles: the sRGB output intent of archivable (PDF/A) documents."""
