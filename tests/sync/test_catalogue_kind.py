"""Catalogue and toolkit updates between real vaults: the coordination office's bundle brings a
new status kind, a template, its issuer key and revocation list to a casework vault; the same
kind of bundle from a casework vault is refused."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.bundle.records import CATALOGUE
from app.errors import ValidationFailed
from app.seal.records import REVOKED, VALID
from app.services.audit.read import describe
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.certificates.records import IssueRequest
from app.services.certificates.write import issue_certificate, revoke_certificate
from app.services.steering.write import export_catalogue
from app.services.templates.read import template
from app.services.templates.write import save_template
from app.services.verification.read import verify_qr_text
from app.sync import outbox
from app.sync.roles import COORDINATION
from db.models import AuditLog, CatalogueEntry, RevocationList, TrustedKey
from db.replica import images_of
from tests.support.sync_world import Office, befriend, close, make_office, sync

COURSE = {"massnahme": "Integrationskurs B1", "traeger": "VHS Dortmund",
          "von": "01.03.2026", "bis": "30.09.2026", "umfang": "600"}
NEW_KIND = {"code": "aufenthaltserlaubnis_16g", "label": "Aufenthaltserlaubnis § 16g"}


@pytest.fixture(scope="module")
def offices(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Office]]:
    root = tmp_path_factory.mktemp("catalogue_kind")
    share = root / "share"
    share.mkdir()
    o = {"c": make_office(root, "KOST", "Koordinierungsstelle", "DO", share, role=COORDINATION),
         "a": make_office(root, "AAAA", "Katharina Nowak", "DO", share),
         "b": make_office(root, "BBBB", "Jonas Brandt", "DO", share)}
    befriend(*o.values())
    yield o
    close(*o.values())


def test_the_coordination_offices_update_is_applied(offices: dict[str, Office]) -> None:
    c, b = offices["c"], offices["b"]
    with c.vault.session() as s:
        s.add(CatalogueEntry(catalogue="residence_status_kinds", code=NEW_KIND["code"],
                             data=NEW_KIND))
    t = template(c.vault, "teilnahme")
    save_template(c.vault, dataclasses.replace(t, title="Teilnahmebestätigung (Koordinierung)"))
    case = create_case(c.vault, NewCase("Mariam", "Haidari", "DO", date_of_birth=date(1991, 3,
                                                                                      14)))
    cert = issue_certificate(c.vault, IssueRequest(case, "teilnahme", dict(COURSE)))
    assert verify_qr_text(b.vault, cert.document.qr_text).outcome != VALID  # key unknown to B
    c.clock.advance(timedelta(hours=1))
    revoke_certificate(c.vault, cert.serial, "Angaben falsch")
    export_catalogue(c.vault)
    sync(c)
    report = sync(b)
    assert [r.kind for r in report.applied] == [CATALOGUE]
    with b.vault.read_session() as s:
        entry = s.execute(select(CatalogueEntry).where(
            CatalogueEntry.code == NEW_KIND["code"])).scalar_one()
        assert entry.data == NEW_KIND
        trusted = s.execute(select(AuditLog.detail).where(AuditLog.kind == "key.trusted")).all()
        assert [d.detail.get("vouched_by") for d in trusted] == [c.fingerprint]
        assert describe("key.trusted", "trusted_key", trusted[0].detail)[1] \
            == "von der Koordinierungsstelle übermittelt"
    assert template(b.vault, "teilnahme").title == "Teilnahmebestätigung (Koordinierung)"
    verdict = verify_qr_text(b.vault, cert.document.qr_text)
    assert (verdict.outcome, verdict.revoke_reason) == (REVOKED, "Angaben falsch")


def test_an_older_list_never_replaces_the_newer_one(offices: dict[str, Office]) -> None:
    c, b = offices["c"], offices["b"]
    with b.vault.read_session() as s:
        held = s.execute(select(RevocationList.issued_at, RevocationList.data)).one()
    c.clock.advance(timedelta(hours=1))
    export_catalogue(c.vault)  # a newer list (same entries)
    sync(c)
    sync(b)
    with b.vault.read_session() as s:
        newer = s.execute(select(RevocationList.issued_at)).scalar_one()
    assert newer > held.issued_at
    # An old copy carried again (the first list, as a replayed body would) changes nothing.
    with c.vault.session() as s:
        outbox.enqueue(s, c.vault, CATALOGUE, [b.fingerprint], body={
            "issuer_cards": [], "revocation_lists": [[_issuer_fp(c), held.data]]})
    sync(c)
    assert [r.kind for r in sync(b).applied] == [CATALOGUE]
    with b.vault.read_session() as s:
        assert s.execute(select(RevocationList.issued_at)).scalar_one() == newer


def _issuer_fp(office: Office) -> str:
    with office.vault.read_session() as s:
        return s.execute(select(TrustedKey.fingerprint).where(TrustedKey.own.is_(True))
                         ).scalars().first() or ""


def test_a_catalogue_from_a_casework_vault_is_refused(offices: dict[str, Office]) -> None:
    a, b = offices["a"], offices["b"]
    with pytest.raises(ValidationFailed):
        export_catalogue(a.vault)
    with a.vault.session() as s:
        s.add(CatalogueEntry(catalogue="residence_status_kinds", code="forged", data={}))
        s.flush()
        rows = images_of(s, "catalogue_entry", s.execute(select(CatalogueEntry.uuid).where(
            CatalogueEntry.code == "forged")).scalars())
        outbox.enqueue(s, a.vault, CATALOGUE, [b.fingerprint], rows=rows, body={})
    sync(a)
    report = sync(b)
    assert [(r.kind, r.reason) for r in report.rejected] == [(CATALOGUE, "not_allowed")]
    with b.vault.read_session() as s:
        assert s.execute(select(CatalogueEntry).where(
            CatalogueEntry.code == "forged")).scalar() is None
