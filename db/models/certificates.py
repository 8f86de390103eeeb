"""Register of issued certificates (clients' confirmations and staff training) and the templates
they are printed from."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, SyncMixin


class Certificate(SyncMixin, Base):
    """One issued certificate; once issued its content never changes (triggers of 0009).

    ``payload`` is the document as printed (template texts filled in), so a reprint is the same
    document; ``signature`` the seal of the original as printed in its QR code ("LT1:" +
    Base45 of the COSE_Sign1, ES256 by the issuing vault's key ``key_id``), ASCII.
    kind: participation / counselling / attendance / … (template kinds) / training.
    """

    __tablename__ = "certificate"
    __tombstone_keeps__ = frozenset({"serial"})  # unique: a serial is never handed out twice

    kind: Mapped[str]
    # Same offline-unique scheme as case numbers (municipality, year, vault code, sequence).
    serial: Mapped[str] = mapped_column(String(40), unique=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_manager.id", ondelete="SET NULL"), index=True
    )
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_file.id", ondelete="SET NULL"), index=True
    )
    issued_on: Mapped[date]
    issued_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_manager.id", ondelete="SET NULL"), index=True
    )
    payload: Mapped[dict[str, Any]]
    # Short check code for the phone (a register look-up, not a signature).
    verification_code: Mapped[str] = mapped_column(String(64), index=True)
    signature: Mapped[bytes] = mapped_column(LargeBinary)  # the original's QR text, ASCII
    signer_public: Mapped[bytes] = mapped_column(LargeBinary)  # P-256, SEC1 compressed
    revoked_on: Mapped[date | None]
    revoke_reason: Mapped[str | None]
    # 0009:
    template_key: Mapped[str | None]  # client certificates: the template it was printed from
    key_id: Mapped[str | None] = mapped_column(String(16))  # hex kid of the signing key
    copies: Mapped[int] = mapped_column(default=0)  # Zweitschriften printed so far
    last_copy_on: Mapped[date | None]
    # None: handed to the person (their own data); else sent to this institution (consent gate).
    # (No ON DELETE: SQLite adds a column with a plain REFERENCES only; institutions are
    # tombstoned, never deleted.)
    recipient_institution_id: Mapped[int | None] = mapped_column(
        ForeignKey("institution.id"), index=True
    )


class CertificateTemplate(SyncMixin, Base):
    """A team's version of a certificate template; the defaults are declared in
    ``resources/certificates/``. ``body``: text blocks with placeholders and the fields asked
    at issuance (validated by app.services.certificates.templates before it is stored)."""

    __tablename__ = "certificate_template"
    __tombstone_keeps__ = frozenset({"key"})

    key: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str]
    title: Mapped[str]
    body: Mapped[dict[str, Any]]
    active: Mapped[bool] = mapped_column(default=True)
