"""Writer process for the share crash test: writes bundles until SIGKILLed.

usage: python -m tests.support.share_writer_child ROOT FOLDER TAG
Writes ``payload(0)``, ``payload(1)``, … with ``write_new`` into FOLDER (below the share ROOT);
prints "ready" once, then "wrote N" after each published file.
"""

from __future__ import annotations

import hashlib
import sys
from itertools import count
from pathlib import Path

from app.share.files import write_new
from app.share.layout import BUNDLE_SUFFIX


def payload(n: int) -> bytes:
    """Bundle n: its number, then 0.5–2 MiB derived from it (large enough to kill mid-write)."""
    seed = hashlib.sha256(n.to_bytes(8, "big")).digest()
    size = 512 * 1024 + (n * 397 * 1024) % (1536 * 1024)
    return n.to_bytes(8, "big") + (seed * (size // len(seed) + 1))[:size]


def main() -> None:
    root, folder, tag = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    for n in count():
        write_new(folder, payload(n), BUNDLE_SUFFIX, root=root, tag=tag)
        sys.stdout.write(f"wrote {n}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
