"""A reserve of references for None, True and False, against a PySide6 6.12.0 defect.

On Python 3.11, PySide6 6.12.0 releases references it never took:
- every Python override or slot that returns None takes one from None. That covers
  ``QAbstractItemModel.data`` for an unhandled role, ``QRunnable.run`` and ``QObject.property``
  holding None;
- every ``SignalInstance.emit`` takes one from True.
Scrolling a 100,000-row list makes millions of such calls. When None's count reaches zero, the
interpreter aborts ("none_dealloc"), or corrupts memory first. PySide 6.11 does not do this, but
PySide6-Pdf exists only as 6.12.

Python 3.12 made these singletons immortal (PEP 683), so there the defect is harmless. On 3.11
the same effect comes from a reserve of references that no session can use up. The singletons
are never freed anyway, so the extra references cost nothing.
"""

from __future__ import annotations

import ctypes
import sys

RESERVE = sys.maxsize >> 2  # 2**61 on 64-bit: no session makes that many calls
SINGLETONS = (None, True, False)


def _count(obj: object) -> ctypes.c_ssize_t:
    # CPython 3.11 (release builds): ob_refcnt is the object's first field.
    return ctypes.c_ssize_t.from_address(id(obj))


def reserve() -> bool:
    """Give the singletons their reserve once; False where nothing was done (Python 3.12+, or
    an interpreter whose object layout is not the one checked here)."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    for obj in SINGLETONS:
        count = _count(obj)
        if count.value >= RESERVE:
            continue  # already given
        if count.value != sys.getrefcount(obj) - 1:  # not the layout we know: leave it alone
            return False
        count.value += RESERVE
    return True
