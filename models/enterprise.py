"""Enterprises, their staff, tour programmes and tour sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ColumnElement,
    DateTime,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    bindparam,
    select,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models._common import MODERATION_STATES, Timestamped, in_list, local_now
from models.profession import Profession, enterprise_professions
from models.user import User

INDUSTRIES = (
    "machine-building",
    "climate-heating",
    "house-building",
    "food",
    "glass-crystal",
    "chemistry-pharma",
    "textiles",
    "energy",
    "agriculture",
    "crafts",
    "electronics",
    "logistics",
)
STAFF_STATES = ("pending", "approved", "rejected")
SESSION_STATES = ("scheduled", "cancelled")


def _starts_at(context) -> datetime:
    """Booking stays open until the session starts unless told otherwise."""
    return context.get_current_parameters()["starts_at"]


tour_professions = Table(
    "tour_professions",
    db.metadata,
    Column("tour_id", ForeignKey("tour_programmes.id", ondelete="CASCADE"), primary_key=True),
    Column("profession_id", ForeignKey("professions.id", ondelete="CASCADE"), primary_key=True),
)


class Enterprise(Timestamped, db.Model):
    """A plant or firm that hosts visits; visible to the public once approved."""

    __tablename__ = "enterprises"
    __table_args__ = (
        CheckConstraint(in_list("industry", INDUSTRIES), name="industry_known"),
        CheckConstraint(in_list("moderation_state", MODERATION_STATES), name="moderation_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    town: Mapped[str] = mapped_column(String(100), index=True)
    district: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(300), default="")
    industry: Mapped[str] = mapped_column(String(30), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    visiting_rules: Mapped[str] = mapped_column(Text, default="")
    # How to get there, and the visiting rules one by one (what a school must tell parents).
    directions: Mapped[str] = mapped_column(Text, default="", server_default="")
    rules_age: Mapped[str] = mapped_column(Text, default="", server_default="")
    rules_clothing: Mapped[str] = mapped_column(Text, default="", server_default="")
    rules_documents: Mapped[str] = mapped_column(Text, default="", server_default="")
    rules_photography: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Whom a school calls about a visit (a name and a phone or e-mail), for the trip sheet.
    contact: Mapped[str] = mapped_column(String(300), default="")
    moderation_state: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    illustrative: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id", ondelete="SET NULL"))

    parent: Mapped[Enterprise | None] = relationship(remote_side="Enterprise.id")
    professions: Mapped[list[Profession]] = relationship(secondary=enterprise_professions)
    tours: Mapped[list[TourProgramme]] = relationship(back_populates="enterprise")
    staff: Mapped[list[EnterpriseStaff]] = relationship(
        back_populates="enterprise", cascade="all, delete-orphan"
    )

    @hybrid_property
    def is_public(self) -> bool:
        """Whether visitors may see the enterprise: regional staff approved it."""
        return self.moderation_state == "approved"

    @is_public.inplace.expression
    @classmethod
    def _is_public_expression(cls) -> ColumnElement[bool]:
        return cls.moderation_state == "approved"

    @classmethod
    def public_by_id(cls, enterprise_id: ColumnElement[int]) -> ColumnElement[bool]:
        """SQL for "the enterprise that ``enterprise_id`` (another table's column) is public"."""
        return (
            select(cls.id)
            .where(cls.id == enterprise_id, cls.is_public)
            .correlate_except(cls)  # the outer query may join enterprises itself
            .exists()
        )


class EnterpriseStaff(Timestamped, db.Model):
    """An employer account's link to its enterprise, approved by regional staff."""

    __tablename__ = "enterprise_staff"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "user_id"),
        CheckConstraint(in_list("state", STAFF_STATES), name="state_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    position: Mapped[str] = mapped_column(String(120), default="")
    state: Mapped[str] = mapped_column(String(10), default="pending")
    # An owner invites and removes the enterprise's other staff.
    is_owner: Mapped[bool] = mapped_column(default=False, server_default="0")

    enterprise: Mapped[Enterprise] = relationship(back_populates="staff")
    user: Mapped[User] = relationship()

    @hybrid_property
    def is_approved(self) -> bool:
        """Whether regional staff (or an owner's invitation) let this account act for the
        enterprise."""
        return self.state == "approved"

    @is_approved.inplace.expression
    @classmethod
    def _is_approved_expression(cls) -> ColumnElement[bool]:
        return cls.state == "approved"


class TourProgramme(Timestamped, db.Model):
    """What a visit to an enterprise is: route, audience, limits and rules."""

    __tablename__ = "tour_programmes"
    __table_args__ = (
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
        CheckConstraint("min_age IS NULL OR min_age BETWEEN 6 AND 99", name="min_age_range"),
        CheckConstraint("max_age IS NULL OR max_age >= min_age", name="max_age_order"),
        CheckConstraint("min_grade IS NULL OR min_grade BETWEEN 1 AND 15", name="min_grade_range"),
        CheckConstraint("max_grade IS NULL OR max_grade >= min_grade", name="max_grade_order"),
        CheckConstraint("group_min >= 1 AND group_max >= group_min", name="group_range"),
        CheckConstraint("adults_per_students >= 1", name="adults_ratio_positive"),
        CheckConstraint("price_rub >= 0", name="price_nonneg"),
        CheckConstraint(in_list("moderation_state", MODERATION_STATES), name="moderation_known"),
        CheckConstraint(
            "booking_cutoff_hours >= 0 AND cancel_cutoff_hours >= 0", name="cutoffs_nonneg"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    duration_minutes: Mapped[int]
    min_age: Mapped[int | None]
    max_age: Mapped[int | None]
    min_grade: Mapped[int | None]
    max_grade: Mapped[int | None]
    group_min: Mapped[int]
    group_max: Mapped[int]
    adults_per_students: Mapped[int]
    safety_rules: Mapped[list[str]] = mapped_column(JSON, default=list)
    accessibility: Mapped[str] = mapped_column(Text, default="")
    price_rub: Mapped[int] = mapped_column(default=0)
    moderation_state: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    active: Mapped[bool] = mapped_column(default=True)
    # Where visitors meet (a gate, a checkpoint); the enterprise's address when empty.
    meeting_point: Mapped[str] = mapped_column(Text, default="")
    what_to_bring: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Booking closes this many hours before a session (passes must be ordered, say); a booker
    # may cancel online until this many hours before it.
    booking_cutoff_hours: Mapped[int] = mapped_column(default=0)
    cancel_cutoff_hours: Mapped[int] = mapped_column(default=2)

    enterprise: Mapped[Enterprise] = relationship(back_populates="tours")
    professions: Mapped[list[Profession]] = relationship(secondary=tour_professions)
    sessions: Mapped[list[TourSession]] = relationship(
        back_populates="tour", cascade="all, delete-orphan", order_by="TourSession.starts_at"
    )

    @hybrid_property
    def is_listed(self) -> bool:
        """Whether visitors may see the programme: approved, not retired, its enterprise public."""
        return self.moderation_state == "approved" and self.active and self.enterprise.is_public

    @is_listed.inplace.expression
    @classmethod
    def _is_listed_expression(cls) -> ColumnElement[bool]:
        return and_(
            cls.moderation_state == "approved",
            cls.active.is_(True),
            Enterprise.public_by_id(cls.enterprise_id),
        )


class TourSession(Timestamped, db.Model):
    """One dated run of a tour programme with a fixed number of seats."""

    __tablename__ = "tour_sessions"
    __table_args__ = (
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("seats_booked >= 0 AND seats_booked <= capacity", name="seats_in_capacity"),
        CheckConstraint(in_list("state", SESSION_STATES), name="state_known"),
        CheckConstraint("booking_closes_at <= starts_at", name="booking_closes_before_start"),
        UniqueConstraint("tour_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tour_id: Mapped[int] = mapped_column(
        ForeignKey("tour_programmes.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(DateTime, index=True)  # local time, Europe/Moscow
    capacity: Mapped[int]
    # Seats of the bookings that hold them (booked, offered, used); only services.booking
    # writes it, after counting them under the session's lock.
    seats_booked: Mapped[int] = mapped_column(default=0)
    state: Mapped[str] = mapped_column(String(10), default="scheduled")
    booking_closes_at: Mapped[datetime] = mapped_column(DateTime, default=_starts_at)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")

    tour: Mapped[TourProgramme] = relationship(back_populates="sessions")

    @hybrid_property
    def seats_left(self) -> int:
        """Seats nobody holds: not booked and not held for a waiting-list offer."""
        return self.capacity - self.seats_booked

    @hybrid_property
    def is_upcoming(self) -> bool:
        """Scheduled and not started yet (in the region's local time)."""
        return self.state == "scheduled" and self.starts_at > local_now()

    @is_upcoming.inplace.expression
    @classmethod
    def _is_upcoming_expression(cls) -> ColumnElement[bool]:
        # The time is read each time the query runs, so a query may be built once and kept.
        now = bindparam(None, callable_=local_now, type_=DateTime())
        return and_(cls.state == "scheduled", cls.starts_at > now)

    @hybrid_property
    def takes_bookings(self) -> bool:
        """Upcoming and not closed for booking: one may book it, or join its waiting list."""
        return self.is_upcoming and self.booking_closes_at > local_now()

    @takes_bookings.inplace.expression
    @classmethod
    def _takes_bookings_expression(cls) -> ColumnElement[bool]:
        now = bindparam(None, callable_=local_now, type_=DateTime())
        return and_(cls.is_upcoming, cls.booking_closes_at > now)

    @hybrid_property
    def is_bookable(self) -> bool:
        """Taking bookings and with seats left (whether its programme is listed is the
        programme's rule: ``TourProgramme.is_listed``)."""
        return self.takes_bookings and self.seats_left > 0

    @is_bookable.inplace.expression
    @classmethod
    def _is_bookable_expression(cls) -> ColumnElement[bool]:
        return and_(cls.takes_bookings, cls.seats_left > 0)
