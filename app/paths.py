"""Where vaults live: the local (never roaming) app-data folder unless told otherwise."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "Lotse"
# Shown on the demo unlock screen: the demo vault holds fictional data only.
DEMO_PASSPHRASE = "Demo-Tresor 2026"  # noqa: S105


def data_root() -> Path:
    return user_data_path(APP_NAME, appauthor=False, roaming=False)


def default_vault_dir() -> Path:
    env = os.environ.get("LOTSE_VAULT")
    return Path(env) if env else data_root() / "vault"


def demo_vault_dir() -> Path:
    return data_root() / "demo-vault"


def roaming_warning(folder: Path) -> str | None:
    """Vaults must stay on a local disk: SQLite's WAL breaks on synced or network folders."""
    text = str(folder.resolve()).lower()
    for marker in ("onedrive", "\\roaming\\", "dropbox", "nextcloud"):
        if marker in text:
            return ("Der Tresor liegt in einem synchronisierten oder servergespeicherten Ordner. "
                    "Bitte wählen Sie einen Ordner auf der lokalen Festplatte.")
    if text.startswith("\\\\"):
        return "Der Tresor darf nicht auf einem Netzlaufwerk liegen."
    return None
