"""Staff training ("Einwanderung erfolgreich managen") and the DGCC criteria."""
