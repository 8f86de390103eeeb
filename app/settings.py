"""Typed settings, declared once with their defaults, stored per vault.

They live in the encrypted store's ``vault_meta`` table (keys ``setting.<name>``), so they travel
with a backup and never sit in a plaintext file next to the vault. Unknown or unreadable stored
values fall back to the default rather than blocking the unlock.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from sqlalchemy import select

from app import audit, catalogues
from app.errors import ValidationFailed
from app.vault.store import Vault
from db.models import VaultMeta

PREFIX = "setting."
STATUS_WINDOWS = (30, 60, 90)


@dataclass(frozen=True)
class Settings:
    idle_lock_minutes: int = 5
    default_municipality: str = ""  # "" = the vault's own municipality
    quiet_weeks: int = 6  # "Heute": cases without contact for more than this many weeks
    status_window_days: int = 30  # "Heute": residence statuses expiring within this many days
    backup_folder: str = ""  # last folder a backup was written to
    today_only_mine: bool = True  # "Heute": only the owner's cases ("nur meine Fälle")
    share_folder: str = ""  # the shared drive for bundles (UNC path or mapped drive); "" = none


# (minimum, maximum, German message) for every integer setting: the one place ranges live.
RANGES: dict[str, tuple[int, int, str]] = {
    "idle_lock_minutes": (1, 120, "Die Sperrzeit muss zwischen 1 und 120 Minuten liegen."),
    "quiet_weeks": (1, 52, "Bitte eine Anzahl Wochen zwischen 1 und 52 angeben."),
}


def _parse(name: str, raw: str, default: Any) -> Any:
    if isinstance(default, bool):  # before int: a bool is an int
        return {"True": True, "False": False}.get(raw, default)
    if isinstance(default, int):
        try:
            value = int(raw)
        except ValueError:
            return default
        low, high, _ = RANGES.get(name, (value, value, ""))
        if name == "status_window_days":
            return value if value in STATUS_WINDOWS else default
        return value if low <= value <= high else default
    return raw


def load_settings(vault: Vault) -> Settings:
    with vault.read_session() as s:
        stored = dict(s.execute(select(VaultMeta.key, VaultMeta.value).where(
            VaultMeta.key.startswith(PREFIX))).tuples().all())
    defaults = Settings()
    values = {f.name: _parse(f.name, stored[PREFIX + f.name], getattr(defaults, f.name))
              for f in fields(Settings) if PREFIX + f.name in stored}
    result = replace(defaults, **values)
    if not result.default_municipality:
        result = replace(result, default_municipality=vault.info.municipality)
    return result


def validate(settings: Settings) -> None:
    for name, (low, high, message) in RANGES.items():
        value = getattr(settings, name)
        if not isinstance(value, int) or not low <= value <= high:
            raise ValidationFailed(message, f"{name} out of range {low}..{high}", field=name)
    if settings.status_window_days not in STATUS_WINDOWS:
        raise ValidationFailed("Bitte 30, 60 oder 90 Tage wählen.", "status window not 30/60/90",
                               field="status_window_days")
    codes = {m.code for m in catalogues.municipalities()}
    if settings.default_municipality and settings.default_municipality not in codes:
        raise ValidationFailed("Unbekannte Kommune.", "unknown municipality",
                               field="default_municipality")


def save_settings(vault: Vault, settings: Settings) -> None:
    """Validate and store; the audit entry names the changed settings, never their values."""
    validate(settings)
    with vault.session() as s:
        rows = {r.key: r for r in s.execute(select(VaultMeta).where(
            VaultMeta.key.startswith(PREFIX))).scalars()}
        changed = []
        for f in fields(Settings):
            key, value = PREFIX + f.name, str(getattr(settings, f.name))
            row = rows.get(key)
            if row is None:
                s.add(VaultMeta(key=key, value=value))
                changed.append(f.name)
            elif row.value != value:
                row.value = value
                changed.append(f.name)
        if changed:
            audit.record(s, audit.Kind.RECORD_UPDATED, "settings", None, fields=sorted(changed))


def update_settings(vault: Vault, **changes: Any) -> Settings:
    """Change some settings, keep the others; returns what is stored now."""
    new = replace(load_settings(vault), **changes)
    save_settings(vault, new)
    return new
