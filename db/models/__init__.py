"""All ORM models. Importing this package makes ``Base.metadata`` complete (migrations, tests)."""

from db.base import Base
from db.models.attachments import Attachment
from db.models.audit import AuditLog
from db.models.cases import PHASES, CaseFile, PhaseTransition
from db.models.catalogue import CatalogueEntry
from db.models.certificates import Certificate, CertificateTemplate
from db.models.conferences import (
    CONFERENCE_STATUSES,
    Conference,
    ConferenceAgendaItem,
    ConferenceAmendment,
    ConferenceDecision,
    ConferenceDistribution,
    ConferenceParticipant,
)
from db.models.consent import Consent, ConsentScope, Disclosure, LegalBasis
from db.models.gaps import SystemGap, SystemGapCase
from db.models.institutions import Contact, CooperationAgreement, CooperationParty, Institution
from db.models.journal import JournalEntry, Task
from db.models.local import (
    DeviceIdentity,
    IssuerKey,
    NumberSequence,
    RevocationList,
    SyncKey,
    TrustedKey,
    VaultMeta,
)
from db.models.people import WORK_PERMISSIONS, Household, Person, ResidenceStatus
from db.models.plan import ATTAINMENTS, Assessment, Goal, Measure, Referral
from db.models.staff import CaseManager, TrainingRecord
from db.models.sync_state import (
    BundleReceipt,
    InboxBundle,
    OutboxBundle,
    PeerDevice,
    SentRefusal,
    ShareGrant,
    ShareSeen,
    SyncConflict,
    SyncCursor,
)

__all__ = [
    "ATTAINMENTS",
    "CONFERENCE_STATUSES",
    "PHASES",
    "WORK_PERMISSIONS",
    "Assessment",
    "Attachment",
    "AuditLog",
    "Base",
    "BundleReceipt",
    "CaseFile",
    "CaseManager",
    "CatalogueEntry",
    "Certificate",
    "CertificateTemplate",
    "Conference",
    "ConferenceAgendaItem",
    "ConferenceAmendment",
    "ConferenceDecision",
    "ConferenceDistribution",
    "ConferenceParticipant",
    "Consent",
    "ConsentScope",
    "Contact",
    "CooperationAgreement",
    "CooperationParty",
    "DeviceIdentity",
    "Disclosure",
    "Goal",
    "Household",
    "InboxBundle",
    "Institution",
    "IssuerKey",
    "JournalEntry",
    "LegalBasis",
    "Measure",
    "NumberSequence",
    "OutboxBundle",
    "PeerDevice",
    "Person",
    "PhaseTransition",
    "Referral",
    "ResidenceStatus",
    "RevocationList",
    "SentRefusal",
    "ShareGrant",
    "ShareSeen",
    "SyncConflict",
    "SyncCursor",
    "SyncKey",
    "SystemGap",
    "SystemGapCase",
    "Task",
    "TrainingRecord",
    "TrustedKey",
    "VaultMeta",
]
