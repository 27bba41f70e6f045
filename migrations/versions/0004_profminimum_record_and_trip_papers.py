"""profminimum record and trip papers

The «Профминимум» record (each school's level per school year, each student's activities with
hours and direction); what a class trip's papers need: the booking's transport and escorts, the
enterprise's contact and what to wear and bring to a programme.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 12:25:41.874213

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('profminimum_levels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("level IN ('basic', 'main', 'advanced')", name=op.f('ck_profminimum_levels_level_known')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_profminimum_levels_school_id_schools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_profminimum_levels')),
    sa.UniqueConstraint('school_id', 'year', name=op.f('uq_profminimum_levels_school_id_year'))
    )
    op.create_table('career_activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('hours', sa.Numeric(precision=4, scale=1), nullable=False),
    sa.Column('direction', sa.String(length=12), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=True),
    sa.Column('batch', sa.String(length=32), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("direction IN ('horizons', 'lessons', 'diagnostics', 'trials', 'excursions', 'meetings', 'parents', 'other')", name=op.f('ck_career_activities_direction_known')),
    sa.CheckConstraint('hours > 0 AND hours <= 40', name=op.f('ck_career_activities_hours_range')),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_career_activities_booking_id_bookings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_career_activities_recorded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['student_id'], ['users.id'], name=op.f('fk_career_activities_student_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_career_activities')),
    sa.UniqueConstraint('student_id', 'booking_id', name=op.f('uq_career_activities_student_id_booking_id'))
    )
    with op.batch_alter_table('career_activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_career_activities_batch'), ['batch'], unique=False)
        batch_op.create_index(batch_op.f('ix_career_activities_booking_id'), ['booking_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_career_activities_student_id'), ['student_id'], unique=False)

    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('transport', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('escorts', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.create_check_constraint(
            'transport_known', "transport IS NULL OR transport IN ('bus', 'public', 'walk')"
        )

    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact', sa.String(length=300), nullable=False, server_default=''))

    with op.batch_alter_table('tour_programmes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('what_to_bring', sa.JSON(), nullable=False, server_default='[]'))



def downgrade():
    with op.batch_alter_table('tour_programmes', schema=None) as batch_op:
        batch_op.drop_column('what_to_bring')

    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.drop_column('contact')

    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_bookings_transport_known'), type_='check')
        batch_op.drop_column('escorts')
        batch_op.drop_column('transport')

    with op.batch_alter_table('career_activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_career_activities_student_id'))
        batch_op.drop_index(batch_op.f('ix_career_activities_booking_id'))
        batch_op.drop_index(batch_op.f('ix_career_activities_batch'))

    op.drop_table('career_activities')
    op.drop_table('profminimum_levels')
