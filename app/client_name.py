"""How a client's name is shown in lists and headers."""

from __future__ import annotations

# A case handed over to a colleague stays here as a stub without the client's personal data
# (app.sync.transfer): its rows must still say what they are rather than show a lone comma.
NO_NAME_DE = "(übergeben – ohne Personendaten)"


def client_name(family_name: str, given_names: str) -> str:
    """ "Öztürk, Ayşe"; the stub's empty name as ``NO_NAME_DE``."""
    if not family_name.strip() and not given_names.strip():
        return NO_NAME_DE
    return f"{family_name}, {given_names}"
