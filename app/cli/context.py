"""Shared CLI plumbing: which vault folder, how to open it, how to print."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from app.cli.prompt import passphrase
from app.paths import default_vault_dir
from app.vault.store import Vault, open_vault


def vault_dir(args: argparse.Namespace) -> Path:
    folder: Path | None = args.vault
    return folder if folder is not None else default_vault_dir()


def open_from_args(args: argparse.Namespace) -> Vault:
    return open_vault(vault_dir(args), passphrase())


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
