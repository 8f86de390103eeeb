"""A plain-German strength hint for new passphrases (guidance, not a gate beyond the minimum)."""

from __future__ import annotations

MIN_LENGTH = 8


def strength_hint(passphrase: str) -> str:
    n = len(passphrase)
    if n == 0:
        return ""
    if n < MIN_LENGTH:
        return f"Zu kurz: mindestens {MIN_LENGTH} Zeichen."
    kinds = sum([any(c.islower() for c in passphrase), any(c.isupper() for c in passphrase),
                 any(c.isdigit() for c in passphrase), any(not c.isalnum() for c in passphrase)])
    words = len(passphrase.split())
    if n >= 20 or (words >= 4 and n >= 16):
        return "Stark: eine lange Passphrase ist schwer zu erraten."
    if n >= 12 and kinds >= 3:
        return "Gut. Noch besser: mehrere Wörter zu einem Satz verbinden."
    return "Schwach: nehmen Sie besser einen Satz aus vier oder mehr Wörtern."
