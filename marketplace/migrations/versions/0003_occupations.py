"""occupations: the national occupation classification (CSCO 2022)

Revision ID: 0003
Revises: 0004
Create Date: 2026-11-26 18:56:07.086555
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "occupations",
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("parent_code", sa.String(length=12), nullable=True),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("tasks", sa.Text(), nullable=False),
        sa.Column("aliases", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_code"],
            ["occupations.code"],
            name=op.f("fk_occupations_parent_code_occupations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_occupations")),
    )
    with op.batch_alter_table("occupations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_occupations_level"), ["level"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_occupations_parent_code"), ["parent_code"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("occupations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_occupations_parent_code"))
        batch_op.drop_index(batch_op.f("ix_occupations_level"))

    op.drop_table("occupations")
