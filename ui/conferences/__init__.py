"""The conference window and its parts (planning, consent gate, minutes, printed copies)."""
