"""Text rules of the conference minutes and the invitation (pure: no store, no Qt).

The pseudonymised minutes must not carry the name of anyone in the vault, wherever a caseworker
happened to type it (a decision's "who", a state of affairs, the conference title). Free text
is therefore scrubbed word by word against every name token of every person in the vault: a word
whose folded form (``db.folding.fold_search``, so "Mueller", "MÜLLER" and "Müller" are one) is
such a token becomes its initial and a full stop. Full dates, phone numbers, e-mail and street
addresses (the gap register's patterns) are cut out as well: a birth date typed into a note is
still a birth date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.personal_data import CASE_NUMBER, EMAIL, FULL_DATE, PHONE, POSTCODE, STREET
from db.folding import fold_search

WORD = re.compile(r"[^\W\d_]+")  # a run of letters: names never contain digits or "_"
CUT = "[…]"
REVIEW_TASK_TITLE = "Überprüfung nach Fallkonferenz"
EVENT_TITLE = "Fallkonferenz"
DEFAULT_DURATION_MINUTES = 90  # an invitation needs an end; conferences take about 90 min


def name_tokens(names: Iterable[str | None]) -> frozenset[str]:
    """The folded words of the names ("Al-Hassan" gives "al" and "hassan")."""
    tokens: set[str] = set()
    for name in names:
        if name:
            tokens.update(fold_search(name).split())
    tokens.discard("")
    return frozenset(tokens)


def initials(given: str, family: str) -> str:
    """ "Mariam", "Haidari" -> "M. H." (first letter of the first given and family name)."""
    parts = [p.strip()[:1].upper() + "." for p in (given, family) if p and p.strip()]
    return " ".join(parts)


class NameScrubber:
    """Replaces every name token of ``tokens`` in a text by its initial."""

    def __init__(self, tokens: frozenset[str]) -> None:
        self.tokens = tokens

    def _word(self, match: re.Match[str]) -> str:
        word = match.group(0)
        folded = fold_search(word).split()
        if any(part in self.tokens for part in folded):
            return word[0] + "."
        return word

    def scrub(self, text: str | None) -> str | None:
        if text is None:
            return None
        for pattern in (FULL_DATE, PHONE, EMAIL, STREET, POSTCODE):
            text = pattern.sub(CUT, text)
        return WORD.sub(self._word, text)

    def names_in(self, text: str) -> bool:
        """Whether any word of ``text`` is a name token."""
        return any(part in self.tokens for m in WORD.finditer(text)
                   for part in fold_search(m.group(0)).split())


def event_title(title: str, scrubber: NameScrubber, case_numbers: Iterable[str],
                neutral: str) -> str:
    """The invitation travels by e-mail: a text that names a client (any name of a person on
    the agenda) or carries a case number is replaced by ``neutral``."""
    upper = title.upper()
    if CASE_NUMBER.search(title) or any(n and n.upper() in upper for n in case_numbers) \
            or scrubber.names_in(title):
        return neutral
    return title
