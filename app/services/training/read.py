"""Reading side of the training domain (issue 11)."""
