"""Offers students may see: vacancies, internships, practice places and target training."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from extensions import db
from models import Profession, Vacancy
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


def listed_vacancies_for(profession: Profession) -> list[Vacancy]:
    """Listed offers for one profession, newest first."""
    return list(
        db.session.scalars(
            select(Vacancy)
            .where(Vacancy.professions.contains(profession), Vacancy.is_listed)
            .options(selectinload(Vacancy.enterprise))
            .order_by(Vacancy.created_at.desc(), Vacancy.id.desc())
        )
    )
