"""``lotse --self-test``: the checks that need no Qt, one module each.

``report`` runs a check and words its outcome; ``vault`` makes, locks, reopens and searches a
throw-away vault; ``document`` renders a PDF/A certificate; ``qr`` round-trips a QR code as the
certificates draw it; ``share`` writes a partial file to the share folder. The Qt checks (fonts,
translations, QtPdf) and the dialog live in ``ui.selftest``.
"""
