"""Hand-made ``MinutesDocument`` records for the printing tests and the benchmark.

Fictional people of many origins, German text with umlauts, „Anführungszeichen“, § and €.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from app.services.conferences.records import (
    APPROVED,
    DRAFTED,
    FULL,
    PSEUDONYMISED,
    STATUS_LABELS,
    AmendmentDetail,
    MinutesCase,
    MinutesDecision,
    MinutesDocument,
    MinutesParticipant,
    MinutesRecipient,
)

PEOPLE = [
    ("Ayşe Yıldız", "Jobcenter Dortmund", "Fallmanagerin", "anwesend"),
    ("Łukasz Wróblewski", "Ausländerbehörde Dortmund", "Sachbearbeiter", "anwesend"),
    ("Nguyễn Thị Hương", "Caritas Migrationsberatung", "Beraterin", "entschuldigt"),
    ("Jürgen Müller-Lüdenscheidt", "Kommunales Integrationszentrum", "Case Manager", "anwesend"),
    ("Olena Kovalenko", "Jugendamt Dortmund", "ASD-Fachkraft", "anwesend"),
    ("Mamadou Diallo", "Agentur für Arbeit", "Berufsberater", "abwesend"),
    ("Søren Ødegård", "Volkshochschule Dortmund", "Kursleitung", "anwesend"),
    ("Fatma Şahin", "Gesundheitsamt", "Ärztin", "anwesend"),
    ("Zoë Brontë-Çelik", "Schulamt", "Schulsozialarbeiterin", "anwesend"),
    ("Dragan Petrović", "Wohnungsamt", "Sachbearbeiter", "entschuldigt"),
    ("Mariam Haidari", None, "Klientin", "anwesend"),
    ("Reza Ahmadi", None, "Dolmetscher (Dari)", "anwesend"),
]


def case(n: int, *, withheld: bool = False) -> MinutesCase:
    label = f"DO-2026-K7-{n:04d} – Haidari, Mariam" if n == 1 else f"DO-2026-K7-{n:04d} – K. {n}."
    if withheld:
        return MinutesCase(label=label, withheld=True)
    return MinutesCase(
        label=label, withheld=False,
        occasion=(f"Klärung der „Arbeitsmarktintegration“ nach § 16a SGB II; Fall {n}. "
                  "Frau Haidari möchte eine Ausbildung zur Pflegefachfrau beginnen, "
                  "die Kinderbetreuung für den Sohn (3 Jahre) ist ungeklärt."),
        categories=("Aufenthaltsstatus", "Sprachkenntnisse", "Gesundheit"),
        legal_basis="Schriftliche Einwilligung vom 02.10.2026 (Art. 6 Abs. 1 lit. a DSGVO)",
        state_of_affairs=(
            ("Jobcenter Dortmund",
             "Leistungsbezug seit 03/2025; Bewerbungskosten 260 € bewilligt."),
            ("Ausländerbehörde Dortmund", "Aufenthaltserlaubnis nach § 25 Abs. 2 AufenthG bis "
             "14.08.2028; keine Bedenken gegen eine Ausbildungsaufnahme."),
            ("Kommunales Integrationszentrum", "Sprachkurs B1 mit „gut“ abgeschlossen; "
             "Übergänge begleiten, Ängste vor Prüfungen ansprechen."),
        ),
        resources_goals=("Ressourcen: hohe Motivation, Führerschein, Unterstützung durch die "
                         "Schwester. Ziel: Ausbildungsbeginn zum 01.09.2027; "
                         "Kita-Platz für den Sohn bis 30.06.2027."),
        decisions=(
            MinutesDecision(label, "Kita-Platz über das Kita-Portal beantragen und "
                            "Bescheid weiterleiten", "Jugendamt Dortmund", date(2027, 1, 15)),
            MinutesDecision(label, "Förderung der Ausbildung prüfen (§ 81 SGB III), "
                            "Eigenanteil 0 €", "Jürgen Müller-Lüdenscheidt", date(2027, 2, 1)),
            MinutesDecision(label, "Termin zur Berufsberatung vereinbaren", "Agentur für Arbeit",
                            None),
        ),
        disagreements="Die Ausländerbehörde hält eine Beschäftigungsduldung für vorrangig; "
                      "das Jobcenter sieht das anders.",
        system_gaps="Keine Kita-Plätze mit Randzeiten für Auszubildende in der Nordstadt.",
        next_review_on=date(2027, 3, 10),
    )


def minutes(*, cases: int = 3, participants: int = 8, draft: bool = True,
            version: str = FULL, recipient: str | None = None) -> MinutesDocument:
    people = [PEOPLE[i % len(PEOPLE)] for i in range(participants)]
    status = DRAFTED if draft else APPROVED
    return MinutesDocument(
        conference_uuid="c0nf-0001", municipality="Stadt Dortmund",
        title="Fallkonferenz „Übergang Schule – Beruf“ Nordstadt",
        scheduled_at=datetime(2026, 11, 24, 9, 30, tzinfo=UTC),
        place="Kommunales Integrationszentrum, Raum 2.14 (Südwall 2–4)",
        chair="Jürgen Müller-Lüdenscheidt", minute_taker="Ayşe Yıldız",
        status=status, status_label=STATUS_LABELS[status], draft=draft,
        version=version, recipient=recipient,
        participants=tuple(MinutesParticipant(n, i, r, a) for n, i, r, a in people),
        cases=tuple(case(n) for n in range(1, cases + 1)),
        distribution=(
            MinutesRecipient("Ayşe Yıldız", "Jobcenter Dortmund", FULL),
            MinutesRecipient("Łukasz Wróblewski", "Ausländerbehörde Dortmund", PSEUDONYMISED),
            MinutesRecipient("Nguyễn Thị Hương", "Caritas Migrationsberatung", FULL),
        ),
        amendments=() if draft else (
            AmendmentDetail(1, datetime(2026, 12, 1, 10, 0, tzinfo=UTC), "Ayşe Yıldız",
                            "Schreibfehler im Datum", "Der Kita-Antrag ist bis 15.01.2027 zu "
                            "stellen, nicht bis 15.01.2026."),
        ),
        approved_on=None if draft else date(2026, 11, 28),
        approved_by=None if draft else "Jürgen Müller-Lüdenscheidt",
        printed_at=datetime(2026, 12, 4, 13, 5, tzinfo=UTC),
    )


def with_case(doc: MinutesDocument, index: int, new: MinutesCase) -> MinutesDocument:
    cases = list(doc.cases)
    cases[index] = new
    return replace(doc, cases=tuple(cases))
