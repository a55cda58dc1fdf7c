"""Service requests (tickets): submission, the staff workflow, ratings and the audit log."""
