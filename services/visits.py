"""Finding what visitors may see: enterprises, tour programmes and their upcoming sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Select, bindparam, distinct, func, select
from sqlalchemy.orm import contains_eager, selectinload

from extensions import db
from models import Booking, Enterprise, TourProgramme, TourSession, User
from models.enterprise import tour_professions
from services.catalogue_version import Brief, CatalogueMemo, VersionedCache
from services.paging import Page, paginate

_briefs = CatalogueMemo(max_items=50_000)


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


def tour_brief(tour_id: int) -> Brief | None:
    """The listed tour programme with that id (id, slug, title), or None; kept per version."""

    def find() -> Brief | None:
        row = db.session.execute(
            select(TourProgramme.id, TourProgramme.slug, TourProgramme.title).where(
                TourProgramme.id == tour_id, TourProgramme.is_listed
            )
        ).first()
        return Brief(*row) if row else None

    return _briefs.get(("tour", tour_id), find)


def enterprise_brief(slug: str) -> Brief | None:
    """The public enterprise with that slug (id, slug, name), or None; kept per version."""

    def find() -> Brief | None:
        row = db.session.execute(
            select(Enterprise.id, Enterprise.slug, Enterprise.name).where(
                Enterprise.slug == slug, Enterprise.is_public
            )
        ).first()
        return Brief(*row) if row else None

    return _briefs.get(("enterprise", slug), find)


def public_enterprises(town: str = "") -> list[Enterprise]:
    """Enterprises visitors may see, by town and name, optionally in one town."""
    query = select(Enterprise).where(Enterprise.is_public)
    if town:
        query = query.where(Enterprise.town == town)
    return list(db.session.scalars(query.order_by(Enterprise.town, Enterprise.name)))


def public_towns() -> list[str]:
    """Towns that have a public enterprise, in order (kept per catalogue version)."""

    def find() -> list[str]:
        query = select(Enterprise.town).where(Enterprise.is_public).distinct()
        return list(db.session.scalars(query.order_by(Enterprise.town)))

    return _briefs.get("towns", find)


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


@dataclass(frozen=True)
class SessionLine:
    """An upcoming session as lists of dates show it.

    Plain values rather than ORM objects: these lists are on the busiest pages, and building
    three related objects per line cost more than the rest of the page.
    """

    id: int
    tour_id: int
    tour_title: str
    enterprise_name: str
    enterprise_town: str
    starts_at: datetime
    capacity: int
    seats_left: int
    takes_bookings: bool
    is_bookable: bool


def _line(row) -> SessionLine:
    # SQLite answers a boolean expression with 0 or 1.
    *values, takes, bookable = row
    return SessionLine(*values, takes_bookings=bool(takes), is_bookable=bool(bookable))


@cache
def _upcoming_query(bookable: bool, of_tour: bool, of_profession: bool, limit: int) -> Select:
    """The statement behind ``upcoming_sessions``, built once per shape (the time and the ids
    are bound when it runs): building it anew cost as much as running it."""
    query = (
        select(
            TourSession.id,
            TourSession.tour_id,
            TourProgramme.title,
            Enterprise.name,
            Enterprise.town,
            TourSession.starts_at,
            TourSession.capacity,
            TourSession.seats_left,
            TourSession.takes_bookings,
            TourSession.is_bookable,
        )
        .join(TourSession.tour)
        .join(TourProgramme.enterprise)
        .where(
            TourSession.is_bookable if bookable else TourSession.is_upcoming,
            TourProgramme.is_listed,
        )
        .order_by(TourSession.starts_at, TourSession.id)
        .limit(limit)
    )
    if of_profession:
        query = query.join(tour_professions, tour_professions.c.tour_id == TourProgramme.id).where(
            tour_professions.c.profession_id == bindparam("profession_id")
        )
    if of_tour:
        query = query.where(TourSession.tour_id == bindparam("tour_id"))
    return query


def upcoming_sessions(
    limit: int = 10,
    profession_id: int | None = None,
    tour_id: int | None = None,
    bookable: bool = False,
) -> list[SessionLine]:
    """The next sessions of listed tours (only those with seats when ``bookable``), optionally
    of one tour or showing one profession."""
    query = _upcoming_query(bookable, tour_id is not None, profession_id is not None, limit)
    params = {"tour_id": tour_id, "profession_id": profession_id}
    rows = db.session.execute(query, {k: v for k, v in params.items() if v is not None})
    return [_line(row) for row in rows.tuples()]


def session_line(session_id: int) -> SessionLine | None:
    """One session of a listed tour (in any state) as lists show it, or None."""
    return session_lines([session_id]).get(session_id)


def session_lines(session_ids: list[int]) -> dict[int, SessionLine]:
    """Sessions of listed tours (in any state) as lists show them, by id."""
    rows = db.session.execute(
        select(
            TourSession.id,
            TourSession.tour_id,
            TourProgramme.title,
            Enterprise.name,
            Enterprise.town,
            TourSession.starts_at,
            TourSession.capacity,
            TourSession.seats_left,
            TourSession.takes_bookings,
            TourSession.is_bookable,
        )
        .join(TourSession.tour)
        .join(TourProgramme.enterprise)
        .where(TourSession.id.in_(session_ids), TourProgramme.is_listed)
    )
    return {line.id: line for line in map(_line, rows.tuples())}


def tour_sessions_view(tour_id: int, viewer: User | None) -> dict:
    """What the tour page's list of dates shows: the next sessions with their seats, and the
    signed-in student's own bookings among them (by session id)."""
    sessions = upcoming_sessions(limit=20, tour_id=tour_id)
    return {
        "sessions": sessions,
        "tour_id": tour_id,
        "mine": student_bookings_by_session(viewer, [s.id for s in sessions]),
    }


def student_bookings_by_session(viewer: User | None, session_ids: list[int]) -> dict[int, Booking]:
    """A signed-in student's live bookings of these sessions, by session id ({} for others)."""
    if viewer is None or not getattr(viewer, "is_authenticated", False) or viewer.role != "student":
        return {}
    rows = db.session.scalars(
        select(Booking).where(
            Booking.session_id.in_(session_ids),
            Booking.kind == "individual",
            Booking.booked_by_id == viewer.id,
            Booking.is_live,
        )
    )
    return {b.session_id: b for b in rows}


def api_sessions(
    starts_from: datetime | None = None,
    starts_to: datetime | None = None,
    enterprise: str = "",
    tour_id: int | None = None,
) -> Select:
    """Upcoming sessions of listed tours for the API, soonest first, filtered (a query)."""
    query = (
        select(TourSession)
        .join(TourSession.tour)
        .join(TourProgramme.enterprise)
        .where(TourSession.is_upcoming, TourProgramme.is_listed)
        .options(contains_eager(TourSession.tour).contains_eager(TourProgramme.enterprise))
        .order_by(TourSession.starts_at, TourSession.id)
    )
    if starts_from is not None:
        query = query.where(TourSession.starts_at >= starts_from)
    if starts_to is not None:
        query = query.where(TourSession.starts_at < starts_to)
    if enterprise:
        query = query.where(Enterprise.slug == enterprise)
    if tour_id is not None:
        query = query.where(TourSession.tour_id == tour_id)
    return query


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
