"""telegram links: staff act through the bot only for a Telegram id they linked with a one-time code

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

Existing Telegram ids of staff and admins stay for alerts but are not linked: each staff member links
anew from the console (or an operator with `zonedesk users create --telegram-linked`).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("telegram_linked_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "telegram_link_codes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code_hash", sa.String(length=64), nullable=False, unique=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_telegram_link_codes_user_id", "telegram_link_codes", ["user_id"])

def downgrade() -> None:
    op.drop_index("ix_telegram_link_codes_user_id", table_name="telegram_link_codes")
    op.drop_table("telegram_link_codes")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("telegram_linked_at")
