"""Likely duplicates of a new client, looked up before 'Neuer Fall' creates the case.

Apart from the case reads because it is a search with its own rules: the name index (FTS5) and
typo-tolerant comparisons of names and birth dates, not the reading of one case file. Creating
the case anyway is ``cases.write.create_case(duplicate_of=...)``, which audits it.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, text

from app.services.duplicates.records import DuplicateCandidate
from app.vault.store import Vault
from db.folding import fold_query_terms
from db.models import CaseFile, CaseManager, Person

# Candidates read per index lookup: far more than one person ever has cases, few enough to stay
# cheap when a very common name meets a 100,000-case vault.
DUPLICATE_CANDIDATES = 500
# Driven by the name index (FTS5 MATCH), then primary-key lookups: no scan of case or person.
DUPLICATE_SQL = ("SELECT c.id FROM case_search JOIN case_file AS c ON c.id = case_search.rowid "
                 "JOIN person AS p ON p.id = c.person_id WHERE case_search MATCH :q {extra} "
                 "ORDER BY c.id DESC LIMIT :n")
BORN_FILTER = "AND p.date_of_birth = :born"


def _name_tokens(given_names: str, family_name: str) -> list[str]:
    return fold_query_terms(f"{given_names} {family_name}")


def _one_edit_apart(a: str, b: str) -> bool:
    """Levenshtein distance ≤ 1 (a typo: one letter wrong, missing or extra)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def similar_birth_date(a: date, b: date) -> bool:
    """Typed dates that are easily confused: day and month swapped, one digit off, or the same
    year and month (the day misremembered)."""
    if (a.year, a.month) == (b.year, b.month):
        return True
    if a.year == b.year and (a.day, a.month) == (b.month, b.day):
        return True
    digits_a, digits_b = a.strftime("%d%m%Y"), b.strftime("%d%m%Y")
    return sum(x != y for x, y in zip(digits_a, digits_b, strict=True)) == 1


def _why(tokens: list[str], born: date | None, p: Person) -> str | None:
    """The German reason this person may be the new client, or None."""
    theirs = _name_tokens(p.given_names, p.family_name)
    same_name = sorted(theirs) == sorted(tokens)  # given and family name swapped count too
    if same_name and born is not None and p.date_of_birth == born:
        return "gleicher Name, gleiches Geburtsdatum"
    if same_name and (born is None or p.date_of_birth is None):
        return "gleicher Name, Geburtsdatum nicht bei beiden bekannt"
    if same_name and born is not None and p.date_of_birth is not None \
            and similar_birth_date(born, p.date_of_birth):
        return f"gleicher Name, ähnliches Geburtsdatum ({p.date_of_birth:%d.%m.%Y})"
    if born is not None and p.date_of_birth == born:
        mine = " ".join(tokens)
        if any(_one_edit_apart(mine, " ".join(order)) for order in (theirs, theirs[::-1])):
            return "sehr ähnlicher Name, gleiches Geburtsdatum"
    return None


def possible_duplicates(vault: Vault, given_names: str, family_name: str,
                        date_of_birth: date | None) -> list[DuplicateCandidate]:
    """Existing cases that are likely the same person, found through the name index only:
    every name word (in any order) for the same name, and any one name word together with the
    same birth date for a name one typo apart. Closed cases count too (a client may return)."""
    tokens = _name_tokens(given_names, family_name)
    if not tokens:
        return []
    quoted = ['"' + t.replace('"', '""') + '"' for t in dict.fromkeys(tokens)]
    sql = DUPLICATE_SQL
    with vault.read_session() as s:
        ids = list(s.execute(text(sql.format(extra="")),
                             {"q": " AND ".join(quoted), "n": DUPLICATE_CANDIDATES}).scalars())
        if date_of_birth is not None:
            ids += s.execute(text(sql.format(extra=BORN_FILTER)),
                             {"q": " OR ".join(quoted), "born": date_of_birth.isoformat(),
                              "n": DUPLICATE_CANDIDATES}).scalars()
        if not ids:
            return []
        rows = s.execute(select(CaseFile, Person, CaseManager.display_name)
                         .join(Person, Person.id == CaseFile.person_id)
                         .join(CaseManager, CaseManager.id == CaseFile.case_manager_id)
                         .where(CaseFile.id.in_(set(ids)), CaseFile.deleted.is_(False),
                                Person.deleted.is_(False))
                         .order_by(CaseFile.opened_on.desc(), CaseFile.id.desc())).all()
        out = []
        for case, person, manager in rows:
            reason = _why(tokens, date_of_birth, person)
            if reason is not None:
                out.append(DuplicateCandidate(
                    case.id, case.uuid, case.case_number, person.given_names,
                    person.family_name, person.date_of_birth, manager,
                    case.closed_on is not None, reason))
        return out
