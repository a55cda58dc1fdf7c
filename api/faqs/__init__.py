"""FAQ entries and the log of unanswered questions (stored for the admin pages)."""
