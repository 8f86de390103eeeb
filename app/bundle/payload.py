"""The bundle payload: canonical CBOR of the content with a manifest of its rows.

Map (text keys): version, kind, bundle_uuid, created_at, sender {vault_uuid, vault_code,
vault_name, holder_name, municipality, fingerprint}, audit_head {seq, hash}, manifest
[[table, uuid, version_vector, sha256], …], rows [row, …], body {…}. A row is the map
{table, uuid, deleted, origin_vault, changed_by_vault, version_vector {vault: n},
field_stamps {column: [vault, n]}, values {column: value}}; its manifest hash is SHA-256 over
the row's canonical CBOR. Decoding is strict: every key present, no others, every type checked.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from app.bundle import cbor
from app.bundle.records import (
    FORMAT_VERSION,
    KINDS,
    AuditHead,
    BundleContent,
    BundleRejected,
    Sender,
)
from db.row_image import RowImage

MAX_DEPTH = 32  # payload → rows → row → values → a JSON column's own nesting
MAX_ITEMS = 50_000_000
MAX_TEXT = 1024  # names, codes, uuids, table and column names
_HEX32 = re.compile(r"[0-9a-f]{32}\Z")
_HEX64 = re.compile(r"[0-9a-f]{64}\Z")
_PAYLOAD_KEYS = {"version", "kind", "bundle_uuid", "created_at", "sender", "audit_head",
                 "manifest", "rows", "body"}
_SENDER_KEYS = {"vault_uuid", "vault_code", "vault_name", "holder_name", "municipality",
                "fingerprint"}
_ROW_KEYS = {"table", "uuid", "deleted", "origin_vault", "changed_by_vault", "version_vector",
             "field_stamps", "values"}


def row_map(row: RowImage) -> dict[str, Any]:
    return {"table": row.table, "uuid": row.uuid, "deleted": row.deleted,
            "origin_vault": row.origin_vault, "changed_by_vault": row.changed_by_vault,
            "version_vector": dict(row.version_vector),
            "field_stamps": {k: [v[0], v[1]] for k, v in row.field_stamps.items()},
            "values": dict(row.values)}


def row_hash(row: RowImage) -> bytes:
    return hashlib.sha256(cbor.dumps(row_map(row))).digest()


def encode(content: BundleContent) -> bytes:
    """Canonical CBOR of ``content``; ValueError for values that cannot travel."""
    rows = [row_map(r) for r in content.rows]
    manifest = [[r.table, r.uuid, dict(r.version_vector), row_hash(r)] for r in content.rows]
    s = content.sender
    return cbor.dumps({
        "version": FORMAT_VERSION, "kind": content.kind, "bundle_uuid": content.bundle_uuid,
        "created_at": content.created_at,
        "sender": {"vault_uuid": s.vault_uuid, "vault_code": s.vault_code,
                   "vault_name": s.vault_name, "holder_name": s.holder_name,
                   "municipality": s.municipality, "fingerprint": s.fingerprint},
        "audit_head": {"seq": content.audit_head.seq, "hash": content.audit_head.hash},
        "manifest": manifest, "rows": rows, "body": dict(content.body)})


def _bad(detail: str) -> BundleRejected:
    return BundleRejected("payload_malformed", detail)


def _map(value: Any, keys: set[str], what: str) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) != keys:
        raise _bad(f"{what} is not a map with the expected keys")
    return value


def _text(value: Any, what: str, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    if type(value) is not str or len(value) > MAX_TEXT:
        raise _bad(f"{what} is not a short text")
    return value


def _count(value: Any, what: str) -> int:
    if type(value) is not int or not 0 <= value < 1 << 63:
        raise _bad(f"{what} is not a counter")
    return value


def _vector(value: Any, what: str) -> dict[str, int]:
    if not isinstance(value, dict):
        raise _bad(f"{what} is not a map")
    return {_text(k, what): _count(v, what) for k, v in value.items()}


def _row(value: Any) -> RowImage:
    m = _map(value, _ROW_KEYS, "row")
    stamps = m["field_stamps"]
    values = m["values"]
    if not isinstance(stamps, dict) or not isinstance(values, dict):
        raise _bad("row stamps or values are not maps")
    field_stamps: dict[str, tuple[str, int]] = {}
    for column, stamp in stamps.items():
        if not isinstance(stamp, list) or len(stamp) != 2:
            raise _bad("field stamp is not [vault, n]")
        field_stamps[_text(column, "column")] = (_text(stamp[0], "stamp vault"),
                                                 _count(stamp[1], "stamp counter"))
    if type(m["deleted"]) is not bool:
        raise _bad("row deleted flag is not a bool")
    for column in values:
        _text(column, "column")
    return RowImage(table=_text(m["table"], "table"), uuid=_text(m["uuid"], "row uuid"),
                    deleted=m["deleted"], origin_vault=_text(m["origin_vault"], "origin"),
                    changed_by_vault=_text(m["changed_by_vault"], "changed by"),
                    version_vector=_vector(m["version_vector"], "version vector"),
                    field_stamps=field_stamps, values=_utc(values))


def _utc(value: Any) -> Any:
    """Datetimes as UTC (the writer sends UTC; another offset is read as the same moment)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    if isinstance(value, list):
        return [_utc(v) for v in value]
    if isinstance(value, dict):
        return {k: _utc(v) for k, v in value.items()}
    return value


