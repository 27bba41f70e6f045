"""Vacancies, internships, practice places and target training, and students' responses."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    CheckConstraint,
    Column,
    ColumnElement,
    Date,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    bindparam,
    or_,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models._common import MODERATION_STATES, Timestamped, in_list
from models.enterprise import Enterprise, TourProgramme
from models.profession import Profession
from models.user import User

VACANCY_KINDS = ("job", "internship", "practice", "target_training")
RESPONSE_STATES = ("sent", "viewed", "invited", "declined", "withdrawn")

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
            "salary_min IS NULL OR salary_max IS NULL OR salary_max >= salary_min",
            name="salary_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), index=True
    )
    tour_id: Mapped[int | None] = mapped_column(
        ForeignKey("tour_programmes.id", ondelete="SET NULL")
    )
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    min_age: Mapped[int | None]
    salary_min: Mapped[int | None]
    salary_max: Mapped[int | None]
    moderation_state: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    is_open: Mapped[bool] = mapped_column(default=True)
    closes_on: Mapped[date | None] = mapped_column(Date)

    enterprise: Mapped[Enterprise] = relationship()
    tour: Mapped[TourProgramme | None] = relationship()
    professions: Mapped[list[Profession]] = relationship(secondary=vacancy_professions)

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

    vacancy: Mapped[Vacancy] = relationship()
    student: Mapped[User] = relationship()
