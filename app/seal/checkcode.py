"""The short printed check code ("K7QM2-XHD9R") read over the phone and looked up in the
issuing vault's register. It carries no signature (that would need ~100 characters): it is only a
random key into the register, 50 bits, in Crockford's Base32 (no I, L, O, U)."""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10
_TYPOS = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def new_check_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normalise_check_code(text: str) -> str | None:
    """The code as stored ("K7QM2-XHD9R") from what a person typed (any case, spaces, dashes,
    O for 0, I or L for 1), or None when it cannot be one."""
    raw = re.sub(r"[\s\-_.]", "", text[:40]).upper().translate(_TYPOS)
    if len(raw) != LENGTH or any(c not in ALPHABET for c in raw):
        return None
    return f"{raw[:5]}-{raw[5:]}"
