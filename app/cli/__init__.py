"""Command-line interface over the same services the desktop uses."""
