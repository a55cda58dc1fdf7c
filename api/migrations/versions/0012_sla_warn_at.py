"""tickets.sla_warn_at: the moment a running ticket reaches 75 % of its own SLA (预警)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02

Set whenever the clock starts or restarts. Tickets stored before this revision keep NULL there and
are warned by their queue's SLA hours, as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("sla_warn_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_tickets_sla_warn_at", ["sla_warn_at"])


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.drop_index("ix_tickets_sla_warn_at")
        batch.drop_column("sla_warn_at")
