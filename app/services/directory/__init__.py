"""The institution directory: institutions, their contacts, cooperation agreements."""
