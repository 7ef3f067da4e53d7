"""points entries: an index on (family_id, created_at) for the weekly report's awards

Revision ID: 0003_points_family_created_index
Revises: 0002_streak_days_index
Create Date: 2026-11-26 13:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003_points_family_created_index"
down_revision: str | None = "0002_streak_days_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("points_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_points_entries_family_id_created_at",
            ["family_id", "created_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("points_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_points_entries_family_id_created_at")
