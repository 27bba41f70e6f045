"""Regional staff's moderation of enterprises and employer accounts."""

from __future__ import annotations

from sqlalchemy import select

from extensions import db
from models import Enterprise, EnterpriseStaff, Notification, User
from services import audit

DECISIONS = {"approve": "approved", "reject": "rejected"}


def pending_enterprises() -> list[Enterprise]:
    """Enterprises waiting for a decision, oldest first."""
    return list(
        db.session.scalars(
            select(Enterprise)
            .where(Enterprise.moderation_state == "pending")
            .order_by(Enterprise.created_at)
        )
    )


def pending_staff() -> list[EnterpriseStaff]:
    """Employer accounts waiting to be linked to their enterprise, oldest first."""
    return list(
        db.session.scalars(
            select(EnterpriseStaff)
            .where(EnterpriseStaff.state == "pending")
            .order_by(EnterpriseStaff.created_at)
        )
    )


def decide_enterprise(enterprise: Enterprise, decision: str, moderator: User) -> None:
    """Approve or reject an enterprise; its pending staff learn of it.

    :raises ValueError: on an unknown decision.
    """
    state = DECISIONS[decision]
    enterprise.moderation_state = state
    for link in enterprise.staff:
        db.session.add(
            Notification(
                user_id=link.user_id,
                kind=f"enterprise.{state}",
                message=f"Предприятие «{enterprise.name}»: "
                + ("одобрено" if state == "approved" else "отклонено")
                + " модератором.",
            )
        )
    audit.record(f"enterprise.{decision}", enterprise, actor=moderator)
    db.session.commit()


def decide_staff(link: EnterpriseStaff, decision: str, moderator: User) -> None:
    """Approve or reject an employer's link to an enterprise; the first approved member of an
    enterprise without an owner becomes its owner (who then invites the others)."""
    link.state = DECISIONS[decision]
    if link.state == "approved" and not link.is_owner:
        link.is_owner = not db.session.scalar(
            select(EnterpriseStaff.id).where(
                EnterpriseStaff.enterprise_id == link.enterprise_id,
                EnterpriseStaff.is_approved,
                EnterpriseStaff.is_owner.is_(True),
                EnterpriseStaff.id != link.id,
            )
        )
    db.session.add(
        Notification(
            user_id=link.user_id,
            kind=f"staff.{link.state}",
            message=f"Доступ к предприятию «{link.enterprise.name}»: "
            + ("открыт" if link.state == "approved" else "отклонён")
            + ".",
        )
    )
    audit.record(f"staff.{decision}", link, actor=moderator)
    db.session.commit()


def pending_counsellors() -> list[User]:
    """Counsellor accounts waiting for a decision, oldest first."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.role == "counsellor", User.moderation_state == "pending")
            .order_by(User.created_at)
        )
    )


def decide_counsellor(counsellor: User, decision: str, moderator: User) -> None:
    """Approve or reject a counsellor's account; they are told in the site."""
    counsellor.moderation_state = DECISIONS[decision]
    db.session.add(
        Notification(
            user_id=counsellor.id,
            kind=f"counsellor.{counsellor.moderation_state}",
            message="Учётная запись педагога "
            + ("одобрена" if counsellor.moderation_state == "approved" else "отклонена")
            + " координатором.",
        )
    )
    audit.record(f"counsellor.{decision}", counsellor, actor=moderator)
    db.session.commit()
