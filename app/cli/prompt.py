"""Passphrases: from the environment when set (scripts, CI), otherwise asked without echo."""

from __future__ import annotations

import getpass
import os

from app.errors import UsageError


def passphrase(prompt: str = "Passphrase: ", env: str = "LOTSE_PASSPHRASE") -> str:
    value = os.environ.get(env)
    if value is not None:
        return value
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise UsageError("Keine Passphrase eingegeben.",
                         f"no passphrase given (set {env})") from None


def new_passphrase(env: str) -> str:
    value = os.environ.get(env)
    if value is not None:
        return value
    first = passphrase("New passphrase: ", env="\0")
    second = passphrase("Repeat new passphrase: ", env="\0")
    if first != second:
        raise UsageError("Die Passphrasen stimmen nicht überein.", "passphrases do not match")
    return first
