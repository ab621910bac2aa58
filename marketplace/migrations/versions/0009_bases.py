"""labour cooperation bases, vacancy digests and webhook deliveries

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 20:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "labour_bases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("province", sa.String(length=20), nullable=False),
        sa.Column("city", sa.String(length=40), nullable=False),
        sa.Column("contact_name", sa.String(length=40), nullable=True),
        sa.Column("contact_phone", sa.String(length=20), nullable=True),
        sa.Column("occupation_prefixes", sa.JSON(), nullable=False),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.Column("min_monthly_pay", sa.Float(), nullable=True),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("districts", sa.JSON(), nullable=False),
        sa.Column("webhook_url", sa.String(length=500), nullable=True),
        sa.Column("webhook_secret", sa.String(length=64), nullable=False),
        sa.Column("feed_token_hash", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_labour_bases")),
    )
    op.create_table(
        "base_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("base_id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.String(length=36), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["base_id"],
            ["labour_bases.id"],
            name=op.f("fk_base_deliveries_base_id_labour_bases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_base_deliveries")),
        sa.UniqueConstraint("delivery_id", name=op.f("uq_base_deliveries_delivery_id")),
    )
    with op.batch_alter_table("base_deliveries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_base_deliveries_base_id"), ["base_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_base_deliveries_next_attempt_at"), ["next_attempt_at"], unique=False
        )
    op.create_table(
        "base_delivery_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["base_deliveries.id"],
            name=op.f("fk_base_delivery_jobs_delivery_id_base_deliveries"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["jobs.id"],
            name=op.f("fk_base_delivery_jobs_job_id_jobs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_base_delivery_jobs")),
        sa.UniqueConstraint(
            "delivery_id", "job_id", name=op.f("uq_base_delivery_jobs_delivery_id_job_id")
        ),
    )
    with op.batch_alter_table("base_delivery_jobs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_base_delivery_jobs_delivery_id"), ["delivery_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_base_delivery_jobs_job_id"), ["job_id"], unique=False)
    op.create_table(
        "base_delivery_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("error", sa.String(length=300), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("next_retry_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["base_deliveries.id"],
            name=op.f("fk_base_delivery_attempts_delivery_id_base_deliveries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_base_delivery_attempts")),
    )
    with op.batch_alter_table("base_delivery_attempts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_base_delivery_attempts_delivery_id"), ["delivery_id"], unique=False
        )
    op.create_table(
        "base_recruits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("base_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("person_name", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_base_recruits_application_id_applications"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["base_id"],
            ["labour_bases.id"],
            name=op.f("fk_base_recruits_base_id_labour_bases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"], ["jobs.id"], name=op.f("fk_base_recruits_job_id_jobs"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"],
            ["users.id"],
            name=op.f("fk_base_recruits_recorded_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_base_recruits")),
        sa.UniqueConstraint("application_id", name=op.f("uq_base_recruits_application_id")),
    )
    with op.batch_alter_table("base_recruits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_base_recruits_base_id"), ["base_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("base_recruits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_base_recruits_base_id"))
    op.drop_table("base_recruits")
    with op.batch_alter_table("base_delivery_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_base_delivery_attempts_delivery_id"))
    op.drop_table("base_delivery_attempts")
    with op.batch_alter_table("base_delivery_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_base_delivery_jobs_job_id"))
        batch_op.drop_index(batch_op.f("ix_base_delivery_jobs_delivery_id"))
    op.drop_table("base_delivery_jobs")
    with op.batch_alter_table("base_deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_base_deliveries_next_attempt_at"))
        batch_op.drop_index(batch_op.f("ix_base_deliveries_base_id"))
    op.drop_table("base_deliveries")
    op.drop_table("labour_bases")
