"""Case managers known to this vault."""
