"""seekers.open_to_employers: whether employers may see a seeker among recommended candidates

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 00:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # existing seekers keep being recommended (masked), as before; each may now say no
    with op.batch_alter_table("seekers") as batch:
        batch.add_column(
            sa.Column("open_to_employers", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    with op.batch_alter_table("seekers") as batch:
        batch.drop_column("open_to_employers")
