"""Offers students may see: vacancies, internships, practice places and target training."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import selectinload

from extensions import db
from models import Enterprise, Vacancy
from models.vacancy import vacancy_professions
from services.paging import Page, paginate


def listed_vacancies_page(page: int, per_page: int) -> Page:
    """One page of listed offers, newest first."""
    query = (
        select(Vacancy)
        .where(Vacancy.is_listed)
        .options(selectinload(Vacancy.enterprise))
        .order_by(Vacancy.created_at.desc(), Vacancy.id.desc())
    )
    return paginate(query, page, per_page)


@dataclass(frozen=True)
class OfferLine:
    """A listed offer as a profession's page lists it."""

    id: int
    kind: str
    title: str
    enterprise_name: str


@cache
def _offers_for_profession() -> Select:
    # Built once; the profession and today's date are bound when it runs.
    return (
        select(Vacancy.id, Vacancy.kind, Vacancy.title, Enterprise.name)
        .join(Vacancy.enterprise)
        .join(vacancy_professions, vacancy_professions.c.vacancy_id == Vacancy.id)
        .where(vacancy_professions.c.profession_id == bindparam("profession_id"), Vacancy.is_listed)
        .order_by(Vacancy.created_at.desc(), Vacancy.id.desc())
    )


def listed_vacancies_for(profession_id: int) -> list[OfferLine]:
    """Listed offers for one profession, newest first."""
    rows = db.session.execute(_offers_for_profession(), {"profession_id": profession_id})
    return [OfferLine(*row) for row in rows.tuples()]
