"""The system-gap register for the steering committee (never personal data)."""
