"""What the Heute page shows."""
