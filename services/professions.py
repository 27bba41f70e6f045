"""What the profession pages show, gathered from the database."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from extensions import db
from models import Enterprise, Profession
from services.recommendations import related_professions
from services.vacancies import listed_vacancies_for
from services.visits import upcoming_sessions


def detail_context(profession: Profession) -> dict:
    """Everything the detail page lists around one profession."""
    enterprises = db.session.scalars(
        select(Enterprise)
        .where(Enterprise.professions.contains(profession), Enterprise.is_public)
        .order_by(Enterprise.name)
    ).all()
    return {
        "profession": profession,
        "enterprises": enterprises,
        "sessions": upcoming_sessions(limit=5, profession_id=profession.id),
        "vacancies": listed_vacancies_for(profession),
        "related": related_professions(profession),
    }


def professions_by_slugs(slugs: list[str]) -> list[Profession]:
    """The professions with these slugs, in the order given; unknown slugs are skipped."""
    rows = db.session.scalars(
        select(Profession)
        .where(Profession.slug.in_(slugs))
        .options(selectinload(Profession.education_paths))
    ).all()
    by_slug = {p.slug: p for p in rows}
    return [by_slug[s] for s in dict.fromkeys(slugs) if s in by_slug]
