"""Failed-unlock counter kept in a small file beside the vault, so restarts do not reset it.

Argon2id is the real defence against guessing; this makes online guessing at the unlock
screen slow and visible (the count goes into the audit log at the next successful unlock).
Anyone who copies the files guesses offline, without this delay.

The file is plain JSON that anyone with access to the folder can edit, so a damaged file
(truncated, not JSON, NaN or absurd values, a folder, link or FIFO in its place) never closes
the gate: it means "no delay now", and the damage is reported at the next successful unlock
(``app.vault.throttle_record``). The file also carries the random id written at the last
successful unlock, so a deleted or replaced file shows up then too.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.clock import Clock
from app.errors import Throttled, UnsafeVaultFile
from app.fsutil import read_limited, write_atomic

FORMAT = "lotse-unlock-throttle"
FREE_ATTEMPTS = 5
BASE_DELAY_S = 30
MAX_DELAY_S = 3600
MAX_BYTES = 4096
MAX_FAILURES = 100_000  # more than anyone types in years: a bigger count was written by hand
FUTURE_SLACK_S = 300  # clocks get corrected; a failure further in the future was made up
_ID = re.compile(r"[0-9a-f]{32}")

# What can be wrong with the file as found (stable strings: they go into the audit log).
UNREADABLE = "unreadable"  # empty, truncated, not UTF-8 or not the expected JSON object
IMPLAUSIBLE = "implausible"  # NaN, Infinity, negative, huge or future values, wrong types
TOO_BIG = "too_big"
LINK = "link"  # a symbolic link (or junction) in its place
NOT_A_FILE = "not_a_file"  # a folder, FIFO or device in its place
PROBLEMS = (UNREADABLE, IMPLAUSIBLE, TOO_BIG, LINK, NOT_A_FILE)


class _Damaged(Exception):
    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


@dataclass(frozen=True)
class ThrottleState:
    failures: int = 0
    last_failure_epoch: float = 0.0
    record_id: str | None = None  # written at the last successful unlock
    damage: str | None = None  # what is wrong with the file as found now
    earlier_damage: tuple[str, ...] = ()  # found (and replaced) while counting failures
    present: bool = False


def delay_after(failures: int) -> int:
    """Seconds to wait after ``failures`` failed attempts: grows with each further failure."""
    if failures < FREE_ATTEMPTS:
        return 0
    return int(min(MAX_DELAY_S, BASE_DELAY_S * 2 ** min(failures - FREE_ATTEMPTS, 16)))


def _reject_constant(name: str) -> Any:
    raise _Damaged(IMPLAUSIBLE)  # NaN, Infinity, -Infinity


def _number(value: object, *, integral: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Damaged(IMPLAUSIBLE)
    if integral and not isinstance(value, int):
        raise _Damaged(IMPLAUSIBLE)
    if not math.isfinite(value) or value < 0:
        raise _Damaged(IMPLAUSIBLE)
    return value


def _parse(raw: bytes, now: float) -> ThrottleState:
    if len(raw) > MAX_BYTES:
        raise _Damaged(TOO_BIG)
    try:
        doc = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _Damaged(UNREADABLE) from None
    if not isinstance(doc, dict) or "failures" not in doc or "last_failure_epoch" not in doc:
        raise _Damaged(UNREADABLE)
    if doc.get("format", FORMAT) != FORMAT:  # files from before the format field are fine
        raise _Damaged(UNREADABLE)
    failures = int(_number(doc["failures"], integral=True))
    last = float(_number(doc["last_failure_epoch"], integral=False))
    if failures > MAX_FAILURES or last > now + FUTURE_SLACK_S:
        raise _Damaged(IMPLAUSIBLE)
    record_id = doc.get("id")
    if record_id is not None and not (isinstance(record_id, str) and _ID.fullmatch(record_id)):
        raise _Damaged(IMPLAUSIBLE)
    earlier = doc.get("damage_found", [])
    if not isinstance(earlier, list) or not all(p in PROBLEMS for p in earlier):
        raise _Damaged(IMPLAUSIBLE)
    return ThrottleState(failures, last, record_id, None, tuple(earlier), True)


class Throttle:
    def __init__(self, path: Path, clock: Clock) -> None:
        self.path = path
        self.clock = clock

    def read(self) -> ThrottleState:
        """The record as found; never raises for a damaged file (it says what is wrong)."""
        try:
            raw = read_limited(self.path, MAX_BYTES)
        except UnsafeVaultFile as exc:
            return ThrottleState(damage=LINK if exc.problem == LINK else NOT_A_FILE,
                                 present=True)
        except OSError:  # unreadable for this user, or an I/O error: not a reason to lock out
            return ThrottleState(damage=UNREADABLE, present=True)
        if raw is None:
            return ThrottleState()
        try:
            return _parse(raw, self.clock.now().timestamp())
        except _Damaged as exc:
            return ThrottleState(damage=exc.problem, present=True)

    def remaining_wait(self) -> int:
        st = self.read()
        if st.damage is not None:
            return 0
        # A failure stamped slightly in the future (clock corrected) waits no longer than its
        # delay; it never adds the clock difference on top.
        waited = max(0.0, self.clock.now().timestamp() - st.last_failure_epoch)
        return max(0, int(delay_after(st.failures) - waited + 0.999))

    def check(self) -> None:
        wait = self.remaining_wait()
        if wait > 0:
            raise Throttled(wait)

    def record_failure(self) -> None:
        """Count one failed attempt. A damaged file is replaced by a fresh count that says so;
        a folder in its place cannot be, and is reported at the next unlock instead."""
        st = self.read()
        found = tuple(sorted({*st.earlier_damage, *([st.damage] if st.damage else [])}))
        doc: dict[str, object] = {
            "format": FORMAT, "id": st.record_id, "failures": st.failures + 1,
            "last_failure_epoch": self.clock.now().timestamp(), "damage_found": list(found)}
        self._write(doc)

    def renew(self, record_id: str) -> bool:
        """After a successful unlock: no failures, a new id. False if nothing could be written
        (a folder in its place stays where it is)."""
        return self._write({"format": FORMAT, "id": record_id, "failures": 0,
                            "last_failure_epoch": 0, "damage_found": []})

    def _write(self, doc: dict[str, object]) -> bool:
        if not self._clear_the_way():
            return False
        try:
            write_atomic(self.path, json.dumps(doc).encode())
        except UnsafeVaultFile:  # a link planted in between: seen and reported next time
            return False
        return True

    def _clear_the_way(self) -> bool:
        """Remove a link, FIFO or device in the file's place (never what a link points to)."""
        try:
            st = os.lstat(self.path)
        except FileNotFoundError:
            return True
        if stat.S_ISREG(st.st_mode):
            return True
        if stat.S_ISDIR(st.st_mode) and not stat.S_ISLNK(st.st_mode):
            return False  # someone's folder: not ours to delete
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)
        return True
