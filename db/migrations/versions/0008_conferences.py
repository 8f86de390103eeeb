"""Case conferences as issue 10 needs them, and approved minutes that the store keeps unchanged.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04

- ``conference_participant.contact_id`` (the directory contact picked) and ``language`` (an
  interpreter's language).
- ``conference_agenda_item.data_categories``: the categories to be discussed per case, which the
  consent gate decides on.
- ``conference_decision.who_institution_id``: "who" may be an institution of the directory.
- ``conference_amendment.author_text``.
- Triggers: once ``conference.minutes_locked`` is set (approval), the conference, its
  participants, agenda items and decisions, and the distribution list can no longer be changed,
  added to or deleted — by any code or by hand-written SQL, as the audit log is kept append-only.
  Only numbered amendments may be added, and only to approved minutes; an amendment is never
  changed or deleted. A distribution row may still get its ``sent_on`` (sending follows
  approval), and a decision its ``task_id`` (a task is the case's, not the minutes').
  The one change left is erasure: a row may become a tombstone (``deleted`` 0 → 1), because
  minutes too must go when their retention period ends (Art. 17 GDPR); that is audited by the
  service that does it. Rows are never removed by DELETE.

Only nullable columns (and one with a default) are added: no data step. Frozen like every revision.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

IMMUTABLE = "approved minutes are immutable"
ERASING = "(OLD.deleted = 0 AND NEW.deleted = 1)"  # becoming a tombstone
LOCKED = "(SELECT minutes_locked FROM conference WHERE id = {row}.conference_id) = 1"
DECISION_LOCKED = (
    "(SELECT c.minutes_locked FROM conference AS c JOIN conference_agenda_item AS a "
    "ON a.conference_id = c.id WHERE a.id = {row}.agenda_item_id) = 1")
# Every column of a decision but task_id: what the minutes say.
DECISION_CHANGED = " OR ".join(
    f"NEW.{c} IS NOT OLD.{c}" for c in
    ("agenda_item_id", "position", "what", "who", "who_institution_id", "by_when", "deleted"))
DISTRIBUTION_CHANGED = " OR ".join(
    f"NEW.{c} IS NOT OLD.{c}" for c in
    ("conference_id", "recipient_name", "institution_id", "pseudonymised", "deleted"))

TRIGGERS = {
    "conference_locked_no_update":
        f"BEFORE UPDATE ON conference WHEN OLD.minutes_locked = 1 AND NOT {ERASING}",
    "conference_locked_no_delete":
        "BEFORE DELETE ON conference WHEN OLD.minutes_locked = 1",
    **{f"{table}_locked_no_{verb}": f"BEFORE {verb.upper()} ON {table} WHEN {when}"
       for table in ("conference_participant", "conference_agenda_item")
       for verb, when in (
           ("insert", LOCKED.format(row="NEW")),
           ("update", f"({LOCKED.format(row='OLD')} OR {LOCKED.format(row='NEW')}) "
                      f"AND NOT {ERASING}"),
           ("delete", LOCKED.format(row="OLD")))},
    "conference_decision_locked_no_insert":
        f"BEFORE INSERT ON conference_decision WHEN {DECISION_LOCKED.format(row='NEW')}",
    "conference_decision_locked_no_update":
        f"BEFORE UPDATE ON conference_decision WHEN ({DECISION_LOCKED.format(row='OLD')} "
        f"OR {DECISION_LOCKED.format(row='NEW')}) AND ({DECISION_CHANGED}) AND NOT {ERASING}",
    "conference_decision_locked_no_delete":
        f"BEFORE DELETE ON conference_decision WHEN {DECISION_LOCKED.format(row='OLD')}",
    "conference_distribution_locked_no_insert":
        f"BEFORE INSERT ON conference_distribution WHEN {LOCKED.format(row='NEW')}",
    "conference_distribution_locked_no_update":
        f"BEFORE UPDATE ON conference_distribution WHEN ({LOCKED.format(row='OLD')} "
        f"OR {LOCKED.format(row='NEW')}) AND ({DISTRIBUTION_CHANGED}) AND NOT {ERASING}",
    "conference_distribution_locked_no_delete":
        f"BEFORE DELETE ON conference_distribution WHEN {LOCKED.format(row='OLD')}",
    "conference_amendment_only_when_approved":
        "BEFORE INSERT ON conference_amendment WHEN "
        "COALESCE((SELECT minutes_locked FROM conference WHERE id = NEW.conference_id), 0) = 0",
    "conference_amendment_no_update":
        f"BEFORE UPDATE ON conference_amendment WHEN NOT {ERASING}",
    "conference_amendment_no_delete": "BEFORE DELETE ON conference_amendment",
}
MESSAGES = {"conference_amendment_only_when_approved": "amendments only to approved minutes",
            "conference_amendment_no_update": "amendments are immutable",
            "conference_amendment_no_delete": "amendments are immutable"}


def upgrade() -> None:
    # Plain ADD COLUMN (no batch copy, which would drop and refill tables that tasks point
    # at): SQLite allows REFERENCES on an added NULL column, without an ON DELETE action.
    op.execute("ALTER TABLE conference_participant ADD COLUMN contact_id INTEGER "
               "CONSTRAINT fk_conference_participant_contact_id_contact "
               "REFERENCES contact (id)")
    op.create_index("ix_conference_participant_contact_id", "conference_participant",
                    ["contact_id"])
    op.add_column("conference_participant", sa.Column("language", sa.Text(), nullable=True))
    op.add_column("conference_agenda_item",
                  sa.Column("data_categories", sa.JSON(), nullable=False,
                            server_default=sa.text("'[]'")))
    op.execute("ALTER TABLE conference_decision ADD COLUMN who_institution_id INTEGER "
               "CONSTRAINT fk_conference_decision_who_institution_id_institution "
               "REFERENCES institution (id)")
    op.create_index("ix_conference_decision_who_institution_id", "conference_decision",
                    ["who_institution_id"])
    op.add_column("conference_amendment", sa.Column("author_text", sa.Text(), nullable=True))
    for name, when in TRIGGERS.items():
        message = MESSAGES.get(name, IMMUTABLE)
        op.execute(f"CREATE TRIGGER {name} {when} BEGIN "
                   f"SELECT RAISE(ABORT, '{message}'); END")


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index("ix_conference_decision_who_institution_id", "conference_decision")
    op.drop_index("ix_conference_participant_contact_id", "conference_participant")
    for table, column in (("conference_amendment", "author_text"),
                          ("conference_decision", "who_institution_id"),
                          ("conference_agenda_item", "data_categories"),
                          ("conference_participant", "language"),
                          ("conference_participant", "contact_id")):
        op.drop_column(table, column)
