"""A save that committed is reported as saved, even when the audit anchor cannot be written
right after it (read-only or full medium, an I/O error, a busy vault): the anchor catches up at
the next commit or unlock, exactly as after a crash at that moment. A save that is reported as
failed has saved nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.vault.anchor import AnchorFile
from app.vault.store import ANCHOR_NAME, Vault
from tests.conftest import PASSPHRASE, ROOT, run_cli
from tests.support.disk_faults import read_only_file

# "mount": the anchor's medium really is read-only (bind mount), where the machine lets the
# test mount; everywhere else both runs use the child's failing file layer.
LAYERS = ("mount", "layer")


def _child(vault_dir: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
    env["LOTSE_PASSPHRASE"] = PASSPHRASE
    return subprocess.Popen([sys.executable, "-m", "tests.support.anchor_fault_child",
                             str(vault_dir)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)


@pytest.mark.parametrize("layer", LAYERS)
def test_a_save_whose_anchor_append_fails_is_saved_once_and_anchored_at_the_next_unlock(
        vault: Vault, vault_dir: Path, layer: str) -> None:
    vault.lock()
    anchor = AnchorFile(vault_dir / ANCHOR_NAME)
    child = _child(vault_dir)
    assert child.stdout is not None and child.stdin is not None
    assert child.stdout.readline() == "open\n", child.stderr.read() if child.stderr else ""
    with read_only_file(vault_dir / ANCHOR_NAME) as mounted:
        used = "mount" if layer == "mount" and mounted else "layer"
        out, err = child.communicate(used + "\n", timeout=120)
        anchored_meanwhile = anchor.head().last_seq
    assert child.returncode == 0, err
    assert "Traceback" not in err
    result = json.loads(out.splitlines()[-1])

    # The first save committed: the person is told it was saved (not to enter it again).
    assert "id" in result["first"], result
    # The next save needs the anchor's earlier tail first and cannot write it: it is refused as
    # a storage fault before anything is committed.
    assert result["second"] == {"error": "StorageFailure", "exit": 4}, result
    assert anchored_meanwhile < result["last_seq"]  # the first save's entries: not anchored

    listed = run_cli("cases", "--json", vault=vault_dir)
    assert listed.returncode == 0, listed.stderr
    assert "ALARM" not in listed.stderr
    assert [c["id"] for c in json.loads(listed.stdout)] == [result["first"]["id"]]
    # That unlock anchored the tail the failed append left, as after a crash.
    assert anchor.head().last_seq > result["last_seq"]
    check = run_cli("check", vault=vault_dir)
    assert check.returncode == 0, check.stdout
