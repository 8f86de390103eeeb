"""Start the real desktop in a child process (tests/support/desktop_child.py); read its reports."""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

CHILD_TIMEOUT = 180


def child_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
    private = tmp_path / "tmp"
    private.mkdir(exist_ok=True)
    env.update(QT_QPA_PLATFORM="offscreen", TMPDIR=str(private),
               XDG_CONFIG_HOME=str(tmp_path / "config"), PYTHONDONTWRITEBYTECODE="1")
    return env


def start_child(mode: str, folder: Path, case_id: int, passphrase: str,
                tmp_path: Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """The passphrase goes over a pipe: argv and the environment would stay in its memory."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.support.desktop_child", mode, str(folder), str(case_id)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=ROOT, env={**child_env(tmp_path), **(env or {})})
    assert proc.stdin is not None
    proc.stdin.write(passphrase + "\n")
    proc.stdin.close()
    return proc


def wait_for_line(proc: subprocess.Popen[str]) -> str:
    """The child's next report; kills it (and fails) when none comes in time."""
    assert proc.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    if not selector.select(CHILD_TIMEOUT):
        proc.kill()
        raise AssertionError("the desktop child did not report in time")
    return proc.stdout.readline().strip()
