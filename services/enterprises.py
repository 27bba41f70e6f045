"""Enterprises as their own staff see them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from extensions import db
from models import Enterprise, EnterpriseStaff, TourProgramme, User


def staff_links(user: User) -> list[EnterpriseStaff]:
    """The enterprises this employer account works for, with their tours and sessions."""
    return list(
        db.session.scalars(
            select(EnterpriseStaff)
            .where(EnterpriseStaff.user_id == user.id)
            .options(
                selectinload(EnterpriseStaff.enterprise)
                .selectinload(Enterprise.tours)
                .selectinload(TourProgramme.sessions)
            )
        )
    )


def enterprise_of(user: User) -> Enterprise | None:
    """The enterprise this employer is approved staff of (the first, if several), whatever its
    own moderation state; None when no approved link exists."""
    return db.session.scalar(
        select(Enterprise)
        .join(EnterpriseStaff, EnterpriseStaff.enterprise_id == Enterprise.id)
        .where(EnterpriseStaff.user_id == user.id, EnterpriseStaff.is_approved)
        .order_by(EnterpriseStaff.id)
        .limit(1)
    )


def link_of(user: User, enterprise: Enterprise) -> EnterpriseStaff | None:
    """The employer's approved link to that enterprise (``is_owner`` says whether they own it)."""
    return db.session.scalar(
        select(EnterpriseStaff).where(
            EnterpriseStaff.user_id == user.id,
            EnterpriseStaff.enterprise_id == enterprise.id,
            EnterpriseStaff.is_approved,
        )
    )


def staff_users(enterprise_id: int) -> list[User]:
    """The accounts that act for the enterprise (approved staff): who is told of its news."""
    return list(
        db.session.scalars(
            select(User)
            .join(EnterpriseStaff, EnterpriseStaff.user_id == User.id)
            .where(EnterpriseStaff.enterprise_id == enterprise_id, EnterpriseStaff.is_approved)
            .order_by(User.id)
        )
    )
