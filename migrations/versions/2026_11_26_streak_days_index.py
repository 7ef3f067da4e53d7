"""habit entries: an index holding what the Habits screen's streak read needs

Revision ID: 0002_streak_days_index
Revises: 0001_initial
Create Date: 2026-11-26 11:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002_streak_days_index"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("habit_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_habit_entries_streak_days",
            ["habit_id", "deleted_at", "status", "day"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("habit_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_habit_entries_streak_days")
