"""groups, accounts, assignments, boards, pledges, certificates

Revision ID: 0003_groups
Revises: 0002_quiz_item_ids
Create Date: 2026-11-22 08:27:33.456433

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_groups'
down_revision = '0002_quiz_item_ids'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('campaigns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaigns'))
    )
    op.create_table('organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_organisations_campaign_id_campaigns')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations'))
    )
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisations_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('quiz_id', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=60), nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('rule', sa.String(length=8), nullable=False),
    sa.Column('tries_per_day', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_assignments_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['quiz_id'], ['quizzes.id'], name=op.f('fk_assignments_quiz_id_quizzes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments'))
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignments_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('display_name', sa.String(length=40), nullable=False),
    sa.Column('password_hash', sa.String(length=256), nullable=False),
    sa.Column('role', sa.String(length=12), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_users_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('join_code', sa.String(length=12), nullable=False),
    sa.Column('quiz_id', sa.String(length=64), nullable=False),
    sa.Column('teacher_id', sa.Integer(), nullable=True),
    sa.Column('board_mode', sa.String(length=8), nullable=False),
    sa.Column('board_top_n', sa.Integer(), nullable=False),
    sa.Column('roster_required', sa.Boolean(), nullable=False),
    sa.Column('families', sa.Integer(), nullable=False),
    sa.Column('pledges', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_groups_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['quiz_id'], ['quizzes.id'], name=op.f('fk_groups_quiz_id_quizzes')),
    sa.ForeignKeyConstraint(['teacher_id'], ['users.id'], name=op.f('fk_groups_teacher_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_groups')),
    sa.UniqueConstraint('join_code', name=op.f('uq_groups_join_code'))
    )
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_groups_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_groups_teacher_id'), ['teacher_id'], unique=False)

    op.create_table('assignment_groups',
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], name=op.f('fk_assignment_groups_assignment_id_assignments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_assignment_groups_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('assignment_id', 'group_id', name=op.f('pk_assignment_groups'))
    )
    with op.batch_alter_table('assignment_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_groups_group_id'), ['group_id'], unique=False)

    op.create_table('family_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=16), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('nickname', sa.String(length=40), nullable=False),
    sa.Column('played_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_family_links_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_family_links_participant_id_participants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_family_links')),
    sa.UniqueConstraint('participant_id', name=op.f('uq_family_links_participant_id')),
    sa.UniqueConstraint('token', name=op.f('uq_family_links_token'))
    )
    with op.batch_alter_table('family_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_family_links_group_id'), ['group_id'], unique=False)

    op.create_table('group_stats',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.Integer(), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=False),
    sa.Column('permille_sum', sa.Integer(), nullable=False),
    sa.Column('last_counted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_group_stats_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'scope', name=op.f('pk_group_stats'))
    )
    op.create_table('roster_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('staff_no', sa.String(length=32), nullable=False),
    sa.Column('department', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_roster_entries_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roster_entries')),
    sa.UniqueConstraint('group_id', 'staff_no', name=op.f('uq_roster_entries_group_id_staff_no'))
    )
    with op.batch_alter_table('roster_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roster_entries_group_id'), ['group_id'], unique=False)

    op.create_table('board_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.Integer(), nullable=False),
    sa.Column('member_key', sa.String(length=24), nullable=False),
    sa.Column('nickname', sa.String(length=40), nullable=False),
    sa.Column('roster_entry_id', sa.Integer(), nullable=True),
    sa.Column('counted', sa.Boolean(), nullable=False),
    sa.Column('attempt_id', sa.String(length=32), nullable=True),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('permille', sa.Integer(), nullable=False),
    sa.Column('seconds', sa.Integer(), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tries_day', sa.String(length=10), nullable=False),
    sa.Column('tries_today', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_board_entries_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['roster_entry_id'], ['roster_entries.id'], name=op.f('fk_board_entries_roster_entry_id_roster_entries'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_board_entries')),
    sa.UniqueConstraint('group_id', 'scope', 'member_key', name=op.f('uq_board_entries_group_id_scope_member_key'))
    )
    with op.batch_alter_table('board_entries', schema=None) as batch_op:
        batch_op.create_index('ix_board_entries_board', ['group_id', 'scope', 'counted'], unique=False)

    op.create_table('pledges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.String(length=32), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('member_key', sa.String(length=24), nullable=False),
    sa.Column('family_link_id', sa.Integer(), nullable=True),
    sa.Column('signer', sa.String(length=40), nullable=False),
    sa.Column('signature_svg_path', sa.String(length=20000), nullable=False),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['family_link_id'], ['family_links.id'], name=op.f('fk_pledges_family_link_id_family_links'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_pledges_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_pledges_participant_id_participants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pledges')),
    sa.UniqueConstraint('attempt_id', name=op.f('uq_pledges_attempt_id')),
    sa.UniqueConstraint('group_id', 'member_key', name=op.f('uq_pledges_group_id_member_key'))
    )
    with op.batch_alter_table('pledges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pledges_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pledges_participant_id'), ['participant_id'], unique=False)

    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('attempt_id', sa.String(length=32), nullable=False),
    sa.Column('holder', sa.String(length=40), nullable=False),
    sa.Column('unit', sa.String(length=130), nullable=False),
    sa.Column('quiz_title', sa.String(length=100), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempts.id'], name=op.f('fk_certificates_attempt_id_attempts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('attempt_id', name=op.f('uq_certificates_attempt_id')),
    sa.UniqueConstraint('code', name=op.f('uq_certificates_code'))
    )
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_questions_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_questions_organisation_id_organisations'), 'organisations', ['organisation_id'], ['id'], ondelete='CASCADE')

    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_quizzes_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_quizzes_organisation_id_organisations'), 'organisations', ['organisation_id'], ['id'], ondelete='CASCADE')

    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('group_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('scope', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('member_key', sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column('roster_entry_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('family_link_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('counted', sa.Boolean(), nullable=True))
        batch_op.create_index(batch_op.f('ix_attempts_family_link_id'), ['family_link_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attempts_group_id'), ['group_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_attempts_group_id_groups'), 'groups', ['group_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_attempts_family_link_id_family_links'), 'family_links', ['family_link_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_attempts_roster_entry_id_roster_entries'), 'roster_entries', ['roster_entry_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_attempts_roster_entry_id_roster_entries'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_attempts_family_link_id_family_links'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_attempts_group_id_groups'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_attempts_group_id'))
        batch_op.drop_index(batch_op.f('ix_attempts_family_link_id'))
        batch_op.drop_column('counted')
        batch_op.drop_column('family_link_id')
        batch_op.drop_column('roster_entry_id')
        batch_op.drop_column('member_key')
        batch_op.drop_column('scope')
        batch_op.drop_column('group_id')

    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_quizzes_organisation_id_organisations'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_quizzes_organisation_id'))
        batch_op.drop_column('organisation_id')

    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_questions_organisation_id_organisations'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_questions_organisation_id'))
        batch_op.drop_column('organisation_id')

    op.drop_table('certificates')
    with op.batch_alter_table('pledges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pledges_participant_id'))
        batch_op.drop_index(batch_op.f('ix_pledges_group_id'))

    op.drop_table('pledges')
    with op.batch_alter_table('board_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_board_entries_board')

    op.drop_table('board_entries')
    with op.batch_alter_table('roster_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roster_entries_group_id'))

    op.drop_table('roster_entries')
    op.drop_table('group_stats')
    with op.batch_alter_table('family_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_family_links_group_id'))

    op.drop_table('family_links')
    with op.batch_alter_table('assignment_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_groups_group_id'))

    op.drop_table('assignment_groups')
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_groups_teacher_id'))
        batch_op.drop_index(batch_op.f('ix_groups_organisation_id'))

    op.drop_table('groups')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_organisation_id'))

    op.drop_table('users')
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignments_organisation_id'))

    op.drop_table('assignments')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisations_campaign_id'))

    op.drop_table('organisations')
    op.drop_table('campaigns')
