"""Handing a PDF out of Lotse, for every document that has one (the minutes of a conference, a
certificate): print it through the system dialog, save it as a file, and the questions asked
before either. The callers record each copy with their own service."""
