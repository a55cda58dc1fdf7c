"""Ticket events: the transactional outbox, the wake-up bus and the SSE stream."""
