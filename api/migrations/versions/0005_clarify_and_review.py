"""clarifying picks, unanswered review states, FAQ edits that replace a bundled entry

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ask_picks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("choice", sa.String(length=20), nullable=False),
        sa.Column("measure_id", sa.String(length=200), nullable=True),
        sa.Column("offered", sa.JSON(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("faq_entry_id", sa.Integer(), nullable=True),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["faq_entry_id"], ["faq_entries.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("ask_picks") as batch:
        batch.create_index(batch.f("ix_ask_picks_measure_id"), ["measure_id"], unique=False)
    with op.batch_alter_table("unanswered_questions") as batch:
        batch.add_column(sa.Column("status", sa.String(length=20), nullable=False, server_default="new"))
        batch.add_column(sa.Column("answered_by", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("measure_id", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index(batch.f("ix_unanswered_questions_status"), ["status"], unique=False)
    with op.batch_alter_table("faq_entries") as batch:
        batch.add_column(sa.Column("replaces", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("faq_entries") as batch:
        batch.drop_column("replaces")
    with op.batch_alter_table("unanswered_questions") as batch:
        batch.drop_index(batch.f("ix_unanswered_questions_status"))
        batch.drop_column("resolved_at")
        batch.drop_column("measure_id")
        batch.drop_column("answered_by")
        batch.drop_column("status")
    with op.batch_alter_table("ask_picks") as batch:
        batch.drop_index(batch.f("ix_ask_picks_measure_id"))
    op.drop_table("ask_picks")