def decode(data: bytes) -> tuple[BundleContent, list[Any]]:
    """The content and its raw manifest; BundleRejected "payload_malformed"."""
    try:
        obj = cbor.loads(data, max_depth=MAX_DEPTH, max_items=MAX_ITEMS)
    except cbor.CborError as exc:
        raise _bad(str(exc)) from None
    m = _map(obj, _PAYLOAD_KEYS, "payload")
    if m["version"] != FORMAT_VERSION or type(m["version"]) is not int:
        raise _bad("payload version")
    if m["kind"] not in KINDS:
        raise _bad("payload kind")
    if type(m["bundle_uuid"]) is not str or not _HEX32.match(m["bundle_uuid"]):
        raise _bad("payload bundle uuid")
    if not isinstance(m["created_at"], datetime):
        raise _bad("payload created_at")
    s = _map(m["sender"], _SENDER_KEYS, "sender")
    if type(s["fingerprint"]) is not str or not _HEX64.match(s["fingerprint"]):
        raise _bad("sender fingerprint")
    sender = Sender(vault_uuid=_text(s["vault_uuid"], "sender"),
                    vault_code=_text(s["vault_code"], "sender"),
                    vault_name=_text(s["vault_name"], "sender"),
                    holder_name=_text(s["holder_name"], "sender"),
                    municipality=_text(s["municipality"], "sender", optional=True),
                    fingerprint=s["fingerprint"])
    a = _map(m["audit_head"], {"seq", "hash"}, "audit head")
    head = AuditHead(seq=_count(a["seq"], "audit seq"), hash=_text(a["hash"], "audit hash"))
    if not isinstance(m["rows"], list) or not isinstance(m["manifest"], list):
        raise _bad("rows or manifest not a list")
    if not isinstance(m["body"], dict):
        raise _bad("body is not a map")
    rows = tuple(_row(r) for r in m["rows"])
    content = BundleContent(kind=m["kind"], bundle_uuid=m["bundle_uuid"],
                            created_at=m["created_at"].astimezone(UTC), sender=sender,
                            audit_head=head, rows=rows, body=_utc(m["body"]))
    return content, m["manifest"]


def check_manifest(rows: tuple[RowImage, ...], manifest: list[Any]) -> None:
    """Each row matches its manifest entry (same order); BundleRejected "manifest_mismatch"."""
    if len(manifest) != len(rows):
        raise BundleRejected("manifest_mismatch", "manifest and rows differ in number")
    for i, (row, entry) in enumerate(zip(rows, manifest, strict=True)):
        if not (isinstance(entry, list) and len(entry) == 4
                and entry[0] == row.table and entry[1] == row.uuid
                and isinstance(entry[2], Mapping) and dict(entry[2]) == dict(row.version_vector)
                and entry[3] == row_hash(row)):
            raise BundleRejected("manifest_mismatch", f"row {i} differs from its entry")
