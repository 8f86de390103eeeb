"""The printed minutes read back with poppler: what a reader of the paper finds on it."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from app.printing import render_minutes
from app.services.conferences.records import (
    PSEUDONYMISED,
    MinutesCase,
    MinutesDecision,
    MinutesParticipant,
)
from tests.app.printing import pdf_tools
from tests.support.minutes_samples import PEOPLE, case, minutes, with_case


def _flat(text: str) -> str:
    """Layout text with runs of spaces and line breaks folded, for phrases that may wrap."""
    return " ".join(text.split())


def test_german_text_and_names_of_many_origins_come_out_as_typed(tmp_path: Path) -> None:
    pdf = render_minutes(minutes(cases=2, participants=12))
    text = pdf_tools.text(pdf, tmp_path)
    flat = _flat(text)
    for expected in ["Protokoll der Fallkonferenz", "Stadt Dortmund",
                     "Fallkonferenz „Übergang Schule – Beruf“ Nordstadt",
                     "Klärung der „Arbeitsmarktintegration“ nach § 16a SGB II",
                     "Bewerbungskosten 260 € bewilligt", "Eigenanteil 0 €",
                     "Südwall 2–4", "Ärztin", "Führerschein"]:
        assert expected in flat, expected
    for name, institution, role, attendance in PEOPLE:
        assert name in flat, name
        assert role in flat
        assert attendance in flat
        if institution:
            assert institution in flat
    # The meta block: date, time, place, chair, minute-taker, status.
    assert re.search(r"Datum\s+24\.11\.2026", text)
    assert re.search(r"Uhrzeit\s+\d\d:30 Uhr", text)
    assert re.search(r"Leitung\s+Jürgen Müller-Lüdenscheidt", text)
    assert re.search(r"Protokoll\s+Ayşe Yıldız", text)
    assert re.search(r"Status\s+Protokoll im Entwurf", text)


def test_every_page_says_page_x_of_n_and_the_print_date(tmp_path: Path) -> None:
    pdf = render_minutes(minutes(cases=6, participants=12))
    pages = pdf_tools.pages_text(pdf, tmp_path)
    n = int(pdf_tools.info(pdf, tmp_path)["Pages"])
    assert n == len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Seite {number} von {n}" in page
        assert "gedruckt am 04.12.2026" in page
        assert "Stadt Dortmund" in page  # the header on every page
        assert "24.11.2026" in page


def test_the_watermark_is_on_every_page_of_a_draft_and_on_no_page_once_approved(
        tmp_path: Path) -> None:
    draft = pdf_tools.watermarked_pages(render_minutes(minutes(cases=4, draft=True)), tmp_path)
    assert len(draft) > 1 and all(draft)
    approved = render_minutes(minutes(cases=4, draft=False))
    marks = pdf_tools.watermarked_pages(approved, tmp_path)
    assert len(marks) > 1 and not any(marks)
    assert "ENTWURF" not in pdf_tools.text(approved, tmp_path)
    assert "Protokoll freigegeben" in pdf_tools.text(approved, tmp_path)


def test_a_withheld_case_prints_only_its_label_and_the_notice(tmp_path: Path) -> None:
    secret = replace(case(2), label="DO-2026-K7-0002 – S. G.",
                     occasion="Geheimer Anlass Zebrafisch",
                     legal_basis="Geheime Rechtsgrundlage Zebrafisch",
                     state_of_affairs=(("Jugendamt Dortmund", "Geheimer Sachstand Zebrafisch"),),
                     resources_goals="Geheime Ziele Zebrafisch",
                     decisions=(MinutesDecision("DO-2026-K7-0002 – S. G.",
                                                "Geheime Vereinbarung Zebrafisch", "Zebrafisch-Amt",
                                                date(2027, 5, 5)),),
                     disagreements="Geheimer Dissens Zebrafisch",
                     system_gaps="Geheime Lücke Zebrafisch", next_review_on=date(2031, 7, 9))
    withheld = replace(secret, withheld=True)
    doc = with_case(minutes(cases=3, version=PSEUDONYMISED), 1, withheld)
    text = _flat(pdf_tools.text(render_minutes(doc), tmp_path))
    assert "Fall 2: DO-2026-K7-0002 – S. G. Dieser Fall ist in dieser Ausfertigung nicht " \
           "enthalten." in text
    assert "Zebrafisch" not in text
    assert "09.07.2031" not in text and "05.05.2027" not in text
    # The other cases are printed in full.
    assert "Fall 3: DO-2026-K7-0003" in text
    assert text.count("Anlass / Fragestellung") == 2
    # The same case not withheld: all of it is there (so the test above can fail).
    shown = _flat(pdf_tools.text(render_minutes(with_case(doc, 1, secret)), tmp_path))
    assert shown.count("Zebrafisch") == 8 and "09.07.2031" in shown


@pytest.mark.parametrize("typed", [
    '<font size=40>groß</font>', "&lt;b&gt; &amp; &#169;", '<a href="http://evil.example">x</a>',
    "<b>fett</b> <i>kursiv</i>", "<para>", "a < b > c & d", "]]><!--", "<br/>",
])
def test_markup_typed_into_a_field_is_printed_literally(typed: str, tmp_path: Path) -> None:
    base = minutes(cases=1, participants=2)
    first = replace(base.cases[0], occasion=f"Anlass {typed} Ende",
                    decisions=(MinutesDecision("x", f"Tun {typed}", f"Wer {typed}", None),))
    doc = replace(with_case(base, 0, first), title=f"Titel {typed}", place=f"Ort {typed}",
                  participants=(MinutesParticipant(f"Name {typed}", f"Inst {typed}", None, ""),),
                  recipient=f"Empf {typed}")
    pdf = render_minutes(doc)
    # Long tokens are split to stay on the paper, so compare without white space.
    text = "".join(pdf_tools.text(pdf, tmp_path, layout=False).split())
    for label in ["Anlass", "Tun", "Wer", "Titel", "Ort", "Name", "Inst", "Empf"]:
        assert "".join(f"{label} {typed}".split()) in text, label
    assert pdf_tools.info(pdf, tmp_path)["Title"].endswith(f"Titel {typed}")
    # No link was made of it, and the font stayed the body size (no 40 pt "groß").
    assert b"/URI" not in pdf and b"/Annots" not in pdf


def test_decisions_distribution_approval_signatures_and_amendments(tmp_path: Path) -> None:
    doc = minutes(cases=1, draft=False)
    text = pdf_tools.text(render_minutes(doc), tmp_path)
    flat = _flat(text)
    assert re.search(r"Was\s+Wer\s+Bis wann", text)
    assert re.search(r"Förderung der Ausbildung prüfen \(§ 81 SGB III\), Eigenanteil 0 €\s+"
                     r"Jürgen Müller-Lüdenscheidt\s+01\.02\.2027", text)
    assert re.search(r"Termin zur Berufsberatung vereinbaren\s+Agentur für Arbeit\s+–", text)
    assert "Nächste Überprüfung 10.03.2027" in flat
    assert "Abweichende Auffassungen Die Ausländerbehörde" in flat
    assert "Festgestellte Systemlücken Keine Kita-Plätze" in flat
    assert re.search(r"Łukasz Wróblewski\s+Ausländerbehörde Dortmund\s+pseudonymisiert\n", text)
    assert re.search(r"Ayşe Yıldız\s+Jobcenter Dortmund\s+vollständig\n", text)
    assert ("Das Protokoll wurde am 28.11.2026 durch Jürgen Müller-Lüdenscheidt freigegeben."
            in flat)
    assert "Datum, Unterschrift Leitung" in flat and "Datum, Unterschrift Protokoll" in flat
    # Amendments come after the minutes (after the signatures).
    amendment = ("Nachtrag Nr. 1 vom 01.12.2026 (Ayşe Yıldız): Schreibfehler im Datum — Der "
                 "Kita-Antrag ist bis 15.01.2027 zu stellen, nicht bis 15.01.2026.")
    assert amendment in flat
    assert flat.index(amendment) > flat.index("Datum, Unterschrift Protokoll")
    draft = _flat(pdf_tools.text(render_minutes(minutes(cases=1)), tmp_path))
    assert "Das Protokoll ist noch nicht freigegeben (Entwurf)." in draft
    assert "Nachtrag" not in draft


def test_a_copy_for_a_recipient_says_so_in_the_header_of_every_page(tmp_path: Path) -> None:
    doc = minutes(cases=4, version=PSEUDONYMISED, recipient="Łukasz Wróblewski")
    pages = pdf_tools.pages_text(render_minutes(doc), tmp_path)
    assert len(pages) > 1
    for page in pages:
        assert "Pseudonymisierte Ausfertigung für Łukasz Wróblewski" in page
    full = pdf_tools.text(render_minutes(minutes(cases=1)), tmp_path)
    assert "Ausfertigung für" not in full and "Pseudonymisierte Ausfertigung" not in full


def test_twenty_cases_and_twelve_participants_run_over_many_pages(tmp_path: Path) -> None:
    pdf = render_minutes(minutes(cases=20, participants=12))
    pages = pdf_tools.pages_text(pdf, tmp_path)
    assert len(pages) >= 10
    flat = _flat("\n".join(pages))
    assert all(f"Fall {n}: DO-2026-K7-{n:04d}" in flat for n in range(1, 21))
    assert flat.count("Kita-Platz über das Kita-Portal beantragen") == 20
    assert f"Seite {len(pages)} von {len(pages)}" in pages[-1]


def test_long_texts_wrap_and_tables_split_with_their_header_repeated(tmp_path: Path) -> None:
    words = " ".join(f"Wort{n:04d}" for n in range(900))  # several pages in one field
    huge = "Maßnahme " + " ".join(f"Schritt{n:03d}" for n in range(600))  # one cell > a page
    long_case = replace(case(1), resources_goals=words,
                        decisions=(MinutesDecision("x", huge, "Jobcenter Dortmund", None),))
    many = tuple(MinutesParticipant(f"Teilnehmerin Nr. {n:02d}", "Jobcenter Dortmund",
                                    "Fallmanagerin", "anwesend") for n in range(70))
    doc = replace(with_case(minutes(cases=1), 0, long_case), participants=many)
    pages = pdf_tools.pages_text(render_minutes(doc), tmp_path)
    flat = _flat("\n".join(pages))
    assert all(f"Wort{n:04d}" in flat for n in range(900))
    assert all(f"Schritt{n:03d}" in flat for n in range(600))
    assert all(f"Teilnehmerin Nr. {n:02d}" in flat for n in range(70))
    with_participant_header = [p for p in pages if re.search(r"Name\s+Institution\s+Rolle\s+"
                                                             r"Anwesenheit", p)]
    assert len(with_participant_header) >= 2
    with_decision_header = [p for p in pages if re.search(r"Was\s+Wer\s+Bis wann", p)]
    assert len(with_decision_header) >= 2
    # Every line stays on the paper: nothing runs into the right margin.
    assert max(len(line) for page in pages for line in page.splitlines()) < 130


def test_a_cell_too_long_for_its_column_wraps_inside_it(tmp_path: Path) -> None:
    long_name = "Bartholomäus Maximilian Wróblewski Schönfeld"
    participants = (MinutesParticipant(long_name, "Jobcenter", "Fallmanagerin", "anwesend"),
                    MinutesParticipant("Ana Lima", "Jobcenter", "Beraterin", "anwesend"))
    doc = replace(minutes(cases=0), participants=participants, distribution=())
    words = pdf_tools.words(render_minutes(doc), tmp_path)
    institution_column = next(w.x_min for w in words if w.text == "Institution")
    name_words = [w for w in words if w.text in long_name.split()]
    assert {w.text for w in name_words} == set(long_name.split())
    assert max(w.x_max for w in name_words) < institution_column
    assert len({w.y_min for w in name_words}) == 2  # two lines in its cell


def test_a_case_without_minutes_yet_prints_its_label_and_no_empty_headings(
        tmp_path: Path) -> None:
    empty = MinutesCase(label="DO-2026-K7-0099 – Leer, Lena", withheld=False)
    doc = replace(minutes(cases=0), cases=(empty,), participants=(), distribution=())
    flat = _flat(pdf_tools.text(render_minutes(doc), tmp_path))
    assert "Fall 1: DO-2026-K7-0099 – Leer, Lena" in flat
    for heading in ["Anlass", "Sachstand", "Vereinbarungen", "Nächste Überprüfung"]:
        assert heading not in flat
    assert "Keine Teilnehmenden erfasst." in flat
    assert "Kein Verteiler festgelegt." in flat
