"""Vacancies, internships, practice places and target training, and students' responses."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    ColumnElement,
    Date,
    DateTime,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    bindparam,
    func,
    or_,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models._common import MODERATION_STATES, Timestamped, in_list
from models.enterprise import Enterprise, TourProgramme
from models.profession import Profession
from models.user import User

VACANCY_KINDS = ("job", "internship", "summer_job", "practice", "target_training")
# sent is "new" to the employer until it decides: invited or declined; the student may withdraw.
RESPONSE_STATES = ("sent", "viewed", "invited", "declined", "withdrawn")
# The Labour Code's ages (ТК РФ ст. 63): work from 16; light work from 15, and from 14 with a
# parent's written consent; an offer names no age under 18 only if it says it suits minors.
ADULT_AGE = 18
LIGHT_WORK_AGE = 16

vacancy_tours = Table(
    "vacancy_tours",
    db.metadata,
    Column("vacancy_id", ForeignKey("vacancies.id", ondelete="CASCADE"), primary_key=True),
    Column("tour_id", ForeignKey("tour_programmes.id", ondelete="CASCADE"), primary_key=True),
)

vacancy_professions = Table(
    "vacancy_professions",
    db.metadata,
    Column("vacancy_id", ForeignKey("vacancies.id", ondelete="CASCADE"), primary_key=True),
    Column("profession_id", ForeignKey("professions.id", ondelete="CASCADE"), primary_key=True),
)


class Vacancy(Timestamped, db.Model):
    """An offer an employer posts, often to those who came on one of its tours."""

    __tablename__ = "vacancies"
    __table_args__ = (
        CheckConstraint(in_list("kind", VACANCY_KINDS), name="kind_known"),
        CheckConstraint(in_list("moderation_state", MODERATION_STATES), name="moderation_known"),
        CheckConstraint("min_age IS NULL OR min_age BETWEEN 14 AND 99", name="min_age_range"),
        CheckConstraint(
            "hours_per_week IS NULL OR hours_per_week BETWEEN 1 AND 40", name="hours_range"
        ),
        CheckConstraint(
            "salary_min IS NULL OR salary_max IS NULL OR salary_max >= salary_min",
            name="salary_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    town: Mapped[str] = mapped_column(String(100), default="", server_default="")
    # The youngest age it takes; None reads as 18 (nothing said about minors).
    min_age: Mapped[int | None]
    hours_per_week: Mapped[int | None]
    schedule: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Pay (a month's salary, or a stipend for practice and target training), in roubles.
    salary_min: Mapped[int | None]
    salary_max: Mapped[int | None]
    # What makes the post suitable for a minor, in the employer's words (ТК РФ ст. 63, 265).
    minor_conditions: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Target training must also be listed on «Работа России» (ПП РФ № 555): its address there.
    official_url: Mapped[str] = mapped_column(String(300), default="", server_default="")
    moderation_state: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    moderation_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    is_open: Mapped[bool] = mapped_column(default=True)
    closes_on: Mapped[date | None] = mapped_column(Date)
    # When moderation first let it out, and so when it went to the visitors of its tours.
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    posted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    enterprise: Mapped[Enterprise] = relationship()
    tours: Mapped[list[TourProgramme]] = relationship(secondary=vacancy_tours)
    professions: Mapped[list[Profession]] = relationship(secondary=vacancy_professions)

    @hybrid_property
    def youngest(self) -> int:
        """The youngest age the offer takes."""
        return self.min_age if self.min_age is not None else ADULT_AGE

    @youngest.inplace.expression
    @classmethod
    def _youngest_expression(cls) -> ColumnElement[int]:
        return func.coalesce(cls.min_age, ADULT_AGE)

    def takes_age(self, age: int | None) -> bool:
        """Whether a student of this age may see and answer it (unknown age: adults only)."""
        return age is not None and age >= self.youngest

    @property
    def needs_parent_consent(self) -> bool:
        """Work from 14 or 15 needs a parent's written consent (ТК РФ ст. 63)."""
        return self.youngest < LIGHT_WORK_AGE

    @hybrid_property
    def is_listed(self) -> bool:
        """Whether students may see the offer: open, approved, not past its closing day, and
        posted by a public enterprise."""
        still_open = self.closes_on is None or self.closes_on >= date.today()
        return (
            self.is_open
            and self.moderation_state == "approved"
            and still_open
            and self.enterprise.is_public
        )

    @is_listed.inplace.expression
    @classmethod
    def _is_listed_expression(cls) -> ColumnElement[bool]:
        return and_(
            cls.is_open.is_(True),
            cls.moderation_state == "approved",
            # Today is read each time the query runs, so a query may be built once and kept.
            or_(
                cls.closes_on.is_(None),
                cls.closes_on >= bindparam(None, callable_=date.today, type_=Date()),
            ),
            Enterprise.public_by_id(cls.enterprise_id),
        )


class VacancyDelivery(Timestamped, db.Model):
    """An offer sent to one student who came on one of its tours (and opted in): it leads
    their list of offers, and it is never sent to them twice."""

    __tablename__ = "vacancy_deliveries"
    __table_args__ = (UniqueConstraint("vacancy_id", "student_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancies.id", ondelete="CASCADE"))
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)


class VacancyResponse(Timestamped, db.Model):
    """A student's answer to a vacancy; one per student and vacancy."""

    __tablename__ = "vacancy_responses"
    __table_args__ = (
        UniqueConstraint("vacancy_id", "student_id"),
        CheckConstraint(in_list("state", RESPONSE_STATES), name="state_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancies.id", ondelete="CASCADE"))
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(10), default="sent")
    changed_at: Mapped[datetime | None] = mapped_column(DateTime)

    vacancy: Mapped[Vacancy] = relationship()
    student: Mapped[User] = relationship()
