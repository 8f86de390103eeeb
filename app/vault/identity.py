"""Device identity: signing and encryption key pairs for certificates and bundles."""

from __future__ import annotations

from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from db.models import DeviceIdentity


def new_device_identity(now: datetime) -> DeviceIdentity:
    sign = Ed25519PrivateKey.generate()
    enc = X25519PrivateKey.generate()
    raw = (Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return DeviceIdentity(
        created_at=now,
        signing_private=sign.private_bytes(*raw),
        signing_public=sign.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw),
        encryption_private=enc.private_bytes(*raw),
        encryption_public=enc.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw),
    )
