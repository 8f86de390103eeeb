"""German names of the fields an audit entry can name ("Geändert: Zugangsweg, Indikation").

The audit log records changed fields by their column names (never their values); the
Protokoll shows them in the words of the forms. Keyed by column name: a name means the same
thing in every table it appears in. tests/app/services/test_audit_labels.py walks every column of
every audited model and every field a service can name, so a new column without a German name
fails there instead of appearing raw in the Protokoll.
"""

from __future__ import annotations

FIELD_LABELS: dict[str, str] = {
    # case file
    "case_number": "Aktenzeichen", "person_id": "Person", "household_id": "Haushalt",
    "target_group": "Zielgruppe", "municipality": "Kommune", "case_manager_id": "Fallmanager:in",
    "case_manager_uuid": "Fallmanager:in", "handover": "Übergabenotiz",
    "members": "Mitglieder", "current_until": "Maßgeblich gültig bis",
    "phase": "Phase", "opened_on": "Aufnahme am", "closed_on": "Abschluss am",
    "close_reason": "Abschlussgrund", "handover_note": "Übergabe",
    "retention_until": "Aufbewahrung bis", "access_route": "Zugangsweg",
    "indication": "Indikation", "complex_needs": "Komplexe Problemlage",
    "several_agencies": "Mehrere Stellen beteiligt",
    "regular_services_insufficient": "Regelangebote reichen nicht aus",
    "dp_info_given_on": "Datenschutzinformation am",
    "dp_info_language": "Sprache der Datenschutzinformation",
    "working_agreement_on": "Arbeitsbündnis am", "plan_signed_on": "Hilfeplan unterschrieben am",
    "client_feedback": "Rückmeldung Klient:in", "sort_name": "Sortiername",
    "next_deadline": "Nächste Frist", "last_contact_at": "Letzter Kontakt",
    # person and household
    "given_names": "Vorname(n)", "family_name": "Familienname", "birth_name": "Geburtsname",
    "date_of_birth": "Geburtsdatum", "place_of_birth": "Geburtsort",
    "nationality": "Staatsangehörigkeit", "gender": "Geschlecht", "languages": "Sprachen",
    "interpreter_needed": "Dolmetschung nötig", "phone": "Telefon", "email": "E-Mail",
    "address_street": "Straße", "address_postcode": "Postleitzahl", "address_city": "Ort",
    "household_role": "Rolle im Haushalt", "entered_germany_on": "Einreise am",
    "accommodation": "Unterkunft", "abh_file_number": "Aktenzeichen der Ausländerbehörde",
    "sort_key": "Sortiername", "label": "Bezeichnung",
    # journal
    "case_id": "Fallakte", "occurred_at": "Zeitpunkt", "contact_kind": "Kontaktart",
    "place": "Ort", "interpreter_used": "Dolmetschung", "interpreter_language": "Sprache",
    "language": "Sprache", "duration_minutes": "Dauer", "entry_kind": "Art des Eintrags",
    "text": "Text", "author_id": "Verfasser:in", "system_gap_id": "Systemlücke",
    "confided": "Anvertraut", "amends_id": "Ergänzt Eintrag",
    # residence status
    "kind": "Art", "legal_basis": "Rechtsgrundlage", "valid_from": "Gültig ab",
    "valid_until": "Gültig bis", "residence_obligation": "Wohnsitzauflage",
    "work_permission": "Erwerbstätigkeit", "document_seen_on": "Dokument gesehen am",
    "note": "Notiz", "superseded_by_id": "Ersetzt durch",
    "correction_reason": "Grund der Korrektur",
    # tasks
    "title": "Titel", "details": "Einzelheiten", "due_on": "Fällig am", "done_on": "Erledigt am",
    "source": "Herkunft", "decision_id": "Konferenzbeschluss",
    "residence_status_id": "Aufenthaltsstatus", "assignee_text": "Zuständig",
    "assignee_staff_id": "Zuständig (Team)",
    # help plan
    "life_domain": "Lebensbereich", "resources": "Ressourcen", "needs": "Bedarfe",
    "client_view": "Sicht der Klient:in", "assessed_on": "Eingeschätzt am",
    "is_reassessment": "Erneute Einschätzung", "description": "Beschreibung",
    "indicator": "Indikator", "target_date": "Zieldatum", "responsible": "Verantwortlich",
    "agreed_on": "Vereinbart am", "position": "Reihenfolge", "attainment": "Zielerreichung",
    "attainment_note": "Anmerkung zur Zielerreichung", "evaluated_on": "Ausgewertet am",
    "goal_id": "Ziel", "responsible_institution_id": "Verantwortliche Einrichtung",
    "responsible_text": "Verantwortlich", "status": "Stand",
    "institution_id": "Einrichtung", "contact_id": "Ansprechperson",
    "referred_on": "Vermittelt am", "purpose": "Zweck", "consent_id": "Einwilligung",
    "legal_basis_id": "Rechtsgrundlage", "outcome": "Ergebnis", "outcome_on": "Ergebnis am",
    # consent, legal basis, disclosure
    "given_on": "Erteilt am", "withdrawn_on": "Widerrufen am",
    "info_sheet_language": "Sprache des Informationsblatts",
    "interpreter_present": "Dolmetscher:in anwesend",
    "form_attachment_id": "Unterschriebenes Formular", "covers_confided": "Umfasst Anvertrautes",
    "data_category": "Datenkategorie", "basis": "Rechtsgrundlage", "reason": "Begründung",
    "recorded_on": "Erfasst am", "recorded_by_id": "Erfasst von",
    "disclosed_at": "Weitergegeben am", "channel": "Übermittlungsweg",
    "conference_id": "Fallkonferenz", "by_staff_id": "Durch",
    "warning_acknowledged": "Hinweis bestätigt",
    # documents
    "owner_table": "Gehört zu", "owner_uuid": "Gehört zu", "filename": "Dateiname",
    "media_type": "Dateiart", "size": "Größe", "sha256": "Prüfsumme", "content": "Inhalt",
    "added_at": "Hinzugefügt am",
    # directory, staff, gaps
    "name": "Name", "role": "Rolle", "website": "Webseite", "legal_domain": "Rechtskreis",
    "subject": "Gegenstand", "data_categories": "Datenkategorien", "signed_on": "Unterzeichnet am",
    "attachment_id": "Dokument", "display_name": "Name", "is_self": "Eigenes Profil",
    "active": "Aktiv", "category": "Kategorie", "legal_domains": "Rechtskreise",
    "institution_kinds": "Einrichtungsarten", "severity": "Gewicht",
    "noticed_on": "Bemerkt am", "resolved_on": "Gelöst am",
    # case conference
    "scheduled_at": "Termin", "chair_staff_id": "Moderation", "chair_text": "Moderation",
    "minute_taker_text": "Protokoll", "held_at": "Durchgeführt am",
    "next_review_on": "Nächste Überprüfung am", "approved_on": "Freigegeben am",
    "approved_by_text": "Freigegeben von", "minutes_locked": "Protokoll abgeschlossen",
    "who_institution_id": "Zuständige Einrichtung", "author_text": "Verfasst von",
    "attendance": "Anwesenheit", "is_client": "Klient:in", "is_interpreter": "Dolmetschung",
    "may_see_all": "Erhält das vollständige Protokoll", "occasion": "Anlass / Fragestellung",
    "legal_basis_note": "Rechtsgrundlage der Weitergabe", "state_of_affairs": "Sachstand",
    "resources_goals": "Ressourcen und Ziele", "disagreements": "Dissens",
    "system_gap_notes": "Systemlücken", "agenda_item_id": "Fall der Tagesordnung",
    "what": "Was", "who": "Wer", "by_when": "Bis wann", "task_id": "Aufgabe",
    "number": "Nummer", "made_at": "Erstellt am", "recipient_name": "Empfänger:in",
    "pseudonymised": "Pseudonymisiert", "sent_on": "Versandt am",
    # certificates, their templates and staff training (issue 11)
    "serial": "Nummer der Bescheinigung", "issued_on": "Ausgestellt am",
    "issued_by_id": "Ausgestellt von", "payload": "Inhalt der Bescheinigung",
    "verification_code": "Prüfcode", "signature": "Siegel", "signer_public": "Prüfschlüssel",
    "revoked_on": "Widerrufen am", "revoke_reason": "Grund des Widerrufs",
    "template_key": "Vorlage", "key_id": "Schlüsselkennung", "copies": "Zweitschriften",
    "last_copy_on": "Letzte Zweitschrift am", "recipient_institution_id": "Empfangende Stelle",
    "key": "Kennung", "body": "Texte und Felder", "staff_id": "Mitarbeiter:in",
    "course": "Kurs", "module": "Modul", "teaching_units": "Unterrichtseinheiten",
    "presence_units": "Davon in Präsenz", "held_on": "Stattgefunden am",
    "institute": "Institut", "institute_recognised": "Anerkanntes Institut",
    "practice_case_done": "Praxisfall abgeschlossen", "colloquium_on": "Kolloquium am",
    "certificate_id": "Zertifikat",
}


def field_label(name: str) -> str:
    """The German name of a field; an unknown name (a newer release's column) as it is."""
    return FIELD_LABELS.get(name, name)
