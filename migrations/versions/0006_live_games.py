"""live_games and live_players: the host-paced 班会 game (课堂竞答)

Revision ID: 0006_live_games
Revises: 0005_roles
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_live_games"
down_revision = "0005_roles"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "live_games",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pin", sa.String(length=6), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("quiz_id", sa.String(length=64), nullable=False),
        sa.Column("host_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question_count", sa.Integer(), nullable=False),
        sa.Column("slots", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("state_version", sa.Integer(), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("players", sa.Integer(), nullable=False),
        sa.Column("player_cap", sa.Integer(), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("phase_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paused_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["group_id"], ["groups.id"], name=op.f("fk_live_games_group_id_groups"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["host_id"], ["users.id"], name=op.f("fk_live_games_host_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["quiz_id"], ["quizzes.id"], name=op.f("fk_live_games_quiz_id_quizzes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_games")),
        sa.UniqueConstraint("pin", name=op.f("uq_live_games_pin")),
    )
    with op.batch_alter_table("live_games", schema=None) as batch_op:
        batch_op.create_index("ix_live_games_group_state", ["group_id", "state"], unique=False)
        batch_op.create_index(batch_op.f("ix_live_games_host_id"), ["host_id"], unique=False)

    op.create_table(
        "live_players",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("game_id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.String(length=32), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("kicked", sa.Boolean(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["attempt_id"], ["attempts.id"], name=op.f("fk_live_players_attempt_id_attempts"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["game_id"], ["live_games.id"], name=op.f("fk_live_players_game_id_live_games"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["participant_id"], ["participants.id"], name=op.f("fk_live_players_participant_id_participants"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_players")),
        sa.UniqueConstraint("attempt_id", name=op.f("uq_live_players_attempt_id")),
        sa.UniqueConstraint("game_id", "participant_id", name=op.f("uq_live_players_game_id_participant_id")),
    )
    with op.batch_alter_table("live_players", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_live_players_game_id"), ["game_id"], unique=False)


def downgrade() -> None:
    op.drop_table("live_players")
    op.drop_table("live_games")
