"""The desktop and the CLI switch core dumps off before any secret exists, and on Linux make
the process unreadable for other processes of the same user (not dumpable)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

REPORT = ("import ctypes, resource; "
          "print(*resource.getrlimit(resource.RLIMIT_CORE), "
          "ctypes.CDLL(None).prctl(3, 0, 0, 0, 0))")  # 3: PR_GET_DUMPABLE


def allow_core_dumps() -> None:
    """As a shell with ``ulimit -c unlimited`` would start us: the guard must undo it."""
    resource.setrlimit(resource.RLIMIT_CORE, (1 << 30, resource.RLIM_INFINITY))


def run_and_report(code: str, tmp_path: Path) -> list[int]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
    env.update(QT_QPA_PLATFORM="offscreen", LOTSE_EXIT_AFTER_SHOW="1",
               XDG_CONFIG_HOME=str(tmp_path / "config"), TMPDIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", f"{code}; {REPORT}"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120,
                          preexec_fn=allow_core_dumps)  # POSIX only, as the test
    assert done.returncode == 0, done.stderr
    return [int(v) for v in done.stdout.strip().splitlines()[-1].split()]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux only")
def test_cli_and_desktop_start_without_core_dumps(tmp_path: Path) -> None:
    assert run_and_report("pass", tmp_path) == [1 << 30, resource.RLIM_INFINITY, 1], \
        "without the guard a process may dump core and be read"
    cli = "from app.cli.main import main; main(['--help'])"
    assert run_and_report(cli, tmp_path) == [0, 0, 0]
    desktop = f"from ui.desktop import run; run(['--vault', {str(tmp_path / 'v')!r}])"
    assert run_and_report(desktop, tmp_path) == [0, 0, 0]
