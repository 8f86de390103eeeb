"""The bundle payload: canonical CBOR of the content with a manifest of its rows.

Map (text keys): version, kind, bundle_uuid, created_at, sender {vault_uuid, vault_code,
vault_name, holder_name, municipality, fingerprint}, audit_head {seq, hash}, manifest
[[table, uuid, version_vector, sha256], …], rows [bstr, …], body {…}. Each row is embedded as
a byte string holding the canonical CBOR of the map {table, uuid, deleted, origin_vault,
changed_by_vault, version_vector {vault: n}, field_stamps {column: [vault, n]},
values {column: value}, alternatives {column: [[vault, n, value], …]}}; its manifest hash is
SHA-256 over exactly those bytes, so the reader checks a row before it decodes it and never
re-encodes anything. Decoding is strict: every key present, no others, every type checked.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
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
             "field_stamps", "values", "alternatives"}


def row_map(row: RowImage) -> dict[str, Any]:
    return {"table": row.table, "uuid": row.uuid, "deleted": row.deleted,
            "origin_vault": row.origin_vault, "changed_by_vault": row.changed_by_vault,
            "version_vector": dict(row.version_vector),
            "field_stamps": {k: [v[0], v[1]] for k, v in row.field_stamps.items()},
            "values": dict(row.values),
            # Values this vault holds in open conflicts: without them the receiver would take
            # the sender's value silently instead of showing the same conflict (db.replica).
            "alternatives": {k: [[a[0], a[1], a[2]] for a in alts]
                             for k, alts in row.alternatives.items()}}


def row_bytes(row: RowImage) -> bytes:
    return cbor.dumps(row_map(row))


def encode(content: BundleContent) -> bytes:
    """Canonical CBOR of ``content``; ValueError for values that cannot travel."""
    rows = [row_bytes(r) for r in content.rows]
    manifest = [[r.table, r.uuid, dict(r.version_vector), hashlib.sha256(b).digest()]
                for r, b in zip(content.rows, rows, strict=True)]
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


def _row(data: bytes) -> RowImage:
    try:
        value = cbor.loads(data, max_depth=MAX_DEPTH, max_items=MAX_ITEMS)
    except cbor.CborError as exc:
        raise _bad(f"row: {exc}") from None
    m = _map(value, _ROW_KEYS, "row")
    stamps = m["field_stamps"]
    values = m["values"]
    if not isinstance(stamps, dict) or not isinstance(values, dict):
        raise _bad("row stamps or values are not maps")
    field_stamps: dict[str, tuple[str, int]] = {}
    for column, stamp in stamps.items():
        if type(stamp) is not list or len(stamp) != 2:
            raise _bad("field stamp is not [vault, n]")
        field_stamps[_text(column, "column")] = (_text(stamp[0], "stamp vault"),
                                                 _count(stamp[1], "stamp counter"))
    if type(m["deleted"]) is not bool:
        raise _bad("row deleted flag is not a bool")
    # Keys are text already (cbor.loads); only their length is left to check.
    if any(len(column) > MAX_TEXT for column in values):
        raise _bad("column name too long")
    return RowImage(table=_text(m["table"], "table"), uuid=_text(m["uuid"], "row uuid"),
                    deleted=m["deleted"], origin_vault=_text(m["origin_vault"], "origin"),
                    changed_by_vault=_text(m["changed_by_vault"], "changed by"),
                    version_vector=_vector(m["version_vector"], "version vector"),
                    field_stamps=field_stamps, values=values,
                    alternatives=_alternatives(m["alternatives"]))


def _alternatives(value: Any) -> dict[str, tuple[tuple[str, int, Any], ...]]:
    if not isinstance(value, dict):
        raise _bad("row alternatives are not a map")
    out: dict[str, tuple[tuple[str, int, Any], ...]] = {}
    for column, alts in value.items():
        if type(alts) is not list:
            raise _bad("alternatives of a column are not a list")
        entries = []
        for alt in alts:
            if type(alt) is not list or len(alt) != 3:
                raise _bad("alternative is not [vault, n, value]")
            entries.append((_text(alt[0], "alternative vault"),
                            _count(alt[1], "alternative counter"), alt[2]))
        out[_text(column, "column")] = tuple(entries)
    return out


def decode(data: bytes) -> BundleContent:
    """The content, each row checked against its manifest entry before it is decoded;
    BundleRejected "payload_malformed" or "manifest_mismatch"."""
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
    if not all(type(r) is bytes for r in m["rows"]):
        raise _bad("a row is not a byte string")
    rows = _rows(m["rows"], m["manifest"])
    return BundleContent(kind=m["kind"], bundle_uuid=m["bundle_uuid"],
                         created_at=m["created_at"], sender=sender, audit_head=head,
                         rows=rows, body=m["body"])


def _rows(encoded: list[bytes], manifest: list[Any]) -> tuple[RowImage, ...]:
    """Rows in manifest order, each hash checked before the row is decoded, and the decoded
    row's table, uuid and version vector checked against its entry."""
    if len(manifest) != len(encoded):
        raise BundleRejected("manifest_mismatch", "manifest and rows differ in number")
    rows = []
    for i, (data, entry) in enumerate(zip(encoded, manifest, strict=True)):
        if not (type(entry) is list and len(entry) == 4
                and entry[3] == hashlib.sha256(data).digest()):
            raise BundleRejected("manifest_mismatch", f"row {i} differs from its entry")
        row = _row(data)
        if (entry[0], entry[1], entry[2]) != (row.table, row.uuid, row.version_vector):
            raise BundleRejected("manifest_mismatch", f"row {i} differs from its entry")
        rows.append(row)
    return tuple(rows)
