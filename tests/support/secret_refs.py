"""Which live Python objects still hold a secret: every object the garbage collector tracks, and
what they refer to (strings, bytes and buffers are not tracked themselves; neither are tuples and
dicts of plain values after a collection, so those are descended into).

The secret is kept here only masked (XOR), so the search itself never holds it in the clear and
cannot find its own copy.
"""

from __future__ import annotations

import gc
from typing import Any

MASK = 0x5A
_XOR = bytes(b ^ MASK for b in range(256))


def mask(data: bytes | bytearray | memoryview) -> bytes:
    return bytes(data).translate(_XOR)


def _as_bytes(obj: Any, shortest: int) -> list[bytes]:
    if isinstance(obj, str):
        if len(obj) * 4 < shortest:
            return []
        forms = [obj.encode("utf-8", "surrogatepass")]
        if not obj.isascii():
            forms.append(obj.encode("utf-16-le", "surrogatepass"))
        return forms
    if isinstance(obj, bytes | bytearray):
        return [bytes(obj)] if len(obj) >= shortest else []
    if isinstance(obj, memoryview):
        try:
            return [obj.tobytes()] if obj.nbytes >= shortest else []
        except ValueError:  # released
            return []
    return []


def holders(masked: dict[str, bytes]) -> list[str]:
    """Descriptions of the objects that hold one of the (masked) secrets."""
    gc.collect()
    shortest = min(len(n) for n in masked.values())
    found: list[str] = []
    seen: set[int] = set()
    for root in gc.get_objects():
        # The root itself, then what it refers to that the collector does not track (those
        # have no other way to show up); tracked referents are roots of their own.
        stack = [root]
        while stack:
            obj = stack.pop()
            for form in _as_bytes(obj, shortest):
                hidden = mask(form)
                found.extend(f"{label} in {type(obj).__name__} held by {type(root).__name__}"
                             for label, needle in masked.items() if needle in hidden)
            for ref in gc.get_referents(obj):
                if not gc.is_tracked(ref) and id(ref) not in seen:
                    seen.add(id(ref))
                    stack.append(ref)
    return found
