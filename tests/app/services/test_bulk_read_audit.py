"""The summary event of a bulk read holds counts and filter names, and refuses anything else."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app import audit
from app.services.audit.write import audit_bulk_read, case_filter_names
from app.services.cases.records import CaseFilter
from app.vault.store import Vault
from db.models import AuditLog


def test_filters_are_named_never_valued(vault: Vault) -> None:
    flt = CaseFilter(phase="planning", municipality="DO", include_closed=False)
    assert case_filter_names(flt) == ["phase", "municipality", "include_closed"]
    assert case_filter_names(CaseFilter()) == []
    audit_bulk_read(vault, audit.Kind.CASES_LISTED, {"cases": 12},
                    filters=case_filter_names(flt))
    with vault.read_session() as s:
        last = s.execute(select(AuditLog).order_by(AuditLog.seq.desc())).scalars().first()
    assert last is not None and (last.kind, last.object_uuid) == ("cases.listed", None)
    assert last.detail == {"cases": 12, "filters": ["include_closed", "municipality", "phase"]}


@pytest.mark.parametrize(("kind", "counts", "filters", "export"), [
    (audit.Kind.CASE_READ, {"cases": 1}, (), None),  # not a bulk read
    (audit.Kind.SEARCH_RUN, {"Haidari": 1}, (), None),  # a name where a count belongs
    (audit.Kind.SEARCH_RUN, {"cases": -1}, (), None),
    (audit.Kind.CASES_LISTED, {"cases": 1}, ("Haidari",), None),  # a value as a filter
    (audit.Kind.CASES_LISTED, {"cases": 1}, ("phase",), "pdf"),
])
def test_anything_but_counts_and_filter_names_is_refused(
        vault: Vault, kind: str, counts: dict[str, int], filters: tuple[str, ...],
        export: str | None) -> None:
    with vault.read_session() as s:
        before = s.execute(select(AuditLog.seq).order_by(AuditLog.seq.desc())).scalar()
    with pytest.raises(ValueError, match=r"bulk read|export format"):
        audit_bulk_read(vault, kind, counts, filters=filters, export_format=export)
    with vault.read_session() as s:
        assert s.execute(select(AuditLog.seq).order_by(AuditLog.seq.desc())).scalar() == before
