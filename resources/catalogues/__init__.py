"""Catalogue data files (JSON), read with importlib.resources by app.catalogues."""
