"""Finding what visitors may see: enterprises, tour programmes and their upcoming sessions."""

from __future__ import annotations

from sqlalchemy import Select, distinct, func, select
from sqlalchemy.orm import contains_eager, selectinload

from extensions import db
from models import Enterprise, TourProgramme, TourSession
from models.enterprise import tour_professions
from services.catalogue_version import VersionedCache
from services.paging import Page, paginate


def listed_tours() -> Select:
    """Tour programmes visitors may see, with their enterprise joined for filters and order."""
    return (
        select(TourProgramme)
        .join(TourProgramme.enterprise)
        .where(TourProgramme.is_listed)
        .options(contains_eager(TourProgramme.enterprise))
    )


def listed_tours_page(page: int, per_page: int) -> Page:
    """One page of listed tour programmes, by town and title."""
    return paginate(listed_tours().order_by(Enterprise.town, TourProgramme.title), page, per_page)


def listed_tour(tour_id: int) -> TourProgramme | None:
    """A listed tour programme by id, with what its page shows loaded."""
    return db.session.scalar(
        listed_tours()
        .where(TourProgramme.id == tour_id)
        .options(selectinload(TourProgramme.professions))
    )


def public_enterprises(town: str = "") -> list[Enterprise]:
    """Enterprises visitors may see, by town and name, optionally in one town."""
    query = select(Enterprise).where(Enterprise.is_public)
    if town:
        query = query.where(Enterprise.town == town)
    return list(db.session.scalars(query.order_by(Enterprise.town, Enterprise.name)))


def public_towns() -> list[str]:
    """Towns that have a public enterprise, in order."""
    return list(
        db.session.scalars(
            select(Enterprise.town).where(Enterprise.is_public).distinct().order_by(Enterprise.town)
        )
    )


def public_enterprise(slug: str) -> Enterprise | None:
    """A public enterprise by slug, with its professions, listed tours and parent loaded."""
    return db.session.scalar(
        select(Enterprise)
        .where(Enterprise.slug == slug, Enterprise.is_public)
        .options(
            selectinload(Enterprise.professions),
            selectinload(Enterprise.tours),
            selectinload(Enterprise.parent),
        )
    )


def _upcoming(bookable: bool) -> Select:
    wanted = TourSession.is_bookable if bookable else TourSession.is_upcoming
    return (
        select(TourSession)
        .join(TourSession.tour)
        .join(TourProgramme.enterprise)
        .where(wanted, TourProgramme.is_listed)
        .options(contains_eager(TourSession.tour).contains_eager(TourProgramme.enterprise))
        .order_by(TourSession.starts_at, TourSession.id)
    )


def upcoming_sessions(
    limit: int = 10,
    profession_id: int | None = None,
    tour_id: int | None = None,
    bookable: bool = False,
) -> list[TourSession]:
    """The next sessions of listed tours (only those with seats when ``bookable``), optionally
    of one tour or showing one profession."""
    query = _upcoming(bookable)
    if profession_id is not None:
        query = query.join(tour_professions, tour_professions.c.tour_id == TourProgramme.id).where(
            tour_professions.c.profession_id == profession_id
        )
    if tour_id is not None:
        query = query.where(TourSession.tour_id == tour_id)
    return list(db.session.scalars(query.limit(limit)))


def _all_upcoming_tour_counts() -> dict[int, int]:
    has_session = (
        select(TourSession.id)
        .where(TourSession.tour_id == TourProgramme.id, TourSession.is_upcoming)
        .exists()
    )
    rows = db.session.execute(
        select(tour_professions.c.profession_id, func.count(distinct(TourProgramme.id)))
        .join(TourProgramme, TourProgramme.id == tour_professions.c.tour_id)
        .where(TourProgramme.is_listed, has_session)
        .group_by(tour_professions.c.profession_id)
    )
    return dict(rows.tuples().all())


# The explorer shows these counts on every result line; they are computed for the whole
# catalogue at once and reused for TOUR_COUNTS_SECONDS (they only move when sessions are added
# or pass), instead of a join over sessions on every keystroke.
_tour_counts = VersionedCache(_all_upcoming_tour_counts, max_age_setting="TOUR_COUNTS_SECONDS")


def upcoming_tour_counts(profession_ids: list[int]) -> dict[int, int]:
    """How many listed tour programmes with an upcoming session show each of these professions."""
    counts = _tour_counts.get()
    return {pid: counts.get(pid, 0) for pid in profession_ids}
