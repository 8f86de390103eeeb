"""The bundle file format (docs/bundle-format.md): pure, no store access.

``writer.seal_bundle`` turns a ``records.BundleContent`` into sealed bytes for named recipients;
``reader.open_bundle`` checks size limits, the header, the sender's signature and the chunks
before anything is parsed, and raises ``records.BundleRejected`` with a reason code.
``cards`` makes and reads the key cards vaults publish on the share.
"""
