"""Bookings of tour sessions by a student alone or by a counsellor for a class."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models._common import Timestamped, in_list, utcnow
from models.enterprise import TourSession
from models.school import SchoolClass
from models.user import User

BOOKING_KINDS = ("individual", "class")
BOOKING_STATES = ("confirmed", "waitlisted", "cancelled", "attended")


class Booking(Timestamped, db.Model):
    """Seats held on a tour session; a class holds at most one booking per session."""

    __tablename__ = "bookings"
    __table_args__ = (
        CheckConstraint(in_list("kind", BOOKING_KINDS), name="kind_known"),
        CheckConstraint(in_list("state", BOOKING_STATES), name="state_known"),
        CheckConstraint("students >= 1", name="students_positive"),
        CheckConstraint("adults >= 0", name="adults_nonneg"),
        CheckConstraint(
            "(kind = 'class' AND class_id IS NOT NULL)"
            " OR (kind = 'individual' AND class_id IS NULL)",
            name="class_matches_kind",
        ),
        UniqueConstraint("session_id", "class_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("tour_sessions.id", ondelete="CASCADE"), index=True
    )
    booked_by_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    class_id: Mapped[int | None] = mapped_column(
        ForeignKey("school_classes.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(12))
    students: Mapped[int]
    adults: Mapped[int] = mapped_column(default=0)
    state: Mapped[str] = mapped_column(String(12), default="confirmed", index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    session: Mapped[TourSession] = relationship()
    booked_by: Mapped[User] = relationship()
    school_class: Mapped[SchoolClass | None] = relationship()
