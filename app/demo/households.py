"""The demo client's arrival and household: entry date, accommodation, the foreigners'
authority's file number, and for some clients a partner and children living with them.

Drawn from a random generator of its own, seeded by the client's row id, so adding these
details leaves every other demo figure (phases, caseload, deadlines) exactly as before."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from db.folding import fold_sort

# Years since entry by target group: newly arrived within three years, tolerated for longer.
ENTRY_YEARS = {"newly_arrived": (0.2, 3.0), "long_term_tolerated": (3.0, 9.0),
               "opportunity_residence": (5.0, 9.0), "young_adults": (1.0, 7.0)}


def arrival_and_household(seed: str, tables: dict[str, Any], today: date, group: str,
                          municipality: str, facilities: Sequence[str], family: str,
                          client_age: int, street: str, partner_names: Sequence[str],
                          child_names: Sequence[str], nationality: str | None,
                          language: str) -> dict[str, Any]:
    """The client's extra person fields (their household's members are added to ``tables``)."""
    rng = random.Random(seed)  # noqa: S311 - fictional demo data, not a secret
    low, high = ENTRY_YEARS.get(group, (1.0, 6.0))
    entered = today - timedelta(days=int(365 * rng.uniform(low, high)))
    if group == "newly_arrived" and facilities and rng.random() < 0.7:
        accommodation: str | None = rng.choice(list(facilities))
    elif rng.random() < 0.15 and facilities:
        accommodation = rng.choice(list(facilities))  # still in a shared facility after years
    elif rng.random() < 0.8:
        accommodation = f"Privatwohnung, {street}"
    else:
        accommodation = None
    fields: dict[str, Any] = {"entered_germany_on": entered, "accommodation": accommodation}
    if rng.random() < 0.75:
        fields["abh_file_number"] = f"{municipality} {rng.randint(10000, 99999)}/{entered:%y}"
    if client_age < 20 or rng.random() >= 0.45:
        return fields
    household = tables["household"].add(label=f"Haushalt {family}")
    fields["household_id"] = household

    def member(given: str, relation: str, born: date) -> None:
        tables["person"].add(given_names=given, family_name=family, date_of_birth=born,
                             nationality=nationality, languages=[language],
                             household_id=household, household_role=relation,
                             sort_key=fold_sort(f"{family} {given}"))

    if partner_names and rng.random() < 0.7:
        partner_age = max(18, client_age + rng.randint(-6, 6))
        member(rng.choice(list(partner_names)), "partner",
               today - timedelta(days=365 * partner_age + rng.randint(0, 364)))
    oldest = min(client_age - 18, 17)
    for _ in range(rng.randint(0, 4) if oldest >= 0 and child_names else 0):
        age = rng.randint(0, oldest)
        member(rng.choice(list(child_names)), "child",
               today - timedelta(days=365 * age + rng.randint(0, 364)))
    return fields
