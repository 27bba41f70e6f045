"""bookings and waiting lists

Bookings gain the waiting list (offered, with an expiry), cancellation reasons and reminders;
one live booking per class or student and session replaces one booking per class ever; sessions
gain the time booking closes; programmes their cutoffs and meeting point; notifications the
parameters they are rendered from in the reader's language and their e-mail state.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 11:14:40.960867

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

NEW_STATES = "state IN ('confirmed', 'waitlisted', 'offered', 'cancelled', 'attended', 'no_show')"
OLD_STATES = "state IN ('confirmed', 'waitlisted', 'cancelled', 'attended')"
NEW_KIND = (
    "(kind = 'class' AND class_id IS NOT NULL)"
    " OR (kind = 'individual' AND class_id IS NULL AND students = 1 AND adults = 0)"
)
OLD_KIND = "(kind = 'class' AND class_id IS NOT NULL) OR (kind = 'individual' AND class_id IS NULL)"
REASONS = (
    "cancel_reason IS NULL OR cancel_reason IN ('by_booker', 'offer_expired', "
    "'offer_declined', 'session_cancelled', 'waitlist_closed')"
)
LIVE_CLASS = sa.text("state <> 'cancelled' AND class_id IS NOT NULL")
LIVE_STUDENT = sa.text("state <> 'cancelled' AND kind = 'individual'")


def upgrade():
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('waitlisted_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('offer_expires_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('cancelled_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('cancel_reason', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('reminded_at', sa.DateTime(), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_bookings_session_id_class_id'), type_='unique')
        batch_op.drop_constraint(batch_op.f('ck_bookings_state_known'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_bookings_class_matches_kind'), type_='check')
        batch_op.create_check_constraint('state_known', NEW_STATES)
        batch_op.create_check_constraint('class_matches_kind', NEW_KIND)
        batch_op.create_check_constraint(
            'offer_has_expiry', "state <> 'offered' OR offer_expires_at IS NOT NULL"
        )
        batch_op.create_check_constraint('cancel_reason_known', REASONS)
        batch_op.create_index('ix_bookings_waiting', ['session_id', 'state', 'waitlisted_at'], unique=False)
        batch_op.create_index('uq_bookings_live_class', ['session_id', 'class_id'], unique=True, sqlite_where=LIVE_CLASS, postgresql_where=LIVE_CLASS)
        batch_op.create_index('uq_bookings_live_student', ['session_id', 'booked_by_id'], unique=True, sqlite_where=LIVE_STUDENT, postgresql_where=LIVE_STUDENT)

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('email_pending', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('emailed_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_notifications_email_pending'), ['email_pending'], unique=False)

    with op.batch_alter_table('tour_programmes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('meeting_point', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('booking_cutoff_hours', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('cancel_cutoff_hours', sa.Integer(), nullable=False, server_default='2'))
        batch_op.create_check_constraint(
            'cutoffs_nonneg', 'booking_cutoff_hours >= 0 AND cancel_cutoff_hours >= 0'
        )

    # Booking stayed open until the start for every session that exists already.
    with op.batch_alter_table('tour_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('booking_closes_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('cancel_reason', sa.Text(), nullable=False, server_default=''))
    op.execute("UPDATE tour_sessions SET booking_closes_at = starts_at")
    with op.batch_alter_table('tour_sessions', schema=None) as batch_op:
        batch_op.alter_column('booking_closes_at', existing_type=sa.DateTime(), nullable=False)
        batch_op.create_check_constraint(
            'booking_closes_before_start', 'booking_closes_at <= starts_at'
        )


def downgrade():
    with op.batch_alter_table('tour_sessions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_tour_sessions_booking_closes_before_start'), type_='check')
        batch_op.drop_column('cancel_reason')
        batch_op.drop_column('booking_closes_at')

    with op.batch_alter_table('tour_programmes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_tour_programmes_cutoffs_nonneg'), type_='check')
        batch_op.drop_column('cancel_cutoff_hours')
        batch_op.drop_column('booking_cutoff_hours')
        batch_op.drop_column('meeting_point')

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notifications_email_pending'))
        batch_op.drop_column('emailed_at')
        batch_op.drop_column('email_pending')
        batch_op.drop_column('params')

    # Bookings only the new states allow have no place in the old schema.
    op.execute("DELETE FROM bookings WHERE state IN ('offered', 'no_show')")
    op.execute(
        "DELETE FROM bookings WHERE state = 'cancelled' AND id NOT IN ("
        "SELECT MAX(id) FROM bookings WHERE class_id IS NOT NULL GROUP BY session_id, class_id)"
    )
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_index('uq_bookings_live_student', sqlite_where=LIVE_STUDENT, postgresql_where=LIVE_STUDENT)
        batch_op.drop_index('uq_bookings_live_class', sqlite_where=LIVE_CLASS, postgresql_where=LIVE_CLASS)
        batch_op.drop_index('ix_bookings_waiting')
        batch_op.drop_constraint(batch_op.f('ck_bookings_cancel_reason_known'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_bookings_offer_has_expiry'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_bookings_class_matches_kind'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_bookings_state_known'), type_='check')
        batch_op.create_check_constraint('class_matches_kind', OLD_KIND)
        batch_op.create_check_constraint('state_known', OLD_STATES)
        batch_op.create_unique_constraint(batch_op.f('uq_bookings_session_id_class_id'), ['session_id', 'class_id'])
        batch_op.drop_column('reminded_at')
        batch_op.drop_column('cancel_reason')
        batch_op.drop_column('cancelled_at')
        batch_op.drop_column('offer_expires_at')
        batch_op.drop_column('waitlisted_at')
