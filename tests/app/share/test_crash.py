"""SIGKILL of a process writing bundles, at random moments: no final name ever holds anything but
one of the intended payloads, whole; the writer's leftovers are only its own tagged partials,
which its sweeper removes."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from app.share.files import final_names
from app.share.layout import BUNDLE_SUFFIX, PARTIAL_SUFFIX
from app.share.sweep import sweep_partials
from tests.conftest import ROOT
from tests.support.share_writer_child import payload

TAG = "5eed"
ROUNDS = 8


def test_sigkill_while_writing_leaves_only_whole_bundles(tmp_path: Path) -> None:
    root = tmp_path / "share"
    inbox = root / "to" / ("ab" * 16)
    root.mkdir()
    rng = random.Random(12)
    published = 0
    for _ in range(ROUNDS):
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.support.share_writer_child", str(root), str(inbox), TAG],
            cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None
        assert child.stdout.readline() == "ready\n"
        time.sleep(rng.uniform(0.0, 0.25))  # a random moment: mid-write, mid-verify, mid-rename
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        published += child.stdout.read().count("wrote")
        child.stdout.close()
    finals = final_names(inbox, BUNDLE_SUFFIX)
    assert published > 0 and len(finals) >= published  # everything reported written is there
    for path in finals:
        data = path.read_bytes()
        assert data == payload(int.from_bytes(data[:8], "big")), path.name
    # What else is there: only partials of this writer, and its sweeper takes them away.
    others = [p for p in inbox.iterdir() if p not in finals]
    assert all(p.name.endswith(f"-{TAG}{PARTIAL_SUFFIX}") for p in others)
    assert sweep_partials(inbox, TAG, older_than=0.0, now=time.time() + 1) == len(others)
    assert sorted(inbox.iterdir()) == finals
