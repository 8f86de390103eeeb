"""The certificates' digital seal, modelled on the EU Digital COVID Certificate and the BSI's
"Digitales Siegel": CBOR payload → COSE_Sign1 (ES256, P-256) → Base45 → QR code; key cards and
signed revocation lists. Pure functions over bytes: no store, no Qt.
"""
