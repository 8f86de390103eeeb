"""A marker in every kind of record that travels is found in no byte and no name on the share.

Four real vaults (two case managers, the steering committee and the coordination office)
exchange every kind of bundle that exists (key cards, team directory, deputy share, case transfer
and its answer, steering report, catalogue update) through a temp folder as the share. The
marker sits in names, addresses, journal text, contacts, institutions, gap descriptions, goals,
tasks, attachments (file names and bytes), conference minutes… of a demo caseload, and in the
coordination office's catalogue entry, template title and revocation reason. After every sync
run every file and folder on the share is scanned for the marker as UTF-8, UTF-16 (both byte
orders), case-folded and search-folded. That the scan is not vacuous is shown at the other end:
the colleagues' vaults hold the marked records, decrypted.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import unicodedata
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.demo.generator import generate_demo
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.certificates.records import IssueRequest
from app.services.certificates.write import issue_certificate, revoke_certificate
from app.services.documents.write import add_attachment
from app.services.handover.read import offers
from app.services.handover.write import accept_offer, share_case, transfer_case
from app.services.steering.write import export_catalogue, export_report
from app.services.templates.read import template
from app.services.templates.write import save_template
from app.sync.roles import COORDINATION
from db.base import Base, SyncMixin
from db.folding import fold_search, fold_sort
from db.models import (
    Attachment,
    BundleReceipt,
    CaseFile,
    CatalogueEntry,
    OutboxBundle,
    Person,
)
from tests.support.sync_world import Office, befriend, close, make_office, sync

MARKER = "Zqx7Geheimnisträgerin"
# (table, column): where personal data or free text lives in the records that travel.
MARKED: dict[str, tuple[str, ...]] = {
    "person": ("given_names", "family_name", "birth_name", "place_of_birth", "phone", "email",
               "address_street", "address_city", "abh_file_number"),
    "case_file": ("handover_note", "indication", "client_feedback"),
    "household": ("label", "address_street", "address_city"),
    "journal_entry": ("text", "place"),
    "contact": ("name", "phone", "email"),
    "institution": ("name", "address_street", "address_city", "phone", "email", "note"),
    "cooperation_agreement": ("subject",),
    "system_gap": ("title", "description"),
    "assessment": ("resources", "needs", "client_view"),
    "goal": ("description", "indicator", "responsible", "attainment_note"),
    "measure": ("description", "responsible_text"),
    "task": ("title", "details", "assignee_text"),
    "referral": ("purpose", "outcome"),
    "residence_status": ("note",),
    "legal_basis": ("reason",),
    "consent": ("purpose",),
    "phase_transition": ("reason",),
    "training_record": ("note",),
    "attachment": ("filename", "content"),
    "conference": ("title", "place", "chair_text", "minute_taker_text"),
    "conference_participant": ("name",),
    "conference_agenda_item": ("state_of_affairs", "resources_goals", "disagreements"),
    "conference_decision": ("what", "who"),
    "conference_distribution": ("recipient_name",),
}


PER_TABLE = 40  # rows marked per table (the directory's catalogue holds hundreds)


def forms() -> list[bytes]:
    texts = {MARKER, MARKER.casefold(), MARKER.upper(), fold_search(MARKER), fold_sort(MARKER),
             unicodedata.normalize("NFD", MARKER)}
    found = set()
    for text in texts:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be", "latin-1"):
            with contextlib.suppress(UnicodeEncodeError):
                found.add(text.encode(encoding))
    return sorted(found)


FORMS = forms()


def model_of(table: str) -> Any:
    return next(m.class_ for m in Base.registry.mappers
                if getattr(m.class_, "__tablename__", None) == table)


def _mark_rows(s: Session, model: Any, ids: list[int], columns: tuple[str, ...]) -> None:
    for row_id in ids:
        row = s.get(model, row_id)
        for column in columns:
            value = getattr(row, column)
            if isinstance(value, bytes) or column == "content":
                new: Any = (value or b"") + MARKER.encode() + b"%d" % row_id
            else:
                new = f"{value or ''} {MARKER} {row_id}".strip()
            setattr(row, column, new)
    s.flush()


def mark(office: Office) -> dict[str, int]:
    """Put the marker into every MARKED column of every row of ``office`` (through the ORM, so
    the rows are stamped as changed like any edit); returns rows marked per table. A row the
    store refuses to change (approved minutes are immutable) keeps its text."""
    marked: dict[str, int] = {}
    with office.vault.session() as s:
        for table, columns in MARKED.items():
            model = model_of(table)
            assert issubclass(model, SyncMixin)
            ids = list(s.execute(select(model.id).order_by(model.id)  # type: ignore[attr-defined]
                                 .limit(PER_TABLE)).scalars())
            try:
                with s.begin_nested():  # a whole table at once, row by row if it refuses one
                    _mark_rows(s, model, ids, columns)
                marked[table] = len(ids)
                continue
            except IntegrityError:
                pass
            for row_id in ids:
                try:
                    with s.begin_nested():
                        _mark_rows(s, model, [row_id], columns)
                except IntegrityError:
                    continue
                marked[table] = marked.get(table, 0) + 1
    return marked


def scan(share: Path) -> list[str]:
    """Every place on the share where a form of the marker shows: a name or a file's bytes."""
    hits = []
    for folder, dirs, files in os.walk(share):
        for name in dirs + files:
            if any(f in name.encode("utf-8") for f in FORMS) or MARKER.casefold() in \
                    name.casefold():
                hits.append(f"name {name}")
        for name in files:
            data = (Path(folder) / name).read_bytes()
            hits += [f"bytes of {name}" for f in FORMS if f in data][:1]
    return hits


