"""The case file ("Fallakte"): ``window.CaseFileWidget`` and its sections."""
