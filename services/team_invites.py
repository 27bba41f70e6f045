"""Invitations to an enterprise's team: an owner names a colleague's e-mail, the colleague
gets a link, and opening it (signed in with that address, or registering with it there and
then) makes them approved staff at once — the owner vouches for them, and the audit log says
who did.

The link carries a random token; only its SHA-256 is kept. It works once and for
``INVITE_DAYS``; a new invitation to the same address replaces the open one.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from extensions import begin_writing, db
from models import Enterprise, EnterpriseStaff, StaffInvite, User
from models._common import utcnow
from services import account_mail, audit
from services.accounts import _new_user, find_user, normalise_email
from services.notifications import notify
from services.team import TEAM_PAGE, TeamRefused, lock_team, members_query, owners, require_owner

INVITE_DAYS = 7
# Open invitations one enterprise may have at a time (a mistyped list, not a mailing tool).
MAX_OPEN_INVITES = 20
# Tokens are secrets.token_urlsafe(32): 43 characters; anything much longer is not one.
MAX_TOKEN_LENGTH = 100
# The link in the mail: the view ``employer.invite`` (tests open it from the mail).
INVITE_PATH = "/employer/invite/{token}"


def _digest(token: str) -> str:
    # 256-bit random tokens: a fast hash is enough (there is no dictionary to try).
    return hashlib.sha256(token.encode()).hexdigest()


def _open(query):
    return query.where(
        StaffInvite.accepted_at.is_(None),
        StaffInvite.revoked_at.is_(None),
        StaffInvite.expires_at > utcnow(),
    )


def open_invites(enterprise: Enterprise) -> list[StaffInvite]:
    """Invitations that may still be accepted, newest first."""
    query = select(StaffInvite).where(StaffInvite.enterprise_id == enterprise.id)
    return list(db.session.scalars(_open(query).order_by(StaffInvite.id.desc())))


def _on_team(enterprise_id: int, email: str) -> bool:
    return (
        db.session.scalar(
            members_query(enterprise_id)
            .join(User, User.id == EnterpriseStaff.user_id)
            .where(User.email == email)
            .limit(1)
        )
        is not None
    )


def invite(owner: EnterpriseStaff, email: str, position: str) -> StaffInvite:
    """Invite ``email`` to the owner's enterprise and mail the link (after the commit, in the
    invitee's language if they have an account here, else the owner's). An open invitation
    for the same address is replaced. Commits.

    :raises NotOwner: when ``owner`` is not an owner.
    :raises TeamRefused: ``on_team`` (that address is staff already), ``too_many`` (the
        enterprise has ``MAX_OPEN_INVITES`` open invitations).
    """
    enterprise_id = owner.enterprise_id
    lock_team(enterprise_id)
    db.session.refresh(owner)  # a hand-over may have happened since it was loaded
    require_owner(owner)
    email = normalise_email(email)
    if _on_team(enterprise_id, email):
        raise TeamRefused("on_team")
    query = select(StaffInvite).where(StaffInvite.enterprise_id == enterprise_id)
    same = list(db.session.scalars(_open(query).where(StaffInvite.email == email)))
    count = db.session.scalar(
        _open(select(func.count(StaffInvite.id))).where(StaffInvite.enterprise_id == enterprise_id)
    )
    if count - len(same) >= MAX_OPEN_INVITES:
        raise TeamRefused("too_many")
    now = utcnow()
    for old in same:
        old.revoked_at = now
    token = secrets.token_urlsafe(32)
    row = StaffInvite(
        enterprise_id=enterprise_id,
        email=email,
        position=" ".join(position.split()),
        token_hash=_digest(token),
        invited_by_id=owner.user_id,
        expires_at=now + timedelta(days=INVITE_DAYS),
    )
    db.session.add(row)
    db.session.flush()
    audit.record("team.invite", row, actor=owner.user, email=email, replaced=len(same))
    invitee = find_user(email)
    account_mail.send(
        email,
        "staff_invite",
        (invitee.locale if invitee else None) or owner.user.locale,
        enterprise=owner.enterprise.name,
        inviter=owner.user.display_name,
        position=row.position,
        link=INVITE_PATH.format(token=token),
        days=INVITE_DAYS,
    )
    db.session.commit()
    return row


def revoke(owner: EnterpriseStaff, invite_id: int) -> bool:
    """Revoke an open invitation of the owner's enterprise; whether there was one. Commits.

    :raises NotOwner: when ``owner`` is not an owner (checked after the invitation is found,
        so that another enterprise's id reads as "not found" to everyone).
    """
    query = select(StaffInvite).where(
        StaffInvite.id == invite_id, StaffInvite.enterprise_id == owner.enterprise_id
    )
    row = db.session.scalar(_open(query))
    if row is None:
        return False
    require_owner(owner)
    row.revoked_at = utcnow()
    audit.record("team.revoke", row, actor=owner.user, email=row.email)
    db.session.commit()
    return True


def find_invite(token: str) -> StaffInvite | None:
    """The invitation a link's token names, whatever its state (None if it names none)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return db.session.scalar(
        select(StaffInvite)
        .where(StaffInvite.token_hash == _digest(token))
        .options(joinedload(StaffInvite.enterprise))
    )


