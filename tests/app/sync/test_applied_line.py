"""The sync report says in the words of each kind what an applied bundle did."""

from datetime import UTC, datetime

from app.bundle.records import (
    DIRECTORY,
    TRANSFER,
    TRANSFER_ANSWER,
    AuditHead,
    BundleContent,
    Sender,
)
from app.sync.inbox import applied_line

SENDER = Sender("a" * 32, "K7Q2", "Lotse K7Q2", "Katharina Nowak", "DO", "b" * 64)


def _content(kind: str, **body: object) -> BundleContent:
    return BundleContent(kind, "c" * 32, datetime(2026, 12, 5, tzinfo=UTC), SENDER,
                         AuditHead(1, "0" * 64), body=body)


def test_an_offer_is_not_reported_as_zero_records() -> None:
    line = applied_line(_content(TRANSFER), 0, 0)
    assert "Übergabeangebot" in line and "0" not in line


def test_the_answer_to_an_offer_says_accepted_or_declined() -> None:
    assert "angenommen" in applied_line(_content(TRANSFER_ANSWER, answer="accepted"), 0, 0)
    assert "abgelehnt" in applied_line(_content(TRANSFER_ANSWER, answer="declined"), 0, 0)


def test_records_and_conflicts_are_counted_in_proper_german() -> None:
    assert applied_line(_content(DIRECTORY), 1, 0) == "Übernommen: 1 Datensatz."
    assert applied_line(_content(DIRECTORY), 430, 0) == "Übernommen: 430 Datensätze."
    assert (applied_line(_content(DIRECTORY), 2, 1)
            == "Übernommen: 2 Datensätze, 1 Konflikt zu klären.")
