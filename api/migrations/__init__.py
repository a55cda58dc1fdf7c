"""Alembic migrations of the zonedesk schema (run by `zonedesk db upgrade` and at start on SQLite)."""
