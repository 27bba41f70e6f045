"""Bookings of tour sessions by a student alone or by a counsellor for a class.

Only ``services.booking`` changes a booking's state or seats (see ``docs/booking.md``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ColumnElement,
    DateTime,
    ForeignKey,
    Index,
    String,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models._common import Timestamped, in_list, utcnow
from models.enterprise import TourSession
from models.school import SchoolClass
from models.user import User

BOOKING_KINDS = ("individual", "class")
BOOKING_STATES = ("confirmed", "waitlisted", "offered", "cancelled", "attended", "no_show")
# Bookings whose seats are taken: booked, held for a waiting-list offer, or used on the day.
HOLDING_STATES = ("confirmed", "offered", "attended", "no_show")
# Why a booking ended as cancelled (kept for the audit log and the people concerned).
# How a class gets there (a bus brings Постановление № 1527's escort rule with it).
TRANSPORTS = ("bus", "public", "walk")
CANCEL_REASONS = (
    "by_booker",
    "offer_expired",
    "offer_declined",
    "session_cancelled",
    "waitlist_closed",
    "consent_withdrawn",
    "account_deleted",
)
# One live booking per class, and per student alone, for each session; cancelled ones may
# repeat (a class that cancelled may book again).
_LIVE = "state <> 'cancelled'"


class Booking(Timestamped, db.Model):
    """Seats on a tour session: a student alone (one seat) or a class (students and adults)."""

    __tablename__ = "bookings"
    __table_args__ = (
        CheckConstraint(in_list("kind", BOOKING_KINDS), name="kind_known"),
        CheckConstraint(in_list("state", BOOKING_STATES), name="state_known"),
        CheckConstraint("students >= 1", name="students_positive"),
        CheckConstraint("adults >= 0", name="adults_nonneg"),
        CheckConstraint(
            "(kind = 'class' AND class_id IS NOT NULL)"
            " OR (kind = 'individual' AND class_id IS NULL AND students = 1 AND adults = 0)",
            name="class_matches_kind",
        ),
        CheckConstraint(
            "state <> 'offered' OR offer_expires_at IS NOT NULL", name="offer_has_expiry"
        ),
        CheckConstraint(
            "cancel_reason IS NULL OR " + in_list("cancel_reason", CANCEL_REASONS),
            name="cancel_reason_known",
        ),
        Index(
            "uq_bookings_live_class",
            "session_id",
            "class_id",
            unique=True,
            sqlite_where=text(f"{_LIVE} AND class_id IS NOT NULL"),
            postgresql_where=text(f"{_LIVE} AND class_id IS NOT NULL"),
        ),
        Index(
            "uq_bookings_live_student",
            "session_id",
            "booked_by_id",
            unique=True,
            sqlite_where=text(f"{_LIVE} AND kind = 'individual'"),
            postgresql_where=text(f"{_LIVE} AND kind = 'individual'"),
        ),
        CheckConstraint(
            "transport IS NULL OR " + in_list("transport", TRANSPORTS), name="transport_known"
        ),
        CheckConstraint(
            "students_came IS NULL OR (students_came >= 0 AND students_came <= students)",
            name="came_within_booked",
        ),
        Index("ix_bookings_waiting", "session_id", "state", "waitlisted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("tour_sessions.id", ondelete="CASCADE"), index=True
    )
    # Null once the student who booked deleted their account: the visit stays, anonymous,
    # in the region's statistics.
    booked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    class_id: Mapped[int | None] = mapped_column(
        ForeignKey("school_classes.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(12))
    students: Mapped[int]
    # For a class visit marked attended: how many of its students came (None: all it booked).
    students_came: Mapped[int | None]
    adults: Mapped[int] = mapped_column(default=0)
    state: Mapped[str] = mapped_column(String(12), default="confirmed", index=True)
    waitlisted_at: Mapped[datetime | None] = mapped_column(DateTime)
    offer_expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime)
    cancel_reason: Mapped[str | None] = mapped_column(String(20))
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime)
    # A class trip's facts for the school's papers: how it travels and who goes with it.
    transport: Mapped[str | None] = mapped_column(String(10))
    escorts: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    session: Mapped[TourSession] = relationship()
    booked_by: Mapped[User] = relationship()
    school_class: Mapped[SchoolClass | None] = relationship()

    @hybrid_property
    def seats(self) -> int:
        """How many places the booking takes or asks for: its students and adults."""
        return self.students + self.adults

    @hybrid_property
    def holds_seats(self) -> bool:
        """Whether its seats count as taken (booked, held for an offer, or used)."""
        return self.state in HOLDING_STATES

    @holds_seats.inplace.expression
    @classmethod
    def _holds_seats_expression(cls) -> ColumnElement[bool]:
        return cls.state.in_(HOLDING_STATES)

    @hybrid_property
    def is_live(self) -> bool:
        """Not cancelled: booked, waiting, offered, or past the visit."""
        return self.state != "cancelled"

    @hybrid_property
    def is_waiting(self) -> bool:
        """On the waiting list, not offered a place yet."""
        return self.state == "waitlisted"
