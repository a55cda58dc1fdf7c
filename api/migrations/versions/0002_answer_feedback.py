"""answer feedback (👍/👎 on answers)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "answer_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("measure_id", sa.String(length=200), nullable=True),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("answer_feedback") as batch:
        batch.create_index(batch.f("ix_answer_feedback_measure_id"), ["measure_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("answer_feedback") as batch:
        batch.drop_index(batch.f("ix_answer_feedback_measure_id"))
    op.drop_table("answer_feedback")
