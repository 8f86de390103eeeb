"""Failed-unlock counter kept in a small file beside the vault, so restarts do not reset it.

Argon2id is the real defence against guessing; this makes online guessing at the unlock
screen slow and visible (the count goes into the audit log at the next successful unlock).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from app.clock import Clock
from app.errors import Throttled
from app.fsutil import check_regular, read_limited, write_atomic

FREE_ATTEMPTS = 5
BASE_DELAY_S = 30
MAX_DELAY_S = 3600


@dataclass(frozen=True)
class ThrottleState:
    failures: int = 0
    last_failure_epoch: float = 0.0


def delay_after(failures: int) -> int:
    """Seconds to wait after ``failures`` failed attempts: grows with each further failure."""
    if failures < FREE_ATTEMPTS:
        return 0
    return int(min(MAX_DELAY_S, BASE_DELAY_S * 2 ** (failures - FREE_ATTEMPTS)))


class Throttle:
    def __init__(self, path: Path, clock: Clock) -> None:
        self.path = path
        self.clock = clock

    def state(self) -> ThrottleState:
        raw = read_limited(self.path, 4096)
        if raw is None:
            return ThrottleState()
        try:
            doc = json.loads(raw.decode("utf-8"))
            return ThrottleState(int(doc["failures"]), float(doc["last_failure_epoch"]))
        except (ValueError, KeyError, TypeError):
            # A mangled counter must not unlock the gate: treat it as the maximum delay.
            return ThrottleState(FREE_ATTEMPTS + 20, self.clock.now().timestamp())

    def remaining_wait(self) -> int:
        st = self.state()
        waited = self.clock.now().timestamp() - st.last_failure_epoch
        return max(0, int(delay_after(st.failures) - waited + 0.999))

    def check(self) -> None:
        wait = self.remaining_wait()
        if wait > 0:
            raise Throttled(wait)

    def record_failure(self) -> None:
        st = self.state()
        doc = {"failures": st.failures + 1, "last_failure_epoch": self.clock.now().timestamp()}
        write_atomic(self.path, json.dumps(doc).encode())

    def reset(self) -> int:
        """Clear the counter; returns how many failures there had been."""
        failures = self.state().failures
        if failures and check_regular(self.path):
            self.path.unlink(missing_ok=True)
        return failures
