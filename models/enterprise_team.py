"""What an enterprise's staff change about it: invitations to its team, its photos, and
proposed changes to what is already public (reviewed before they show)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models._common import MODERATION_STATES, Timestamped, in_list
from models.enterprise import Enterprise, TourProgramme
from models.user import User

REVISION_TARGETS = ("enterprise", "programme")


class StaffInvite(Timestamped, db.Model):
    """An owner's invitation for a colleague to join the enterprise's staff, by a mailed link
    that works once and until ``expires_at``."""

    __tablename__ = "staff_invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    position: Mapped[str] = mapped_column(String(120), default="")
    # The link carries the token; only its SHA-256 is kept.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)

    enterprise: Mapped[Enterprise] = relationship()
    invited_by: Mapped[User | None] = relationship()


class EnterprisePhoto(Timestamped, db.Model):
    """A photo on the enterprise's page: a re-encoded file under the upload folder and the
    words a screen reader says instead of it."""

    __tablename__ = "enterprise_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(80), unique=True)
    alt: Mapped[str] = mapped_column(String(300))
    width: Mapped[int]
    height: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)

    enterprise: Mapped[Enterprise] = relationship()


class Revision(Timestamped, db.Model):
    """Fields an employer changed on a live enterprise profile or tour programme: the public
    page keeps the approved values until regional staff approve these."""

    __tablename__ = "revisions"
    __table_args__ = (
        CheckConstraint(in_list("target", REVISION_TARGETS), name="target_known"),
        CheckConstraint(in_list("state", MODERATION_STATES), name="state_known"),
        Index("ix_revisions_target", "target", "target_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int]
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"))
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)

    enterprise: Mapped[Enterprise] = relationship()
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])

    def programme(self) -> TourProgramme | None:
        """The programme a programme revision changes."""
        return db.session.get(TourProgramme, self.target_id) if self.target == "programme" else None
