"""DGCC phases: steps checked against the minimum documentation, the phase history."""
