"""办事指南: per-category service guides and the materials staff tick on a ticket."""
