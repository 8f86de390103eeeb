"""The CLI of issue 12 through a real subprocess: share set, devices (+ trust, distrust,
countersign), sync --json, import, export --kind directory, conflicts; exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from app.errors import EXIT_OK, EXIT_REFUSED
from app.services.devices.write import distrust
from app.services.sync.write import export_directory
from tests.conftest import run_cli
from tests.support.sync_world import (
    add_place,
    befriend,
    close,
    institution,
    make_office,
    meet,
    sync,
)

ITEM_KEYS = {"file", "kind", "sender", "sender_fingerprint", "reason", "message", "rows",
             "conflicts"}


def test_cli_round_trip(tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    a = make_office(tmp_path, "AAAA", "Katharina Nowak", "DO", share)
    b = make_office(tmp_path, "BBBB", "Jonas Brandt", "BI", share)
    place = add_place(b, "Jobcenter Bielefeld")
    meet(a, b)  # cards exchanged in-process: every CLI call costs a process start and unlock
    close(a, b)

    res = run_cli("share", "set", str(tmp_path / "missing"), vault=a.folder)
    assert res.returncode == EXIT_REFUSED and "does not exist" in res.stderr
    res = run_cli("share", "set", str(share), vault=a.folder)
    assert res.returncode == EXIT_OK, res.stderr

    res = run_cli("devices", "--json", vault=a.folder)
    assert res.returncode == EXIT_OK, res.stderr
    listed = json.loads(res.stdout)
    assert [d["own"] for d in listed] == [True, False]
    assert listed[0]["fingerprint"] == a.fingerprint
    assert (listed[1]["fingerprint"], listed[1]["trust"]) == (b.fingerprint, "unknown")
    assert listed[1]["holder_name"] == "Jonas Brandt"

    res = run_cli("devices", "trust", b.fingerprint[:-4], vault=a.folder)  # not the whole one
    assert res.returncode == EXIT_REFUSED and "fingerprint" in res.stderr
    res = run_cli("devices", "countersign", b.fingerprint, vault=a.folder)
    assert res.returncode == EXIT_REFUSED and "coordination" in res.stderr

    res = run_cli("devices", "trust", a.fingerprint.upper(), vault=b.folder)
    assert res.returncode == EXIT_OK, res.stderr
    res = run_cli("export", "--kind", "directory", vault=b.folder)
    assert res.returncode == EXIT_OK and "outbox" in res.stdout, res.stderr
    res = run_cli("sync", vault=b.folder)
    assert res.returncode == EXIT_OK and "1 sent" in res.stdout, res.stderr

    res = run_cli("sync", "--json", vault=a.folder)  # A has not confirmed B: it waits
    report = json.loads(res.stdout)
    assert {"sent", "applied", "skipped", "waiting", "rejected"} <= set(report)
    [waiting] = report["waiting"]
    assert set(waiting) == ITEM_KEYS
    assert (waiting["kind"], waiting["reason"], waiting["sender_fingerprint"]) == (
        "directory", "sender_untrusted", b.fingerprint)
    assert "Fingerabdruck" in waiting["message"]

    res = run_cli("devices", "trust", b.fingerprint, "--json", vault=a.folder)
    assert res.returncode == EXIT_OK and json.loads(res.stdout)["trust"] == "trusted"
    res = run_cli("sync", "--json", vault=a.folder)
    [applied] = json.loads(res.stdout)["applied"]
    assert (applied["kind"], applied["rows"], applied["reason"]) == ("directory", 1, None)

    res = run_cli("conflicts", "--json", vault=a.folder)
    assert res.returncode == EXIT_OK and json.loads(res.stdout) == []
    res = run_cli("conflicts", "resolve", "999", "--take", "mine", vault=a.folder)
    assert res.returncode != EXIT_OK

    junk = tmp_path / "junk.lbundle"
    junk.write_bytes(b"not a bundle at all" * 10)
    res = run_cli("import", str(junk), "--json", vault=a.folder)
    assert res.returncode == EXIT_REFUSED
    [rejected] = json.loads(res.stdout)["rejected"]
    assert rejected["reason"] == "not_a_bundle"

    res = run_cli("devices", "distrust", b.fingerprint, vault=a.folder)
    assert res.returncode == EXIT_OK and "distrusted" in res.stdout

    share.rename(tmp_path / "away")
    res = run_cli("sync", "--json", vault=a.folder)
    assert res.returncode == EXIT_REFUSED and json.loads(res.stdout)["share_reachable"] is False
    a2 = make_office(tmp_path / "check", "AAAA", "Katharina Nowak", "DO")
    assert institution(a2, place) is None  # a fresh copy knows nothing of B's directory
    close(a2)


def test_cli_sync_reports_an_own_bundle_a_recipient_refused(tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    a = make_office(tmp_path, "AAAA", "Katharina Nowak", "DO", share)
    b = make_office(tmp_path, "BBBB", "Jonas Brandt", "BI", share)
    befriend(a, b)
    add_place(b, "Jobcenter Bielefeld")
    assert export_directory(b.vault) is not None
    sync(b)
    distrust(a.vault, b.fingerprint)
    assert [o.reason for o in sync(a).rejected] == ["sender_distrusted"]
    close(a, b)

    res = run_cli("sync", "--json", vault=b.folder)
    assert res.returncode == EXIT_OK, res.stderr
    [refused] = json.loads(res.stdout)["refused"]
    assert refused == {"kind": "directory", "recipient": "Katharina Nowak (DO)",
                       "recipient_fingerprint": a.fingerprint, "reason": "sender_distrusted",
                       "message": refused["message"]}
    assert refused["message"].startswith("Abgelehnt von Katharina Nowak")
    res = run_cli("sync", vault=b.folder)  # told once
    assert res.returncode == EXIT_OK and "0 refused" in res.stdout, res.stdout
