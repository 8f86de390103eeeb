"""Shared CLI plumbing: which vault folder, how to open it, how to print."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from app.cli.prompt import passphrase
from app.errors import Refused
from app.paths import default_vault_dir
from app.vault.store import KEY_NAME, Vault, open_vault


def vault_dir(args: argparse.Namespace) -> Path:
    folder: Path | None = args.vault
    return folder if folder is not None else default_vault_dir()


def open_from_args(args: argparse.Namespace) -> Vault:
    folder = vault_dir(args)
    if not (folder / KEY_NAME).is_file():  # say so before asking for a passphrase
        raise Refused("In diesem Ordner liegt kein Lotse-Tresor.", f"no vault in {folder}")
    vault = open_vault(folder, passphrase())
    try:
        warn_about_anchor(vault)
    except BaseException:
        vault.lock()
        raise
    return vault


def warn_about_anchor(vault: Vault) -> None:
    """Every command that opens the vault says so while store and audit anchor disagree."""
    from app.services.audit.read import anchor_status

    status = anchor_status(vault)
    if not status.ok:
        print(f"warning: AUDIT ANCHOR ALARM: {status.problem_en}; see `lotse check`, "
              "then `lotse audit --reanchor`", file=sys.stderr)


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


class JsonArray:
    """A JSON array written item by item, byte for byte what ``print_json`` writes for the whole
    list: a long listing goes out as it is read instead of being held until the end."""

    def __init__(self) -> None:
        self.count = 0

    def write(self, items: Iterable[Any]) -> None:
        for item in items:
            sys.stdout.write("[\n" if self.count == 0 else ",\n")
            body = json.dumps(item, ensure_ascii=False, indent=2, default=str)
            sys.stdout.write(textwrap.indent(body, "  "))
            self.count += 1

    def close(self) -> None:
        sys.stdout.write("[]\n" if self.count == 0 else "\n]\n")
