"""Spheres of work and professions, with their education paths and RIASEC profile."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, CheckConstraint, Column, Date, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db

# The vocabulary of RIASEC areas, subject codes and demand levels belongs to the matching model,
# which must not import the app; the models take it from there.
from matching.documents import DEMAND_LEVELS, RIASEC, SUBJECTS
from models._common import in_list

__all__ = ["DEMAND_LEVELS", "EDUCATION_LEVELS", "RIASEC", "SUBJECTS"]

EDUCATION_LEVELS = ("college", "university", "on_the_job")


class Sphere(db.Model):
    """A sphere of work (machine building, food, IT …) grouping professions."""

    __tablename__ = "spheres"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(120), unique=True)
    position: Mapped[int] = mapped_column(default=0)

    professions: Mapped[list[Profession]] = relationship(back_populates="sphere")


def _riasec_checks() -> list[CheckConstraint]:
    return [
        CheckConstraint(f"riasec_{a.lower()} BETWEEN 0 AND 1", name=f"riasec_{a.lower()}_range")
        for a in RIASEC
    ]


class Profession(db.Model):
    """A profession as a student meets it: what it is, how to get there, demand and pay."""

    __tablename__ = "professions"
    __table_args__ = (
        CheckConstraint(in_list("demand", DEMAND_LEVELS), name="demand_known"),
        CheckConstraint("salary_min >= 0 AND salary_max >= salary_min", name="salary_range"),
        CheckConstraint("open_vacancies IS NULL OR open_vacancies >= 0", name="vacancies_nonneg"),
        *_riasec_checks(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(160), unique=True)
    sphere_id: Mapped[int] = mapped_column(
        ForeignKey("spheres.id", ondelete="RESTRICT"), index=True
    )
    summary: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    duties: Mapped[list[str]] = mapped_column(JSON, default=list)
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    tools: Mapped[list[str]] = mapped_column(JSON, default=list)
    subjects: Mapped[list[str]] = mapped_column(JSON, default=list)
    conditions: Mapped[str] = mapped_column(Text, default="")
    salary_min: Mapped[int]
    salary_max: Mapped[int]
    demand: Mapped[str] = mapped_column(String(10), index=True)
    demand_source: Mapped[str] = mapped_column(Text, default="")
    demand_date: Mapped[date | None] = mapped_column(Date)
    open_vacancies: Mapped[int | None]
    riasec_r: Mapped[float]
    riasec_i: Mapped[float]
    riasec_a: Mapped[float]
    riasec_s: Mapped[float]
    riasec_e: Mapped[float]
    riasec_c: Mapped[float]
    onet_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(Text, default="")

    sphere: Mapped[Sphere] = relationship(back_populates="professions")

    @property
    def title_en(self) -> str | None:
        """The English name (the O*NET title of the first O*NET code), if any."""
        from services.english_titles import english_title

        return english_title(self.onet_codes or ())

    @property
    def titles_en(self) -> list[str]:
        """Every O*NET title of its codes (what an English search looks in)."""
        from services.english_titles import english_titles

        return english_titles(self.onet_codes or ())

    education_paths: Mapped[list[EducationPath]] = relationship(
        back_populates="profession", cascade="all, delete-orphan", order_by="EducationPath.id"
    )

    @property
    def riasec(self) -> dict[str, float]:
        """The six interest levels as ``{"R": …, …}``."""
        return {a: getattr(self, f"riasec_{a.lower()}") for a in RIASEC}

    @riasec.setter
    def riasec(self, values: dict[str, float]) -> None:
        for area in RIASEC:
            setattr(self, f"riasec_{area.lower()}", float(values[area]))

    @property
    def education_levels(self) -> list[str]:
        """Distinct education levels that lead to the profession, in catalogue order."""
        return list(dict.fromkeys(p.level for p in self.education_paths))


class EducationPath(db.Model):
    """One way into a profession: a college programme, a university direction or training."""

    __tablename__ = "education_paths"
    __table_args__ = (
        CheckConstraint(in_list("level", EDUCATION_LEVELS), name="level_known"),
        CheckConstraint("duration_months > 0", name="duration_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profession_id: Mapped[int] = mapped_column(
        ForeignKey("professions.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[str] = mapped_column(String(20))
    programme: Mapped[str] = mapped_column(String(300))
    duration_months: Mapped[int]
    institutions: Mapped[list[str]] = mapped_column(JSON, default=list)

    profession: Mapped[Profession] = relationship(back_populates="education_paths")


# Professions an enterprise employs (shown on both sides).
enterprise_professions = Table(
    "enterprise_professions",
    db.metadata,
    Column("enterprise_id", ForeignKey("enterprises.id", ondelete="CASCADE"), primary_key=True),
    Column("profession_id", ForeignKey("professions.id", ondelete="CASCADE"), primary_key=True),
)