def why_closed(row: StaffInvite) -> str | None:
    """Why the invitation no longer works: ``accepted``, ``revoked`` or ``expired``; None while
    it is open."""
    if row.accepted_at is not None:
        return "accepted"
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at <= utcnow():
        return "expired"
    return None


def is_for(row: StaffInvite, user: User) -> bool:
    """Whether a signed-in account may accept the invitation: an employer's with its e-mail."""
    return user.role == "employer" and normalise_email(user.email) == row.email


def _lock_invite(invite_id: int) -> StaffInvite | None:
    """The invitation, locked until this transaction ends and read afresh (two clicks on
    «Присоединиться» must not both use it)."""
    begin_writing()
    query = select(StaffInvite).where(StaffInvite.id == invite_id)
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return db.session.scalar(query.execution_options(populate_existing=True))


def accept(invite_id: int, user: User) -> EnterpriseStaff:
    """Join the enterprise by its invitation: an approved link (an existing pending or
    rejected link of the same account is approved), the invitation used up, the owners told.
    Commits.

    :raises TeamRefused: ``accepted``/``revoked``/``expired`` when the invitation is closed
        (a second click included), ``not_for_you`` when it was meant for another address.
    """
    row = _lock_invite(invite_id)
    if row is None:
        raise TeamRefused("revoked")
    if (closed := why_closed(row)) is not None:
        raise TeamRefused(closed)
    if not is_for(row, user):
        raise TeamRefused("not_for_you")
    link = db.session.scalar(
        select(EnterpriseStaff).where(
            EnterpriseStaff.enterprise_id == row.enterprise_id, EnterpriseStaff.user_id == user.id
        )
    )
    if link is None:
        link = EnterpriseStaff(enterprise_id=row.enterprise_id, user_id=user.id)
        db.session.add(link)
    link.state = "approved"
    link.position = row.position or link.position
    row.accepted_at = utcnow()
    db.session.flush()
    audit.record("team.join", link, actor=user, invite=row.id, vouched_by=row.invited_by_id)
    for owner in owners(row.enterprise_id):
        if owner.user_id != user.id:
            notify(
                owner.user,
                "team.joined",
                link=TEAM_PAGE,
                name=user.display_name,
                enterprise=row.enterprise.name,
            )
    db.session.commit()
    return link


def register_and_accept(invite_id: int, display_name: str, password: str) -> User:
    """Create an employer account for the invitation's address (the mailed link proves it is
    theirs) and join the enterprise with it. Commits.

    :raises AccountError: when the address has an account already.
    :raises TeamRefused: when the invitation is closed.
    """
    row = _lock_invite(invite_id)
    if row is None:
        raise TeamRefused("revoked")
    if (closed := why_closed(row)) is not None:
        raise TeamRefused(closed)
    user = _new_user(row.email, password, "employer", display_name)
    db.session.flush()
    audit.record("account.register", user, role="employer", invite=row.id)
    accept(row.id, user)
    return user
