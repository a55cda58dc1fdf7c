"""supervision: SLA alerts, 督办, queue supervisors, canned replies, job leases, report indexes

Revision ID: 0010
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("queue_memberships") as batch:
        batch.add_column(sa.Column("supervisor", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "job_leases",
        sa.Column("name", sa.String(length=64), primary_key=True),
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "sla_alerts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("ticket_id", "kind", "due_at", name="uq_sla_alerts_ticket_kind_due"),
    )
    op.create_index("ix_sla_alerts_ticket_id", "sla_alerts", ["ticket_id"])
    op.create_table(
        "ticket_supervisions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("assignee_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    )
    op.create_index("ix_ticket_supervisions_ticket_id", "ticket_supervisions", ["ticket_id"])
    op.create_index("ix_ticket_supervisions_assignee_id", "ticket_supervisions", ["assignee_id"])
    op.create_table(
        "canned_replies",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("queue_id", sa.Integer(), sa.ForeignKey("queues.id", ondelete="CASCADE"), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_canned_replies_queue_id", "canned_replies", ["queue_id"])
    op.create_index("ix_tickets_created_at", "tickets", ["created_at"])
    op.create_index("ix_tickets_resolved_at", "tickets", ["resolved_at"])


def downgrade() -> None:
    op.drop_index("ix_tickets_resolved_at", table_name="tickets")
    op.drop_index("ix_tickets_created_at", table_name="tickets")
    op.drop_index("ix_canned_replies_queue_id", table_name="canned_replies")
    op.drop_table("canned_replies")
    op.drop_index("ix_ticket_supervisions_assignee_id", table_name="ticket_supervisions")
    op.drop_index("ix_ticket_supervisions_ticket_id", table_name="ticket_supervisions")
    op.drop_table("ticket_supervisions")
    op.drop_index("ix_sla_alerts_ticket_id", table_name="sla_alerts")
    op.drop_table("sla_alerts")
    op.drop_table("job_leases")
    with op.batch_alter_table("queue_memberships") as batch:
        batch.drop_column("supervisor")
