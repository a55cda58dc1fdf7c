"""SLA warnings, 超时 flags, 督办 and the scheduled job that raises them."""
