"""Residence statuses of a case's client."""
