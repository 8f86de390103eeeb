"""Application services, one package per domain, every package the same shape.

``app/services/<domain>/``:

- ``records.py`` — the frozen dataclasses the domain takes (``New…``) and returns (rows,
  views), and the codes with their German labels. Plain values: no session, no ORM object.
- ``read.py`` — functions ``(vault, …)`` that read and return records. A read that shows a
  person's case data writes its ``case.read`` audit entry here.
- ``write.py`` — functions ``(vault, …)`` that change the store (or put plaintext on disk,
  like an export), each in one transaction with its audit entries. Only where the domain writes.
- ``queries.py`` — optional: steps that take an open ``Session`` (a case by any reference, the
  follow-up rules, documentation checks), shared by the domain's reads and writes and used by
  other domains' services. The desktop never imports them (import-linter contract).

``editing.py`` beside the packages holds the steps every correcting write shares. The CLI and
the desktop call ``read``/``write`` only. A new capability is a new package of the same shape:
conferences in ``app/services/conferences/``, bundle export and import in
``app/services/bundles/`` (its file format beside ``app/backup_format.py``), with ``queries.py``
for what other domains need from it. ``tests/test_architecture.py`` checks the shape.

Domains: account (owner, passphrase, backups), audit (log, anchor, a case's history), cases
(case files, the case list, clients), consent (consents, legal bases, disclosures), directory
(institutions, contacts, agreements), documents, duplicates (existing cases that may be a new
client's), gaps (system-gap register), journal, phases, plan (assessment, goals, measures,
referrals), residence (statuses), search, staff, tasks (stored and computed follow-ups), today
(Heute).
"""
