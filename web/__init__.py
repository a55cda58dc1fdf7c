"""Web pages: the public chat page `/`, the staff console `/staff` and the admin pages `/admin`."""
