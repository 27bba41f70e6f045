"""An enterprise's team: who its staff are, who owns it, removing a member and handing
ownership over (invitations are ``services.team_invites``).

An owner (``EnterpriseStaff.is_owner``) invites and removes the others. The first approved
member of an enterprise becomes its owner when regional staff approve them
(``services.moderation.decide_staff``; the demo seed makes its one employer per enterprise the
owner). An enterprise whose staff were approved before owners existed, or whose only owner's
account was deleted, gets its oldest approved member as owner the first time one of its staff
opens the team page (``ensure_owner``, where the invitation form is): the schema is fixed, so
no data migration sets it, and a team is never left without someone who can invite. Requests
that change something never settle it on the side.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from extensions import begin_writing, db
from models import Enterprise, EnterpriseStaff, User
from services import audit
from services.notifications import notify

# Where notifications send the reader (no request is needed to know it: jobs and the CLI too).
TEAM_PAGE = "/employer/team"


class TeamRefused(Exception):
    """A team change that cannot be made; ``code`` says why (the view words it)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class NotOwner(TeamRefused):
    """Only an owner of the enterprise may do this."""

    def __init__(self):
        super().__init__("not_owner")


# --- who is on the team ------------------------------------------------------------------------


def members_query(enterprise_id: int):
    """A query of the enterprise's approved staff links."""
    return select(EnterpriseStaff).where(
        EnterpriseStaff.enterprise_id == enterprise_id, EnterpriseStaff.is_approved
    )


def ensure_owner(enterprise: Enterprise) -> None:
    """Make the oldest approved member owner when the enterprise has approved staff but no
    owner (data from before owners existed, or an owner whose account was deleted); commits
    only when it changed something."""
    has_owner = db.session.scalar(
        members_query(enterprise.id).where(EnterpriseStaff.is_owner.is_(True)).limit(1)
    )
    if has_owner is not None:
        return
    oldest = db.session.scalar(members_query(enterprise.id).order_by(EnterpriseStaff.id).limit(1))
    if oldest is None:
        return
    oldest.is_owner = True
    audit.record("team.owner_assumed", oldest, enterprise=enterprise.slug)
    db.session.commit()


def my_link(user: User) -> EnterpriseStaff | None:
    """The employer's approved link to their enterprise (the first, if several); None when
    they are nobody's approved staff."""
    return db.session.scalar(
        select(EnterpriseStaff)
        .where(EnterpriseStaff.user_id == user.id, EnterpriseStaff.is_approved)
        .options(joinedload(EnterpriseStaff.enterprise))
        .order_by(EnterpriseStaff.id)
        .limit(1)
    )


def members(enterprise: Enterprise) -> list[EnterpriseStaff]:
    """The approved staff, owners first, then in the order they joined."""
    return list(
        db.session.scalars(
            members_query(enterprise.id)
            .options(joinedload(EnterpriseStaff.user))
            .order_by(EnterpriseStaff.is_owner.desc(), EnterpriseStaff.id)
        )
    )


def member(enterprise: Enterprise, link_id: int) -> EnterpriseStaff | None:
    """An approved member of this enterprise by their link's id (None for anyone else's)."""
    return db.session.scalar(members_query(enterprise.id).where(EnterpriseStaff.id == link_id))


def owners(enterprise_id: int) -> list[EnterpriseStaff]:
    """The enterprise's approved owners."""
    return list(
        db.session.scalars(
            members_query(enterprise_id)
            .where(EnterpriseStaff.is_owner.is_(True))
            .options(joinedload(EnterpriseStaff.user))
        )
    )


def require_owner(link: EnterpriseStaff) -> None:
    """Let only an approved owner through.

    :raises NotOwner:
    """
    if not (link.is_owner and link.state == "approved"):
        raise NotOwner()


def lock_team(enterprise_id: int) -> None:
    """Serialise changes to one enterprise's team (the count of invitations, the last owner)
    until this transaction ends: its enterprise row is locked on PostgreSQL; SQLite's
    transaction takes the write lock as it begins."""
    begin_writing()
    query = select(Enterprise.id).where(Enterprise.id == enterprise_id)
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    db.session.execute(query)


# --- removing and handing over -----------------------------------------------------------------


def _lock_members(owner: EnterpriseStaff, target: EnterpriseStaff) -> None:
    """Lock the team, then read both links afresh: a parallel hand-over or removal may have
    changed who owns it since they were loaded."""
    lock_team(owner.enterprise_id)
    db.session.refresh(owner)
    db.session.refresh(target)
    require_owner(owner)


def remove(owner: EnterpriseStaff, target: EnterpriseStaff) -> None:
    """Take a member off the team (their link is deleted; they are told in the site). An owner
    may leave only while another owner stays. Commits.

    :raises NotOwner: when ``owner`` is not an owner.
    :raises TeamRefused: ``last_owner`` when that would leave the team without an owner.
    """
    _lock_members(owner, target)
    if target.is_owner and len(owners(owner.enterprise_id)) <= 1:
        raise TeamRefused("last_owner")
    enterprise = owner.enterprise
    audit.record(
        "team.remove", target, actor=owner.user, user_id=target.user_id, enterprise=enterprise.slug
    )
    if target.user_id != owner.user_id:
        notify(target.user, "team.removed", link="/employer/", enterprise=enterprise.name)
    db.session.delete(target)
    db.session.commit()


def hand_over(owner: EnterpriseStaff, target: EnterpriseStaff) -> None:
    """Make another member the owner in place of ``owner``. Commits.

    :raises NotOwner: when ``owner`` is not an owner.
    :raises TeamRefused: ``already_owner`` when the member owns it already.
    """
    _lock_members(owner, target)
    if target.is_owner:
        raise TeamRefused("already_owner")
    target.is_owner = True
    owner.is_owner = False
    audit.record("team.owner", target, actor=owner.user, user_id=target.user_id)
    notify(
        target.user,
        "team.owner",
        link=TEAM_PAGE,
        enterprise=owner.enterprise.name,
        name=owner.user.display_name,
    )
    db.session.commit()
