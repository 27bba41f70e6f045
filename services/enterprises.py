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
