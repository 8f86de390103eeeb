"""Numbered schema revisions. Each one is frozen once released: never import models here."""
