"""Reports for admins and supervisors: per queue and per category over a date range."""
