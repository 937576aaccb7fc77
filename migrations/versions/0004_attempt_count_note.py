"""attempts.count_note: why an attempt played for a group does not count, shown to the learner

Revision ID: 0004_attempt_count_note
Revises: 0003_groups
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_attempt_count_note"
down_revision = "0003_groups"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("count_note", sa.String(length=120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.drop_column("count_note")
