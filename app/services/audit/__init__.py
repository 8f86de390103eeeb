"""The audit log as people see it: its entries, a case's history, the anchor and its restart."""
