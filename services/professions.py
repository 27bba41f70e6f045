"""What the profession pages show, gathered from the database."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from extensions import db
from models import Enterprise, Profession, User
from services.catalogue_version import Brief, CatalogueMemo
from services.recommendations import related_professions
from services.vacancies import listed_vacancies_for
from services.visits import student_bookings_by_session, upcoming_sessions

_briefs = CatalogueMemo(max_items=50_000)


def profession_brief(slug: str) -> Brief | None:
    """The profession with that slug (id, slug, title), or None; kept per catalogue version."""

    def find() -> Brief | None:
        row = db.session.execute(
            select(Profession.id, Profession.slug, Profession.title).where(Profession.slug == slug)
        ).first()
        return Brief(*row) if row else None

    return _briefs.get(slug, find)


def catalogue_context(slug: str) -> dict:
    """What the profession page shows that depends only on the catalogue."""
    profession = db.session.scalar(
        select(Profession)
        .where(Profession.slug == slug)
        .options(selectinload(Profession.sphere), selectinload(Profession.education_paths))
    )
    enterprises = db.session.scalars(
        select(Enterprise)
        .where(Enterprise.professions.contains(profession), Enterprise.is_public)
        .order_by(Enterprise.name)
    ).all()
    return {
        "profession": profession,
        "enterprises": enterprises,
        "related": related_professions(profession),
    }


def live_context(profession_id: int, viewer: User | None) -> dict:
    """What changes all day on the profession page: its next sessions (seats), the viewer's
    bookings among them, and the offers."""
    sessions = upcoming_sessions(limit=5, profession_id=profession_id)
    return {
        "sessions": sessions,
        "mine": student_bookings_by_session(viewer, [s.id for s in sessions]),
        "vacancies": listed_vacancies_for(profession_id),
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
