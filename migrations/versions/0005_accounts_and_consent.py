"""accounts a parent can trust

Revocable login sessions (one row per signed-in browser); counsellors approved like
employers; API tokens that expire; consent per purpose and the links
that ask a parent for it; bookings and feedback that outlive a deleted account (anonymous), and
the reasons a booking ends when consent is withdrawn or the account deleted.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 13:39:42.505644

"""
from datetime import datetime, timedelta

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('remember', sa.Boolean(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_login_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_sessions'))
    )
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_sessions_user_id'), ['user_id'], unique=False)

    op.create_table('parent_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('parent_email', sa.String(length=254), nullable=False),
    sa.Column('purposes', sa.JSON(), nullable=False),
    sa.Column('nonce', sa.String(length=32), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['student_id'], ['users.id'], name=op.f('fk_parent_requests_student_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parent_requests'))
    )
    with op.batch_alter_table('parent_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_parent_requests_student_id'), ['student_id'], unique=False)

    op.create_table('consents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('granted', sa.Boolean(), nullable=False),
    sa.Column('version', sa.String(length=20), nullable=False),
    sa.Column('given_by', sa.String(length=10), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('withdrawn_by', sa.String(length=10), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("given_by IN ('student', 'parent')", name=op.f('ck_consents_giver_known')),
    sa.CheckConstraint("purpose IN ('account', 'counsellor', 'booking', 'employer_contact')", name=op.f('ck_consents_purpose_known')),
    sa.CheckConstraint('granted OR withdrawn_at IS NULL', name=op.f('ck_consents_only_given_is_withdrawn')),
    sa.ForeignKeyConstraint(['request_id'], ['parent_requests.id'], name=op.f('fk_consents_request_id_parent_requests'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_consents_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consents'))
    )
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.create_index('ix_consents_user_purpose', ['user_id', 'purpose'], unique=False)

    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.alter_column('booked_by_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.drop_constraint(batch_op.f('fk_bookings_booked_by_id_users'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_bookings_booked_by_id_users'), 'users', ['booked_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.alter_column('author_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.drop_constraint(batch_op.f('fk_feedback_author_id_users'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_feedback_author_id_users'), 'users', ['author_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_bookings_cancel_reason_known'), type_='check')
        batch_op.create_check_constraint(
            'cancel_reason_known', "cancel_reason IS NULL OR cancel_reason IN ('by_booker', 'offer_expired', 'offer_declined', 'session_cancelled', 'waitlist_closed', 'consent_withdrawn', 'account_deleted')"
        )

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('moderation_state', sa.String(length=10), nullable=False, server_default='approved')
        )
        batch_op.create_check_constraint(
            'moderation_known', "moderation_state IN ('pending', 'approved', 'rejected')"
        )

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(), nullable=True))
    # Tokens issued before they expired run for a year from now.
    op.execute(
        sa.text("UPDATE api_tokens SET expires_at = :until").bindparams(
            until=datetime.utcnow() + timedelta(days=365)
        )
    )

    # Students registered before consent was recorded per purpose keep their account (the
    # consent their registration recorded); counsellor sharing and booking they choose anew.
    op.execute(
        "INSERT INTO consents (user_id, purpose, granted, version, given_by, created_at) "
        "SELECT id, 'account', true, '2026-11', "
        "CASE WHEN consent_state = 'granted' THEN 'parent' ELSE 'student' END, created_at "
        "FROM users WHERE role = 'student' AND consent_state IN ('not_required', 'granted')"
    )


def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_users_moderation_known'), type_='check')
        batch_op.drop_column('moderation_state')
    op.execute("DELETE FROM bookings WHERE cancel_reason IN ('consent_withdrawn', 'account_deleted')")
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_bookings_cancel_reason_known'), type_='check')
        batch_op.create_check_constraint(
            'cancel_reason_known', "cancel_reason IS NULL OR cancel_reason IN ('by_booker', 'offer_expired', 'offer_declined', 'session_cancelled', 'waitlist_closed')"
        )
    op.execute("DELETE FROM bookings WHERE booked_by_id IS NULL")
    op.execute("DELETE FROM feedback WHERE author_id IS NULL")
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_feedback_author_id_users'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_feedback_author_id_users'), 'users', ['author_id'], ['id'], ondelete='CASCADE')
        batch_op.alter_column('author_id',
               existing_type=sa.INTEGER(),
               nullable=False)

    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_bookings_booked_by_id_users'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_bookings_booked_by_id_users'), 'users', ['booked_by_id'], ['id'], ondelete='CASCADE')
        batch_op.alter_column('booked_by_id',
               existing_type=sa.INTEGER(),
               nullable=False)

    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.drop_index('ix_consents_user_purpose')

    op.drop_table('consents')
    with op.batch_alter_table('parent_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_parent_requests_student_id'))

    op.drop_table('parent_requests')
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_sessions_user_id'))

    op.drop_table('login_sessions')
