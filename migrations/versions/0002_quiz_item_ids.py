"""quizzes may list the items they draw from (a local case, a teacher's own set)

Revision ID: 0002_quiz_item_ids
Revises: 0001_initial
Create Date: 2026-11-22 06:42:53

"""
import sqlalchemy as sa
from alembic import op

revision = "0002_quiz_item_ids"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("quizzes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("item_ids", sa.JSON(), nullable=False, server_default=sa.text("'[]'")))


def downgrade():
    with op.batch_alter_table("quizzes", schema=None) as batch_op:
        batch_op.drop_column("item_ids")
