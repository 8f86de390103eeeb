"""``lotse cases`` in a child process whose standard output counts lines instead of keeping
them, and looks, every few hundred lines, how many case rows the process holds at that moment.

usage: python -m tests.support.cases_stream_child CLI_ARGS...
Runs the CLI's ``main`` with CLI_ARGS (passphrase in LOTSE_PASSPHRASE) and prints one JSON line
on the real standard output: {"code", "lines", "most_rows_held"}. A listing that read every case
before printing holds all of them at its first line; a streamed one at most a page.
"""

from __future__ import annotations

import gc
import io
import json
import sys

from app.cli.main import main
from app.services.cases.records import CaseRow

LOOK_EVERY = 250  # lines; gc.get_objects walks the whole heap, so not at every line


class CountingOutput(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.lines = 0
        self.most_rows_held = 0

    def write(self, text: str) -> int:
        before = self.lines
        self.lines += text.count("\n")
        if self.lines // LOOK_EVERY != before // LOOK_EVERY or before == 0:
            held = sum(1 for obj in gc.get_objects() if isinstance(obj, CaseRow))
            self.most_rows_held = max(self.most_rows_held, held)
        return len(text)


def run() -> None:
    out = CountingOutput()
    sys.stdout = out
    code = main(sys.argv[1:])
    sys.stdout = sys.__stdout__
    print(json.dumps({"code": code, "lines": out.lines, "most_rows_held": out.most_rows_held}))


if __name__ == "__main__":
    run()
