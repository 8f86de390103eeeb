"""Small helpers shared by the model modules."""

from __future__ import annotations


def in_values(column: str, values: tuple[str, ...]) -> str:
    """SQL for a CHECK that ``column`` is one of ``values`` (NULL passes, as in SQL).

    Only used where the DGCC standard or the law fixes the value set; catalogue codes that a
    municipality may extend stay unconstrained text.
    """
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"