def mark_catalogue(office: Office) -> None:
    """The coordination office's update carries the marker in a status kind, a template title
    and the reason of a revoked certificate (whose holder is a marked person too)."""
    with office.vault.session() as s:
        s.add(CatalogueEntry(catalogue="residence_status_kinds", code="marker_kind",
                             data={"code": "marker_kind", "label": f"Status {MARKER}"}))
    t = template(office.vault, "teilnahme")
    save_template(office.vault, dataclasses.replace(t, title=f"Teilnahme {MARKER}"))
    case = create_case(office.vault, NewCase(MARKER, "Haidari", "DO"))
    cert = issue_certificate(office.vault, IssueRequest(case, "teilnahme", {
        "massnahme": "Integrationskurs B1", "traeger": "VHS Dortmund", "von": "01.03.2026",
        "bis": "30.09.2026", "umfang": "600"}))
    office.clock.advance(timedelta(hours=1))
    revoke_certificate(office.vault, cert.serial, f"Angaben falsch {MARKER}")
    export_catalogue(office.vault)


def test_marker_never_on_the_share(tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    anna = make_office(tmp_path, "ANNA", "Anna Albers", share=share)
    kai = make_office(tmp_path, "KAI0", "Kai Nowak", share=share)
    board = make_office(tmp_path, "BORD", "Lenkungskreis", share=share, role="steering")
    office = make_office(tmp_path, "KOST", "Koordinierungsstelle", share=share,
                         role=COORDINATION)
    offices = (anna, kai, board, office)
    seen_files: set[str] = set()
    try:
        befriend(*offices)
        generate_demo(anna.vault, 4, seed=7)
        with anna.vault.read_session() as s:
            cases = list(s.execute(select(CaseFile.uuid).where(CaseFile.deleted.is_(False))
                                   .order_by(CaseFile.id)).scalars())
        for case in cases[:2]:  # the demo makes no documents: one for each case that travels
            add_attachment(anna.vault, "case_file", case, "pass.pdf", "application/pdf",
                           b"%PDF-1.4\n" + bytes(range(256)) * 8)
        marked = mark(anna)
        share_case(anna.vault, cases[0], kai.fingerprint)
        transfer_case(anna.vault, cases[1], kai.fingerprint, note=f"Übergabe {MARKER}")
        export_report(anna.vault, date(2024, 1, 1), date(2026, 11, 30))
        mark_catalogue(office)

        def run(office: Office) -> None:
            sync(office)
            hits = scan(share)
            assert hits == [], hits
            seen_files.update(str(p.relative_to(share)) for p in share.rglob("*") if p.is_file())

        run(office)  # cards, the catalogue update
        run(anna)  # cards, directory, deputy, transfer, steering go out
        run(kai)
        run(board)
        for offer in offers(kai.vault):
            accept_offer(kai.vault, offer.id)
        run(kai)  # the transfer answer goes back
        run(anna)
        # Not vacuous: every kind was written and applied (a sent bundle leaves the outbox once
        # its recipients acknowledged it; the receipt stays), and the marked records arrived.
        kinds = set()
        for office in offices:
            with office.vault.read_session() as s:
                kinds |= set(s.execute(select(OutboxBundle.kind)).scalars())
                kinds |= set(s.execute(select(BundleReceipt.kind)).scalars())
        assert {"directory", "deputy", "transfer", "transfer_answer", "steering",
                "catalogue"} <= kinds, kinds
        assert sum(1 for f in seen_files if f.startswith("cards")) == 4
        with kai.vault.read_session() as s:
            names = list(s.execute(select(Person.family_name)).scalars())
            documents = list(s.execute(select(Attachment.content)).scalars())
        assert any(MARKER in (n or "") for n in names)
        assert any(MARKER.encode() in (d or b"") for d in documents)
        with anna.vault.read_session() as s:
            labels = [e.data.get("label", "") for e in s.execute(select(CatalogueEntry)
                      .where(CatalogueEntry.code == "marker_kind")).scalars()]
        assert any(MARKER in label for label in labels)
        assert MARKER in template(anna.vault, "teilnahme").title
        assert marked.keys() >= {"person", "journal_entry", "contact", "institution",
                                 "system_gap", "attachment"}, marked
    finally:
        close(*offices)
