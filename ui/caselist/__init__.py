"""The case list ("Fälle"): lazy table model, page, and the "Neuer Fall" dialog."""
