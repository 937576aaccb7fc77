"""questions.role and quizzes.roles: staff items written for one post, and the posts a quiz draws

Revision ID: 0005_roles
Revises: 0004_attempt_count_note
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_roles"
down_revision = "0004_attempt_count_note"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("role", sa.String(length=20), nullable=True))
    with op.batch_alter_table("quizzes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("roles", sa.JSON(), nullable=False, server_default=sa.text("'[]'")))


def downgrade() -> None:
    with op.batch_alter_table("quizzes", schema=None) as batch_op:
        batch_op.drop_column("roles")
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_column("role")
