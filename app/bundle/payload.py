"""The bundle payload: CBOR of the content with a manifest of its rows.

Map (text keys): version, kind, bundle_uuid, created_at, sender {vault_uuid, vault_code,
vault_name, holder_name, municipality, fingerprint}, audit_head {seq, hash}, layouts, manifest
[[table, uuid, version_vector, sha256], …], rows [bstr, …], body {…}. The rows, their layouts
and their manifest are read by ``app.bundle.rows`` and written by ``app.bundle.rows_write``;
each manifest hash is SHA-256 over exactly the row's bytes, so the reader checks a row before
it decodes it and never re-encodes anything. Decoding is strict: every key present, no others,
every type checked.
"""

from __future__ import annotations

import re
from datetime import datetime
from itertools import chain
from typing import Any

import cbor2

from app.bundle import cbor, rows
from app.bundle.records import (
    FORMAT_VERSION,
    KINDS,
    AuditHead,
    BundleContent,
    BundleRejected,
    Sender,
)
from app.bundle.rows_write import head_of, payload_rows
from db.replica_read import bulk  # the collector paused while rows are made or read

MAX_DEPTH = rows.MAX_DEPTH  # payload → body → a JSON value's own nesting; rows count alone
MAX_ITEMS = 50_000_000
MAX_TEXT = rows.MAX_TEXT  # names, codes, uuids, table and column names
_HEX32 = re.compile(r"[0-9a-f]{32}\Z")
_HEX64 = re.compile(r"[0-9a-f]{64}\Z")
_PAYLOAD_KEYS = {"version", "kind", "bundle_uuid", "created_at", "sender", "audit_head",
                 "layouts", "manifest", "rows", "body"}
_SENDER_KEYS = {"vault_uuid", "vault_code", "vault_name", "holder_name", "municipality",
                "fingerprint"}
_MAP = 5  # CBOR major type
_CHECKED = ("sender", "audit_head", "body")  # walked whole; layouts and rows by app.bundle.rows


def encode(content: BundleContent, encoded: rows.EncodedRows | None = None) -> bytes:
    """The payload bytes of ``content``; ValueError for values that cannot travel. Written
    with definite lengths and shortest heads, map keys in the order given here (the reader
    does not insist on one spelling: every hash is over the bytes as sent). ``encoded``: the
    rows already encoded (``app.bundle.rows_write``), in place of ``content.rows``."""
    with bulk():  # the collector paused for the payload's many containers too
        if encoded is None:
            encoded = rows.encode_images(content.rows)
        elif content.rows:
            raise ValueError("rows given twice")
        return _encode(content, encoded)


def _encode(content: BundleContent, encoded: rows.EncodedRows) -> bytes:
    s = content.sender
    head = cbor.normalise({
        "version": FORMAT_VERSION, "kind": content.kind, "bundle_uuid": content.bundle_uuid,
        "created_at": content.created_at,
        "sender": {"vault_uuid": s.vault_uuid, "vault_code": s.vault_code,
                   "vault_name": s.vault_name, "holder_name": s.holder_name,
                   "municipality": s.municipality, "fingerprint": s.fingerprint},
        "audit_head": {"seq": content.audit_head.seq, "hash": content.audit_head.hash}})
    body = cbor.normalise(dict(content.body))
    try:
        # The map written piece by piece: the rows and entries are CBOR already, and each
        # piece is what cbor2 writes for it inside the map (no value sharing, no references).
        return b"".join(chain(
            (head_of(_MAP, len(head) + 4),),
            chain.from_iterable(map(cbor2.dumps, item) for item in head.items()),
            payload_rows(encoded), (cbor2.dumps("body"), cbor2.dumps(body))))
    except cbor2.CBOREncodeError as exc:
        raise ValueError(f"cannot encode: {exc}") from None


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


def decode(data: bytes) -> BundleContent:
    """The content, each row checked against its manifest entry before it is decoded;
    BundleRejected "payload_malformed" or "manifest_mismatch"."""
    with bulk():
        return _decode(data)


def _decode(data: bytes) -> BundleContent:
    try:
        obj = cbor.decode_item(data, max_depth=MAX_DEPTH)
    except cbor.CborError as exc:
        raise _bad(str(exc)) from None
    m = _map(obj, _PAYLOAD_KEYS, "payload")
    items = 1 + 2 * len(m)
    try:
        for key in _CHECKED:
            if type(m[key]) is dict:
                items += cbor.check(m[key])
    except cbor.CborError as exc:
        raise _bad(str(exc)) from None
    if m["version"] != FORMAT_VERSION or type(m["version"]) is not int:
        raise _bad("payload version")
    if type(m["kind"]) is not str or m["kind"] not in KINDS:
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
    if not isinstance(m["body"], dict):
        raise _bad("body is not a map")
    layouts, n = rows.decode_layouts(m["layouts"])
    images, more = rows.decode_rows(layouts, m["manifest"], m["rows"])
    if items + n + more > MAX_ITEMS:
        raise _bad(f"more than {MAX_ITEMS} items")
    return BundleContent(kind=m["kind"], bundle_uuid=m["bundle_uuid"],
                         created_at=m["created_at"], sender=sender, audit_head=head,
                         rows=images, body=m["body"])
