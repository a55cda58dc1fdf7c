"""ticket number from a sequence: PostgreSQL numbers a ticket as it inserts it (no UPDATE after the insert)

Revision ID: 0011
Revises: 0007
Create Date: 2026-12-02

The number keeps its form (ZD-000123, plain digits past 999999, as `format_number`) and continues after
the highest ticket id, so no existing number is issued again. SQLite has no sequences: there the
number is still set from the id right after the insert.
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE SEQUENCE ticket_number_seq OWNED BY tickets.number")
    op.execute(
        "SELECT setval('ticket_number_seq', COALESCE((SELECT MAX(id) FROM tickets), 1),"
        " EXISTS (SELECT 1 FROM tickets))"
    )
    op.execute(
        """
        CREATE FUNCTION zonedesk_next_ticket_number() RETURNS varchar LANGUAGE sql VOLATILE AS $$
            SELECT 'ZD-' || CASE WHEN n < 1000000 THEN lpad(n::text, 6, '0') ELSE n::text END
            FROM (SELECT nextval('ticket_number_seq') AS n) AS next
        $$
        """
    )
    op.execute("ALTER TABLE tickets ALTER COLUMN number SET DEFAULT zonedesk_next_ticket_number()")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE tickets ALTER COLUMN number DROP DEFAULT")
    op.execute("DROP FUNCTION zonedesk_next_ticket_number()")
    op.execute("DROP SEQUENCE ticket_number_seq")
