"""applications.interview_at and interview_place: an interview invitation says when and where

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27 13:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # earlier invitations keep no time or place: the seeker sees the status alone, as before
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("interview_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("interview_place", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("interview_place")
        batch.drop_column("interview_at")
