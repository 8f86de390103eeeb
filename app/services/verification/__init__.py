"""Checking a certificate offline: from its QR text, a PDF, a scan or its check code."""
