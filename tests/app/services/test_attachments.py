"""Documents live inside the encrypted store: never as plaintext on disk, reads audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.errors import ValidationFailed
from app.services.cases.read import get_case
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.documents.read import list_attachments, read_attachment
from app.services.documents.write import add_attachment
from app.vault.store import Vault
from db.models import AuditLog

PDF = b"%PDF-1.4\n% Einwilligung Schweigepflichtentbindung KENNUNG-4711-GEHEIM\n%%EOF\n"


def test_scanned_form_round_trip_stays_encrypted(vault: Vault, vault_dir: Path) -> None:
    cid = create_case(vault, NewCase("Fatima", "Haidari", "DO"))
    owner = get_case(vault, cid).uuid
    uuid = add_attachment(vault, "case_file", owner, "C:\\Scans\\..\\einwilligung.pdf",
                          "application/pdf", PDF)
    [info] = list_attachments(vault, owner)
    assert info.filename == "einwilligung.pdf" and info.size == len(PDF)
    got_info, content = read_attachment(vault, uuid)
    assert content == PDF and got_info.sha256 == info.sha256
    for f in vault_dir.iterdir():
        assert b"KENNUNG-4711-GEHEIM" not in f.read_bytes(), f.name
    with vault.session() as s:
        kinds = s.execute(select(AuditLog.kind).where(AuditLog.object_uuid == uuid)).scalars()
        assert list(kinds) == ["record.created", "record.read"]


@pytest.mark.parametrize(("media", "content"), [("application/x-msdownload", PDF),
                                                 ("application/pdf", b"")])
def test_unsupported_or_empty_documents_are_refused(vault: Vault, media: str,
                                                    content: bytes) -> None:
    cid = create_case(vault, NewCase("Fatima", "Haidari", "DO"))
    with pytest.raises(ValidationFailed):
        add_attachment(vault, "case_file", get_case(vault, cid).uuid, "x", media, content)
