"""quiz_uploaders: who uploaded each of an organisation's own quizzes (a teacher retires only those)

Revision ID: 0008_quiz_uploaders
Revises: 0007_login_throttles
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_quiz_uploaders"
down_revision = "0007_login_throttles"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "quiz_uploaders",
        sa.Column("quiz_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["quiz_id"], ["quizzes.id"], name=op.f("fk_quiz_uploaders_quiz_id_quizzes"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_quiz_uploaders_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("quiz_id", "user_id", name=op.f("pk_quiz_uploaders")),
    )
    with op.batch_alter_table("quiz_uploaders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quiz_uploaders_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("quiz_uploaders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quiz_uploaders_user_id"))
    op.drop_table("quiz_uploaders")
