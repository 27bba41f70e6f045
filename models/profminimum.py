"""The «Профминимум» record: the level a school chose for a school year, and each student's
career-guidance activities with their academic hours and direction.

Letter of Минпросвещения АБ-2324/05 (01.06.2023): grades 6–11, at least 40, 60 or 80 hours a
school year by the level the school chose; enterprise excursions count.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models._common import Timestamped, in_list
from models.school import School
from models.user import User

# Hours a school year asks for, by level.
LEVEL_HOURS = {"basic": 40, "main": 60, "advanced": 80}
DEFAULT_LEVEL = "basic"
# What an activity was; "excursions" is what a visit marked attended becomes.
DIRECTIONS = (
    "horizons",
    "lessons",
    "diagnostics",
    "trials",
    "excursions",
    "meetings",
    "parents",
    "other",
)


def school_year(day: date) -> int:
    """The school year a day belongs to, by its first calendar year (1 September to 31 August)."""
    return day.year if day.month >= 9 else day.year - 1


class ProfminimumLevel(Timestamped, db.Model):
    """The level a school chose for one school year (``year``: its first calendar year)."""

    __tablename__ = "profminimum_levels"
    __table_args__ = (
        UniqueConstraint("school_id", "year"),
        CheckConstraint(in_list("level", tuple(LEVEL_HOURS)), name="level_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    year: Mapped[int]
    level: Mapped[str] = mapped_column(String(10))

    school: Mapped[School] = relationship()

    @property
    def hours(self) -> int:
        """The hours this level asks of each student in the year."""
        return LEVEL_HOURS[self.level]


class CareerActivity(Timestamped, db.Model):
    """One student's part in one career-guidance activity.

    A visit marked attended enters itself (``booking_id`` set, once per student and booking);
    the counsellor enters the rest, for a class or a few students at once (``batch`` ties the
    rows entered together).
    """

    __tablename__ = "career_activities"
    __table_args__ = (
        UniqueConstraint("student_id", "booking_id"),
        CheckConstraint("hours > 0 AND hours <= 40", name="hours_range"),
        CheckConstraint(in_list("direction", DIRECTIONS), name="direction_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    hours: Mapped[Decimal] = mapped_column(Numeric(4, 1))
    direction: Mapped[str] = mapped_column(String(12))
    title: Mapped[str] = mapped_column(String(200))
    booking_id: Mapped[int | None] = mapped_column(
        ForeignKey("bookings.id", ondelete="SET NULL"), index=True
    )
    batch: Mapped[str | None] = mapped_column(String(32), index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    student: Mapped[User] = relationship(foreign_keys=[student_id])
