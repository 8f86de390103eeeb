"""One export + import round of the 10,000-case share bundle in a process of its own, with
SQLCipher's ``cipher_memory_security`` on (as Lotse runs), off, or on with a larger SQLite
lookaside (``tests.benchmarks.lookaside``), for the decision it needs: the setting is
process-wide and one-way, so each mode gets a fresh process.

usage: python -m tests.benchmarks.share_memory_child on|off|lookaside FOLDER
Prints one JSON line: seconds for export (rows + seal) and import (open + apply), and the floors
under both (``tests.benchmarks.share_floor``) in the same mode.
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from tests.benchmarks.lookaside import enlarge_lookaside
from tests.benchmarks.memory_security_child import _without_memory_security


def main() -> None:
    mode, folder = sys.argv[1], Path(sys.argv[2])
    if mode == "off":
        _without_memory_security()
    elif mode == "lookaside":
        enlarge_lookaside()
    from app.bundle.records import TRANSFER, AuditHead, BundleContent, Recipient
    from app.bundle.writer import seal_bundle
    from app.sync.keys import own_card, own_keys
    from tests.benchmarks.share_floor import export_floor, import_floor
    from tests.benchmarks.share_store import (
        as_trusted_sender,
        fresh_recipient,
        open_source,
        plain_copy,
    )
    from tests.benchmarks.stores import open_store
    from tests.benchmarks.test_share_bundles import _open_apply, all_rows

    source = open_source()
    recipient = open_store("encrypted", fresh_recipient(folder / "recipient"))
    try:
        with source.session() as s:
            sender_keys, card = own_keys(s, source), own_card(s, source)
        with recipient.session() as s:
            own, rcard = own_keys(s, recipient), own_card(s, recipient)
        sender, lookup = as_trusted_sender(card)
        start = time.perf_counter()
        encoded = all_rows(source)
        content = BundleContent(kind=TRANSFER, bundle_uuid=uuid.uuid4().hex,
                                created_at=datetime.now(UTC), sender=sender,
                                audit_head=AuditHead(0, "0" * 64))
        data = seal_bundle(content, sender_keys,
                           [Recipient(rcard.fingerprint, rcard.agreement_public)], rows=encoded)
        exported = time.perf_counter() - start
        start = time.perf_counter()
        _open_apply(recipient, data, own, lookup)
        imported = time.perf_counter() - start
        floor_export, _ = export_floor(source)
        floor_vault = open_store("encrypted", fresh_recipient(folder / "floor"))
        try:
            floor_import, _ = import_floor(floor_vault, plain_copy(source))
        finally:
            floor_vault.lock()
    finally:
        recipient.lock()
        source.lock()
    print(json.dumps({"export (rows + seal)": exported, "import (open + apply)": imported,
                      "export floor": floor_export, "import floor (SQLite alone)": floor_import}))


if __name__ == "__main__":
    main()
