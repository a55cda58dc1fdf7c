"""eligibility data: facts and clauses in the database, policy-match jobs (outbox) and notifications

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

The bundled facts and clauses are stored by `zonedesk db upgrade`'s seeding (never replacing an admin's).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "eligibility_facts",
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "eligibility_clauses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clause_id", sa.String(length=80), nullable=False),
        sa.Column("document_id", sa.String(length=80), nullable=False),
        sa.Column("measure_id", sa.String(length=120), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("cases", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("bundled", sa.Boolean(), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["published_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("clause_id"),
    )
    with op.batch_alter_table("eligibility_clauses") as batch_op:
        batch_op.create_index(batch_op.f("ix_eligibility_clauses_document_id"), ["document_id"], unique=False)
    op.create_table(
        "policy_match_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clause_id", sa.String(length=80), nullable=False),
        sa.Column("clause_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("policy_match_jobs") as batch_op:
        batch_op.create_index(batch_op.f("ix_policy_match_jobs_done_at"), ["done_at"], unique=False)
    op.create_table(
        "policy_notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("clause_id", sa.String(length=80), nullable=False),
        sa.Column("clause_version", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["profile_id"], ["eligibility_profiles.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("profile_id", "clause_id", "clause_version"),
    )
    with op.batch_alter_table("policy_notifications") as batch_op:
        batch_op.create_index(batch_op.f("ix_policy_notifications_profile_id"), ["profile_id"], unique=False)
    with op.batch_alter_table("eligibility_profiles") as batch_op:
        batch_op.add_column(sa.Column("notify", sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table("eligibility_profiles") as batch_op:
        batch_op.drop_column("notify")
    op.drop_table("policy_notifications")
    op.drop_table("policy_match_jobs")
    op.drop_table("eligibility_clauses")
    op.drop_table("eligibility_facts")
