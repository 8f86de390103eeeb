"""Folding of names and queries for search-as-you-type and for German alphabetical order.

SQLite's ``remove_diacritics`` only strips combining marks: it leaves ß, ı, ł, đ, ø alone and
knows nothing about the German digraph spellings (ue for ü). Lotse therefore folds in Python,
stores the folded text in an indexed column / FTS5 table, and folds typed queries the same way.
Pure stdlib, no Qt, no SQLAlchemy.

Search folding (:func:`fold_search`), in this order:

1. Compatibility characters whose NFKC form is longer than three characters (squared Katakana
   units, parenthesised numbers, the Arabic honorific ligatures U+FDF2-U+FDFB, ...) are dropped, so
   the output is never longer than three times the input. They never occur in real names.
2. NFKC (full-width letters, ligatures such as "ﬁ", Arabic presentation forms -> base letters),
   then ``casefold`` (so ẞ/ß -> "ss", İ -> "i" + dot, which step 3 drops).
3. One translation table:

   - Latin letters -> ASCII base letter: everything NFKD decomposes (é è ê ë á à â å ä ã ó ö õ ő
     ú ü ű ç č ć ğ ş ș ţ ț ś š ź ż ž ą ę ń ň ř ý ÿ, Vietnamese ơ ư ầ ế ỗ ...), plus letters NFKD
     leaves alone: ß -> ss, ı -> i, ł -> l, đ/ð -> d, ø -> o, æ -> ae, œ -> oe, þ -> th, ħ -> h,
     ŧ -> t, ŋ -> n, ə/ǝ -> e (Azerbaijani), ɛ -> e, ɔ -> o, ɓ -> b, ɗ -> d, ƙ -> k, ƴ -> y
     (Hausa, Fula and other West African orthographies), ƒ -> f, ɨ -> i, ʉ -> u.
   - Combining diacritics left over after NFKC (U+0300-U+036F and the other generic blocks),
     Arabic harakat, Quranic marks and tatweel, Hebrew points, Cyrillic titlo are dropped.
     Arabic, Cyrillic, Greek, Georgian (etc.) letters are kept as they are - no transliteration,
     so "Юлия" is found by "юл", not by "yul". Cyrillic й and ё stay distinct from и and е.
   - Apostrophes (' ’ ‘ ʼ ʻ ´ `) and hyphens/dashes become spaces ("Al-Hassan" -> "al hassan",
     found by "hassan"; "O'Brien" -> "o brien": found by "brien", NOT by "obrien"). Characters
     that separate words in practice (/ \\ , ; : | _ & + brackets • …) also become spaces, so
     "Müller/Schmidt" yields two words. All other punctuation and symbols (. " “ ” « » ! ? * #
     § € °, emoji) are dropped: "e.V." -> "ev", "12.05." -> "1205". Control and format characters
     (soft hyphen, zero-width joiners, bidi marks) and private-use characters are dropped;
     unassigned code points are kept.
4. The German digraph rule on the folded text: every run of "e" directly after a, o or u is
   removed, so "ae" -> "a", "oe" -> "o", "ue" -> "u". Because umlauts were already folded in
   step 3, "Müller", "Mueller", "Muller", "mueller" all meet at "muller". The rule only looks to
   the left, hence folding a typed prefix gives a prefix of the folded name ("mue" -> "mu",
   a prefix of "muller"), and removing a whole run (not just one "e") keeps folding idempotent.
   æ and œ take part: "Æ" -> "ae" -> "a", "Œ" -> "oe" -> "o" (the Scandinavian/French ligature
   meets its German transliteration, like ä). ø -> o, å -> a.
5. Whitespace collapsed to single spaces, stripped.

Known false friends of the digraph rule (harmless: both sides are folded alike, so these names
are still found; they only match a few more rows than expected): "Manuel" -> "manul", "Samuel"
-> "samul", "Michael" -> "michal" (also matches Polish "Michał"), "Raphael" -> "raphal",
"Israel" -> "isral", "Joel" -> "jol", "Bauer" -> "baur", "Zoe" -> "zo", "Goethe" -> "gothe".
Not folded on purpose: "dj" (Serbian/Croatian Latin for đ) stays "dj", so "Djordjevic" does not
find "Đorđević" ("dordevic"); "ss" is not folded to "s"; transliteration variants of Arabic
names (Mohammed/Muhammad) are different strings.

Sort folding (:func:`fold_sort`) follows DIN 5007 variant 1 (the dictionary order: Ä = A,
Ö = O, Ü = U, ß = ss), case-insensitive, with the same letter table but WITHOUT the digraph rule,
so "Mueller" sorts before "Müller" = "Muller". The key is ``primary + SORT_SEPARATOR + secondary
+ SORT_SEPARATOR + original`` where secondary is the case-folded NFD form (unaccented before
accented) and original is the untouched string, so two different names never share a key and
comparing keys (Python ``<`` or SQLite ``BINARY`` collation, both code-point order) is a total
order consistent with equality. The separator is U+0001: it sorts below every character that
folding can produce ("Otto" before "Ottokar" before "Otto Z"), whereas U+0000 cannot be used:
Python's sqlite3 rejects it in SQL text and SQLite's string functions (``length``, ``substr``,
``printf``) stop at it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

__all__ = [
    "SORT_SEPARATOR",
    "fold_query_terms",
    "fold_search",
    "fold_sort",
    "fts_prefix_query",
]

SORT_SEPARATOR = "\x01"

# Code points whose NFKC expansion exceeds three characters (Unicode 14, Python 3.11). They are
# dropped before normalisation; tests/test_folding.py re-derives this list from the running
# interpreter's Unicode database and fails if a newer Unicode adds one.
# fmt: off
_OVERLONG_RANGES: tuple[tuple[int, int], ...] = (
    (0x2057, 0x2057), (0x2152, 0x2152), (0x2167, 0x2167), (0x2177, 0x2177),
    (0x247D, 0x2487), (0x2A0C, 0x2A0C), (0x321D, 0x321E), (0x3300, 0x3302),
    (0x3304, 0x3304), (0x3307, 0x3308), (0x330C, 0x330D), (0x3312, 0x3313),
    (0x3315, 0x3317), (0x3319, 0x331B), (0x331F, 0x3321), (0x332B, 0x332B),
    (0x332D, 0x332E), (0x3332, 0x3334), (0x3336, 0x3336), (0x333D, 0x333D),
    (0x3343, 0x3343), (0x3347, 0x3348), (0x334A, 0x334A), (0x334C, 0x334D),
    (0x3351, 0x3351), (0x3354, 0x3354), (0x3356, 0x3356), (0x337F, 0x337F),
    (0x3389, 0x3389), (0x33A8, 0x33A8), (0x33AE, 0x33AF), (0x33C2, 0x33C2),
    (0x33C6, 0x33C6), (0x33D8, 0x33D8), (0xFDF2, 0xFDF8), (0xFDFA, 0xFDFC),
)
# fmt: on

# Latin blocks whose letters are folded to ASCII base letters.
_LATIN_RANGES: tuple[tuple[int, int], ...] = (
    (0x00C0, 0x024F),  # Latin-1 Supplement letters, Latin Extended-A and -B
    (0x0250, 0x02AF),  # IPA extensions (ɓ ɗ ɛ ɔ ə ŋ ... used in African orthographies)
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese, ...)
    (0x2C60, 0x2C7F),  # Latin Extended-C
    (0xA720, 0xA7FF),  # Latin Extended-D
    (0xAB30, 0xAB6F),  # Latin Extended-E
)

# Lower-case letters NFKD does not decompose (applied after casefold).
# fmt: off
_LETTER_OVERRIDES: dict[str, str] = {
    "ß": "ss", "ı": "i", "ł": "l", "đ": "d", "ð": "d", "ø": "o", "æ": "ae", "œ": "oe",
    "þ": "th", "ħ": "h", "ŧ": "t", "ŀ": "l", "ŉ": "n", "ĸ": "k", "ſ": "s", "ŋ": "n",
    "ə": "e", "ǝ": "e", "ɛ": "e", "ɔ": "o", "ɓ": "b", "ɗ": "d", "ƙ": "k", "ƴ": "y",
    "ƒ": "f", "ɨ": "i", "ʉ": "u", "ɲ": "n", "ƞ": "n", "ǥ": "g", "ƶ": "z", "ȥ": "z",
    "ƀ": "b", "ƈ": "c", "ƌ": "d", "ɠ": "g", "ɦ": "h", "ƚ": "l", "ɱ": "m", "ɵ": "o",
    "ƥ": "p", "ɽ": "r", "ʂ": "s", "ƭ": "t", "ʈ": "t", "ʋ": "v", "ɍ": "r", "ɏ": "y",
    "ȿ": "s", "ɀ": "z", "ⱳ": "w", "ꞌ": "",
}
# fmt: on

# Non-spacing marks that are diacritics rather than letters; dropped wherever they remain.
_MARK_RANGES: tuple[tuple[int, int], ...] = (
    (0x0300, 0x036F),  # combining diacritical marks
    (0x0483, 0x0489),  # Cyrillic titlo, palatalisation, ...
    (0x0591, 0x05C7),  # Hebrew points and accents (the letters stay)
    (0x0610, 0x061A),  # Arabic honorific/Quranic signs
    (0x064B, 0x065F),  # Arabic harakat (fatha, kasra, shadda, sukun, hamza above/below ...)
    (0x0670, 0x0670),  # Arabic superscript alef
    (0x06D6, 0x06ED),  # Arabic Quranic annotation marks
    (0x1AB0, 0x1AFF),  # combining diacritical marks extended
    (0x1DC0, 0x1DFF),  # combining diacritical marks supplement
    (0x20D0, 0x20FF),  # combining marks for symbols
    (0xFE20, 0xFE2F),  # combining half marks
)
_TATWEEL = 0x0640  # Arabic kashida: pure typographic elongation

# Become spaces: apostrophes, word separators, and (by category) dashes and brackets.
_APOSTROPHES = "'’‘‛′ʼʻʽʹ´`"
_WORD_SEPARATORS = "/\\,;:|_&+•·…‧"

# Characters below this bound go through the list-based table; the rare rest (CJK, astral) is
# filtered per character.
_TABLE_SIZE = 0x3000
_TAIL_START = chr(_TABLE_SIZE)

_DIGRAPH = re.compile(r"(?<=[aou])e+")
_OVERLONG = re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in _OVERLONG_RANGES) + "]")

_TranslateTable = list[int | str | None]


def _latin_base(char: str) -> str | None:
    """ASCII base of a Latin letter (after casefold), or None when there is none."""
    low = char.casefold()
    if low in _LETTER_OVERRIDES:
        return _LETTER_OVERRIDES[low]
    base = "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))
    base = "".join(_LETTER_OVERRIDES.get(c, c) for c in base)
    if base and base.isascii() and base.isalpha():
        return base.lower()
    return None


def _class_mapping(cp: int) -> int | str | None:
    """Mapping of one code point that is not a Latin letter: keep, space or drop."""
    char = chr(cp)
    if any(a <= cp <= b for a, b in _MARK_RANGES) or cp == _TATWEEL:
        return None
    if char in _APOSTROPHES or char in _WORD_SEPARATORS:
        return " "
    category = unicodedata.category(char)
    if category in ("Pd", "Ps", "Pe"):  # hyphens and dashes, opening and closing brackets
        return " "
    if category[0] in "PS":
        return None
    if category in ("Cc", "Cf", "Cs", "Co"):
        return " " if char.isspace() else None
    return cp


@cache
def _table() -> _TranslateTable:
    """The translation table for code points below ``_TABLE_SIZE``; built on first use."""
    table: _TranslateTable = [_class_mapping(cp) for cp in range(_TABLE_SIZE)]
    for a, b in _LATIN_RANGES:
        for cp in range(a, min(b + 1, _TABLE_SIZE)):
            base = _latin_base(chr(cp))
            if base is not None:
                table[cp] = base
    return table


@lru_cache(maxsize=4096)
def _tail_mapping(char: str) -> str:
    """Fold of one character at or above ``_TABLE_SIZE`` (CJK, Latin Ext-D/E, astral...)."""
    cp = ord(char)
    if any(a <= cp <= b for a, b in _LATIN_RANGES):
        base = _latin_base(char)
        if base is not None:
            return base
    mapped = _class_mapping(cp)
    if mapped is None:
        return ""
    return mapped if isinstance(mapped, str) else char


def _fold_letters(text: str) -> str:
    """Steps 1-3 of the module docstring (everything except the digraph rule and whitespace)."""
    if text.isascii():
        return text.lower().translate(_table())
    text = unicodedata.normalize("NFKC", _OVERLONG.sub("", text)).casefold()
    text = text.translate(_table())
    if text and max(text) >= _TAIL_START:
        text = "".join(_tail_mapping(c) if c >= _TAIL_START else c for c in text)
    return text


def _fold_search_once(text: str) -> str:
    folded = _fold_letters(text)
    if "ae" in folded or "oe" in folded or "ue" in folded:
        folded = _DIGRAPH.sub("", folded)
    return " ".join(folded.split())


def fold_search(text: str | None) -> str:
    """Fold a name or a typed query for matching (see the module docstring for the table).

    Lower case, ASCII base letters for Latin script, umlaut digraphs merged ("Mueller" and
    "Müller" -> "muller"), apostrophes and hyphens as spaces, other punctuation dropped,
    single spaces. Idempotent; folding a typed prefix of a name gives a prefix of the folded
    name. ``None`` and the empty string give "".
    """
    if not text:
        return ""
    folded = _fold_search_once(text)
    if not folded.isascii():
        # Dropping a format character or mark can let NFKC compose a pair the next time round
        # (Kana + ZWSP + voicing mark); iterate to the fixpoint so folding is idempotent.
        for _ in range(4):
            again = _fold_search_once(folded)
            if again == folded:
                break
            folded = again
    return folded


def fold_sort(text: str | None) -> str:
    """Collation key for German dictionary order (DIN 5007 variant 1), total and injective.

    ``primary`` is the search folding without the digraph rule (Ä = A, ß = ss, Ş = S, Ł = L,
    case-insensitive, hyphens as spaces); ties are broken first by the case-folded NFD form
    (so "Muller" < "Müller") and then by the original string itself. ``None`` gives "" (sorts
    first); for strings, ``fold_sort(a) == fold_sort(b)`` exactly when ``a == b``.
    """
    if text is None:
        return ""
    primary = " ".join(_fold_letters(text).split())
    secondary = unicodedata.normalize("NFD", text.casefold())
    if not secondary.isprintable():
        # Keep the separator unambiguous: the secondary tier never contains control characters.
        secondary = "".join(c for c in secondary if c.isprintable())
    return f"{primary}{SORT_SEPARATOR}{secondary}{SORT_SEPARATOR}{text}"


def _is_token_char(char: str) -> bool:
    """Whether FTS5's unicode61 tokenizer keeps the character in a token (L*, N*, Co)."""
    category = unicodedata.category(char)
    return category[0] in "LN" or category == "Co"


def fold_query_terms(text: str) -> list[str]:
    """Split a typed query into folded terms, dropping terms FTS5 would see as empty."""
    return [term for term in fold_search(text).split(" ") if any(map(_is_token_char, term))]


def fts_prefix_query(text: str) -> str | None:
    """A safe FTS5 MATCH expression: every folded term as a quoted prefix, ANDed.

    ``"Al-Hassan mü"`` -> ``"al"* AND "hassan"* AND "mu"*``. User syntax (AND, OR, NOT, NEAR,
    ``col:``, parentheses, ``*``, ``^``, quotes) is never passed through: every term is a
    string literal with embedded double quotes doubled. Returns None when nothing searchable
    is left, so the caller can skip the query (FTS5 rejects an empty MATCH).
    """
    terms = fold_query_terms(text)
    if not terms:
        return None
    return " AND ".join('"' + term.replace('"', '""') + '"*' for term in terms)
