"""The one passphrase rule: an estimated 10¹² guesses or more, explained in plain German.

Why this bar: the key file lies beside the store and in every backup on the share. Whoever
copies a backup guesses offline, where no delay applies; Argon2id at the calibrated cost allows
roughly 600–1,700 guesses per second on one current GPU. 10¹² guesses at ~1,000 per second take
about 30 years. Used by ``create_vault``, ``change_passphrase``, the desktop and the CLI; only
the demo vault, whose passphrase is published, is created without it (explicitly).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from app.errors import ValidationFailed
from app.passphrase_strength import estimate
from app.vault.kdf import normalise

MIN_GUESSES = 10**12
ATTACK_GUESSES_PER_SECOND = 1_000
_SECONDS_PER_YEAR = 365.25 * 24 * 3600

WHY_DE = (
    "Warum so streng? Die Schlüsseldatei liegt neben dem Tresor und in jeder Sicherung. Wer "
    "eine Sicherung kopiert, kann ohne Wartezeit Passphrasen durchprobieren – mit einer "
    "Grafikkarte etwa 1.000 in der Sekunde. Lotse verlangt deshalb eine Passphrase, für die "
    "schätzungsweise mindestens eine Billion (10¹²) Versuche nötig sind: rund 30 Jahre für eine "
    "Grafikkarte.")
ADVICE_DE = ("Nehmen Sie vier oder mehr Wörter, die nicht zusammengehören, oder lassen Sie sich "
             "mit „Passphrase vorschlagen“ eine erzeugen.")
HINTS_DE = {
    "context": "Sie enthält Ihren Namen, Ihre Kommune, das Tresorkürzel, die bisherige "
               "Passphrase oder einen Begriff aus Lotse – so etwas wird zuerst ausprobiert.",
    "common": "Sie enthält ein sehr häufig benutztes Passwort.",
    "keyboard": "Tastaturmuster wie „qwertz“ oder „asdf“ sind schnell erraten.",
    "repeat": "Wiederholungen wie „aaaa“ oder „abcabc“ sind schnell erraten.",
    "sequence": "Folgen wie „abcd“ oder „1234“ sind schnell erraten.",
    "date": "Jahreszahlen und Daten sind schnell erraten.",
    "words": "Wenige bekannte Wörter sind schnell erraten.",
    "short": "Sie ist zu kurz.",
}


@dataclass(frozen=True)
class Verdict:
    ok: bool
    guesses_log10: float
    weakness: str

    @property
    def hint_de(self) -> str:
        return HINTS_DE.get(self.weakness, HINTS_DE["short"])


class WeakPassphrase(ValidationFailed):
    """The passphrase fails the rule; belongs to the field of the new passphrase."""

    def __init__(self, verdict: Verdict) -> None:
        super().__init__(
            f"Diese Passphrase ist zu leicht zu erraten. {verdict.hint_de} {ADVICE_DE} {WHY_DE}",
            f"passphrase too weak: about 10^{verdict.guesses_log10:.1f} guesses estimated "
            f"({verdict.weakness}), at least 10^12 required: a copied backup is attacked offline "
            "at ~1,000 guesses/s per GPU, and 10^12 guesses take ~30 years. Use four or more "
            "unrelated words, or --generate-passphrase",
            field="new")
        self.verdict = verdict


def assess(passphrase: str, context: Iterable[str] = ()) -> Verdict:
    """The rule applied to the passphrase as it will be derived (NFC)."""
    found = estimate(normalise(passphrase), [normalise(c) for c in context if c])
    log10 = math.log10(max(found.guesses, 1.0))
    return Verdict(found.guesses >= MIN_GUESSES, log10, found.weakness)


def require_strong(passphrase: str, context: Iterable[str] = ()) -> None:
    """Raise ``WeakPassphrase`` unless the passphrase meets the rule. ``context``: what an
    attacker would try first here (owner's name, municipality, vault code, old passphrase)."""
    verdict = assess(passphrase, context)
    if not verdict.ok:
        raise WeakPassphrase(verdict)


def crack_time_de(guesses_log10: float) -> str:
    """How long guessing takes on a copied backup with one GPU, e.g. "etwa 30 Jahre"."""
    seconds = 10 ** guesses_log10 / ATTACK_GUESSES_PER_SECOND
    if seconds < 60:
        return "wenige Sekunden"
    years = seconds / _SECONDS_PER_YEAR
    if years >= 1_000_000:
        return "mehr als eine Million Jahre"
    for limit, size, one, many in ((3600, 60, "eine Minute", "Minuten"),
                                   (86400, 3600, "eine Stunde", "Stunden"),
                                   (_SECONDS_PER_YEAR, 86400, "einen Tag", "Tage"),
                                   (math.inf, _SECONDS_PER_YEAR, "ein Jahr", "Jahre")):
        if seconds < limit:
            count = round(seconds / size)
            return f"etwa {one}" if count <= 1 else f"etwa {count:,} {many}".replace(",", ".")
    raise AssertionError("unreachable")


def strength_hint(passphrase: str, context: Iterable[str] = ()) -> str:
    """The live line under a new-passphrase field."""
    if not passphrase:
        return ""
    verdict = assess(passphrase, context)
    time_de = crack_time_de(verdict.guesses_log10)
    if verdict.ok:
        return (f"Stark genug: Auch mit einer kopierten Sicherung dauert das Erraten "
                f"schätzungsweise {time_de}.")
    return (f"Noch zu leicht zu erraten: Mit einer kopierten Sicherung dauert das nur "
            f"{time_de}. {verdict.hint_de} {ADVICE_DE}")
