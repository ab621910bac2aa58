"""policy matching (政策找人): policies as data, claims, declared facts

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 20:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "policies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("side", sa.String(length=10), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("amount", sa.JSON(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("office", sa.String(length=120), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("rule", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policies")),
        sa.UniqueConstraint("code", name=op.f("uq_policies_code")),
    )
    op.create_table(
        "policy_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seeker_id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("applied_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_policy_claims_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["policy_id"], ["policies.id"], name=op.f("fk_policy_claims_policy_id_policies")
        ),
        sa.ForeignKeyConstraint(
            ["seeker_id"],
            ["seekers.id"],
            name=op.f("fk_policy_claims_seeker_id_seekers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_claims")),
    )
    with op.batch_alter_table("policy_claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_policy_claims_policy_id"), ["policy_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_policy_claims_seeker_id"), ["seeker_id"], unique=False)
    op.create_table(
        "policy_declarations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seeker_id", sa.Integer(), nullable=False),
        sa.Column("fact", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Boolean(), nullable=False),
        sa.Column("declared_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["seeker_id"],
            ["seekers.id"],
            name=op.f("fk_policy_declarations_seeker_id_seekers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_declarations")),
        sa.UniqueConstraint(
            "seeker_id", "fact", name=op.f("uq_policy_declarations_seeker_id_fact")
        ),
    )
    with op.batch_alter_table("policy_declarations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_policy_declarations_seeker_id"), ["seeker_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("policy_declarations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_policy_declarations_seeker_id"))
    op.drop_table("policy_declarations")
    with op.batch_alter_table("policy_claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_policy_claims_seeker_id"))
        batch_op.drop_index(batch_op.f("ix_policy_claims_policy_id"))
    op.drop_table("policy_claims")
    op.drop_table("policies")
