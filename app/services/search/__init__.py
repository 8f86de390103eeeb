"""Search as you type (names, case numbers) and journal full text."""
