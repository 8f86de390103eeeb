"""The bundle file format (docs/bundle-format.md): pure, no store access.

``writer.seal_bundle`` turns a ``records.BundleContent`` into sealed bytes for named recipients;
``reader.open_bundle`` checks size limits, the header, the sender's signature and the chunks
before anything is parsed, and raises ``records.BundleRejected`` with a reason code.
``cards`` makes and reads the key cards vaults publish on the share.

Inside: ``header`` (the fixed 96-byte header), ``wrap`` (per-recipient key wrapping: ECDH P-256,
HKDF-SHA256, AES-256-GCM), ``stream`` (the payload in AES-256-GCM chunks, STREAM nonces),
``payload`` (the CBOR payload with its manifest; its rows read by ``rows``, written by
``rows_write``), ``cbor`` (strict CBOR), ``sign`` (ECDSA P-256 with SHA-256).
"""
