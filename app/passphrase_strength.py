"""How many guesses a passphrase would take: zxcvbn, taught German words and Lotse's own terms.

zxcvbn knows English words, names and leaked passwords only; German words would count as random
letters. The German list (Leipzig Corpora Collection, see resources/wordlists/SOURCES.md) and
Lotse's terms are loaded once into zxcvbn's ranked dictionaries, so that each estimate, per
keystroke in the desktop, costs a few milliseconds. What the person's own context adds (name,
municipality, vault code, the old passphrase) is passed per call.
"""

from __future__ import annotations

import gzip
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from zxcvbn import matching, scoring

from app.catalogues import municipalities

MAX_EVALUATED = 72  # zxcvbn's own limit; characters beyond it can only add strength
# Passphrases are often words with separators; zxcvbn would count " liebe " as seven random
# characters. Each passphrase is also estimated without separators; the lower figure counts.
SEPARATORS = re.compile(r"[\s\-_.,;:/+]+")
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
# Words an attacker who knows the vault belongs to Lotse tries first.
APP_TERMS = (
    "Lotse", "Tresor", "Demo-Tresor", "Passphrase", "Fallkonferenz",
    "Fallmanagement", "Fallmanager", "Fallmanagerin", "Case Management", "Einwanderung gestalten",
    "Kommunales Integrationsmanagement", "Integrationsmanagement", "KIM", "NRW", "Integration",
    "Ausländerbehörde", "Jobcenter", "Sicherung", "Datensicherung", "Einstellungen", "Demo",
)

# The corpus list comes in six frequency bands of ~17,000 words each, so it cannot tell "der"
# from "dachs". The most frequent German words, listed here by hand in rough order of
# frequency, come first: a passphrase made of them is among the first an attacker tries.
COMMON_GERMAN = """
der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an
werden aus er hat dass sie nach wird bei einer um am sind noch wie einem über einen so zum
war haben nur oder aber vor zur bis mehr durch man sein wurde sei hatte kann gegen vom können
schon wenn habe seine ihre dann unter wir soll ich eines jahr zwei diese dieser wieder keine
seiner worden will zwischen immer was gibt alle diesem seit muss doch jetzt drei neue damit
bereits da ab ohne sondern selbst nun etwa heute weil ihr du mich mir dich dir uns euch ihn ihm
ihnen mein meine dein deine unser ja nein hier dort wo wer warum gut sehr viel alles nichts
liebe lieber hallo danke bitte schön groß klein alt neu heute morgen gestern tag nacht zeit
haus welt leben mann frau kind geld arbeit jahr eins vier fünf sechs sieben acht neun zehn
"""

GERMAN, COMMON, LOTSE_TERMS, CONTEXT = "german", "german_common", "lotse_terms", "user_inputs"


@dataclass(frozen=True)
class Estimate:
    guesses: float
    weakness: str  # what made it guessable, for the hint (see _weakness)


_lock = threading.Lock()
_dictionaries: dict[str, dict[str, int]] | None = None


def words_of(texts: Iterable[str]) -> list[str]:
    """Each text whole and word by word, lowercase, also with umlauts spelled out (ae, oe …)."""
    found: list[str] = []
    for text in texts:
        lowered = text.strip().lower()
        parts = [p for p in SEPARATORS.split(lowered) if p]
        for word in (lowered, "".join(parts), *parts):
            for form in (word, word.translate(_FOLD)):
                if form and form not in found:
                    found.append(form)
    return found


def _german() -> dict[str, int]:
    raw = resources.files("resources.wordlists").joinpath("de_ranked_leipzig.txt.gz")
    ranked: dict[str, int] = {}
    for rank, word in enumerate(gzip.decompress(raw.read_bytes()).decode("utf-8").split(), 1):
        ranked.setdefault(word, rank)
        ranked.setdefault(word.translate(_FOLD), rank)
    return ranked


def _app_terms() -> list[str]:
    names = [text for m in municipalities() for text in (m.label, m.code)]
    return words_of([*APP_TERMS, *names])


def dictionaries() -> dict[str, dict[str, int]]:
    """zxcvbn's own dictionaries plus the German words and Lotse's terms (loaded once)."""
    global _dictionaries
    with _lock:
        if _dictionaries is None:
            _dictionaries = {**matching.RANKED_DICTIONARIES, GERMAN: _german(),
                             COMMON: matching.build_ranked_dict(words_of(COMMON_GERMAN.split())),
                             LOTSE_TERMS: matching.build_ranked_dict(_app_terms())}
        return _dictionaries


def preload() -> None:
    """Load the dictionaries ahead of the first keystroke (about 0.15 s), e.g. on a thread."""
    dictionaries()


def _weakness(sequence: list[dict[str, Any]]) -> str:
    patterns = {m["pattern"] for m in sequence}
    names = {m.get("dictionary_name") for m in sequence if m["pattern"] == "dictionary"}
    if names & {CONTEXT, LOTSE_TERMS}:
        return "context"
    if "passwords" in names:
        return "common"
    for pattern, weakness in (("spatial", "keyboard"), ("repeat", "repeat"),
                              ("sequence", "sequence"), ("date", "date"), ("regex", "date")):
        if pattern in patterns:
            return weakness
    return "words" if names else "short"


def _score(text: str, ranked: dict[str, dict[str, int]]) -> Estimate:
    text = text[:MAX_EVALUATED]
    # Without zxcvbn's additive 10⁴ per part: with it, any four parts (even "ich bin der die")
    # would reach 10¹² on their own.
    result = scoring.most_guessable_match_sequence(text, matching.omnimatch(text, ranked),
                                                   _exclude_additive=True)
    return Estimate(float(result["guesses"]), _weakness(result["sequence"]))


def estimate(passphrase: str, context: Iterable[str] = ()) -> Estimate:
    """Estimated guesses for ``passphrase``, as typed and without separators (the lower)."""
    ranked = {**dictionaries(), CONTEXT: matching.build_ranked_dict(words_of(context))}
    candidates = [passphrase]
    joined = SEPARATORS.sub("", passphrase)
    if joined and joined != passphrase:
        candidates.append(joined)
    return min((_score(c, ranked) for c in candidates), key=lambda e: e.guesses)
