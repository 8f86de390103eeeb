"""Generated passphrases: five random words from a German word list, separated by spaces.

The list (dys2p, CC0; resources/wordlists/SOURCES.md) has 7,776 familiar words in lowercase
a–z, so every word types the same on a German keyboard as on any other. Five words drawn with
``secrets.choice``: 5 × log2(7776) ≈ 64.6 bits, about 2.8 × 10¹⁹ passphrases — far above the
rule's 10¹² even for an attacker who knows the list.
"""

from __future__ import annotations

import math
import re
import secrets
from collections.abc import Iterable
from functools import cache
from importlib import resources

from app.errors import LotseError

WORDS = 5
LIST_SIZE = 7776
ENTROPY_BITS = WORDS * math.log2(LIST_SIZE)
_LINE = re.compile(r"[1-6]{5}\t([a-z]+)")


@cache
def word_list() -> tuple[str, ...]:
    text = resources.files("resources.wordlists").joinpath("de_diceware_7776.txt").read_text(
        encoding="utf-8")
    words = []
    for line in text.splitlines():
        match = _LINE.fullmatch(line)
        if match is None:
            raise ValueError(f"unexpected line in the word list: {line!r}")
        words.append(match.group(1))
    if len(words) != LIST_SIZE or len(set(words)) != LIST_SIZE:
        raise ValueError("the word list must hold 7,776 different words")
    return tuple(words)


def generate_passphrase(context: Iterable[str] = ()) -> str:
    """A fresh random passphrase that meets the rule (a draw that happens to spell out the
    context or a common phrase is drawn again; that costs a negligible part of the entropy)."""
    from app.passphrase_policy import assess  # zxcvbn loads only when a passphrase is made

    words, known = word_list(), list(context)
    for _ in range(20):
        candidate = " ".join(secrets.choice(words) for _ in range(WORDS))
        if assess(candidate, known).ok:
            return candidate
    raise LotseError("Es konnte keine Passphrase erzeugt werden.",  # practically unreachable
                     "no generated passphrase met the strength rule")
