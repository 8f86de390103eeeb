"""Documents stored in the encrypted store, their export and private temp copies."""
