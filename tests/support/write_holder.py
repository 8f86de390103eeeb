"""A second Lotse process that holds the store's write lock when told to (``OtherWriter`` starts
and drives it from a test).

usage: python -m tests.support.write_holder VAULT   (passphrase in LOTSE_PASSPHRASE)
Prints "ready" once the vault is open. Then, per line on stdin:
  "hold SECONDS"  take the write lock, print "holding", keep it SECONDS, print "released"
  "hold"          take the write lock, print "holding", keep it until the next line,
                  then print "released"
  "quit"          lock the vault and end.
"""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
import time
from pathlib import Path

from app.vault.store import open_vault
from db.write_lock import write_locked

HANG_GUARD = 120  # seconds; only against a hung test, never a timing assertion


class OtherWriter:
    """The holder process, seen from the test."""

    def __init__(self, folder: Path, passphrase: str, cwd: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.support.write_holder", str(folder)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd,
            env={**env, "LOTSE_PASSPHRASE": passphrase})
        self._expect("ready")

    def _send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def _expect(self, word: str) -> None:
        assert self.proc.stdout is not None
        selector = selectors.DefaultSelector()
        selector.register(self.proc.stdout, selectors.EVENT_READ)
        line = self.proc.stdout.readline().strip() if selector.select(HANG_GUARD) else ""
        if line != word:
            self.proc.kill()
            _out, err = self.proc.communicate()
            raise AssertionError(f"expected {word!r} from the other process, got {line!r}: "
                                 f"{err[-2000:]}")

    def hold(self, seconds: float | None = None) -> None:
        """Returns once the other process holds the write lock."""
        self._send("hold" if seconds is None else f"hold {seconds}")
        self._expect("holding")

    def release(self) -> None:
        """Ends a ``hold()`` without seconds."""
        self._send("go")
        self._expect("released")

    def released(self) -> None:
        """Waits for the end of a ``hold(seconds)``."""
        self._expect("released")

    def quit(self) -> None:
        if self.proc.poll() is None:
            self._send("quit")
            self.proc.communicate(timeout=HANG_GUARD)


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> None:
    with open_vault(Path(sys.argv[1]), os.environ["LOTSE_PASSPHRASE"]) as vault:
        say("ready")
        while True:
            words = sys.stdin.readline().split()
            if words[:1] != ["hold"]:
                break
            with write_locked(vault.engine):
                say("holding")
                if len(words) > 1:
                    time.sleep(float(words[1]))
                else:
                    sys.stdin.readline()
            say("released")


if __name__ == "__main__":
    main()
