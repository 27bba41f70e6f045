"""What the home page shows: in-demand professions, the catalogue's size, spheres."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from extensions import db
from models import Enterprise, Profession, Sphere, TourProgramme
from models.profession import enterprise_professions


@dataclass(frozen=True)
class CatalogueCounts:
    """How much a visitor can find: professions, public enterprises, listed tour programmes."""

    professions: int
    enterprises: int
    tours: int


def in_demand_professions(limit: int = 6) -> list[Profession]:
    """High-demand professions, those that the most catalogue enterprises employ first.

    The region's point is its plants: a student can also go and see these.
    """
    employers = (
        select(
            enterprise_professions.c.profession_id,
            func.count().label("employers"),
        )
        .group_by(enterprise_professions.c.profession_id)
        .subquery()
    )
    return list(
        db.session.scalars(
            select(Profession)
            .outerjoin(employers, employers.c.profession_id == Profession.id)
            .where(Profession.demand == "high")
            .order_by(
                func.coalesce(employers.c.employers, 0).desc(),
                Profession.open_vacancies.desc().nulls_last(),
                Profession.title,
            )
            .limit(limit)
        )
    )


def catalogue_counts() -> CatalogueCounts:
    """The catalogue's size as visitors see it (pending or retired rows are not counted)."""
    return CatalogueCounts(
        professions=db.session.scalar(select(func.count(Profession.id))),
        enterprises=db.session.scalar(
            select(func.count(Enterprise.id)).where(Enterprise.is_public)
        ),
        tours=db.session.scalar(
            select(func.count(TourProgramme.id)).where(TourProgramme.is_listed)
        ),
    )


def spheres() -> list[Sphere]:
    """The spheres of work, in their order."""
    return list(db.session.scalars(select(Sphere).order_by(Sphere.position)))
