"""``lotse share-case``, ``lotse transfer`` and ``lotse transfers`` as subprocesses on two real
vaults sharing a temp folder: JSON shapes and exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import run_cli
from tests.support.handover_world import close_desks, full_case, make_desks

GRANT_KEYS = {"id", "case_uuid", "case_number", "peer_fingerprint", "peer_name", "kind",
              "direction", "state", "since", "until", "last_sent_at"}


def _json(result: Any) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_share_case_and_transfer_from_the_command_line(tmp_path: Path) -> None:
    desks = make_desks(tmp_path, "AB")
    a, b = desks["A"], desks["B"]
    number = full_case(a)
    second = full_case(a, family="Zweiter")
    fp_b = b.fingerprint
    close_desks(desks)  # the CLI opens the vaults itself

    shared = _json(run_cli("share-case", number, "--with", fp_b, "--until", "18.12.2026",
                           "--json", vault=a.folder))
    assert set(shared) == GRANT_KEYS
    assert (shared["kind"], shared["direction"], shared["state"], shared["until"],
            shared["case_number"], shared["peer_fingerprint"]) == \
        ("deputy", "out", "active", "2026-12-18", number, fp_b)
    listing = _json(run_cli("transfers", "--json", vault=a.folder))
    assert listing == {"offers": [], "grants": [shared]}
    ended = _json(run_cli("share-case", "end", str(shared["id"]), "--json", vault=a.folder))
    assert ended["state"] == "ended"
    again = run_cli("share-case", "end", str(shared["id"]), vault=a.folder)
    assert again.returncode == 2 and "not active" in again.stderr
    assert run_cli("share-case", number, vault=a.folder).returncode == 1  # --with missing
    assert run_cli("share-case", "DO-2026-NONE-0001", "--with", fp_b,
                   vault=a.folder).returncode == 1  # no such case
    assert run_cli("share-case", number, "--with", fp_b, "--until", "morgen",
                   vault=a.folder).returncode == 1  # not a date

    offered = _json(run_cli("transfer", second, "--to", fp_b, "--note", "Umzug", "--json",
                            vault=a.folder))
    assert set(offered) == GRANT_KEYS
    assert (offered["kind"], offered["direction"], offered["state"]) == \
        ("transfer", "out", "offered")
    assert run_cli("sync", vault=a.folder).returncode == 0
    assert run_cli("sync", vault=b.folder).returncode == 0
    waiting = _json(run_cli("transfers", "--json", vault=b.folder))
    assert [(o["kind"], o["direction"], o["state"], o["case_number"]) for o in
            waiting["offers"]] == [("transfer", "in", "offered", second)]
    offer_id = str(waiting["offers"][0]["id"])
    accepted = _json(run_cli("transfer", "accept", offer_id, "--json", vault=b.folder))
    assert (accepted["state"], accepted["case_number"]) == ("accepted", second)
    assert run_cli("transfer", "accept", "x1", vault=b.folder).returncode == 1
    assert run_cli("transfer", "accept", offer_id, "--to", fp_b, vault=b.folder).returncode == 1
