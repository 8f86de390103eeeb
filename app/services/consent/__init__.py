"""Consents (Schweigepflichtentbindungen), legal bases, the disclosure decision and disclosures."""
