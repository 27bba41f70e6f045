"""Finding tour sessions to visit: upcoming, bookable, for a profession or an enterprise."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, distinct, exists, func, select
from sqlalchemy.orm import joinedload

from extensions import db
from models import Enterprise, TourProgramme, TourSession
from models.enterprise import tour_professions
from services.catalogue_version import VersionedCache


def now_local() -> datetime:
    """Current local (regional) time; sessions are stored in local time."""
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Europe/Moscow")).replace(tzinfo=None)


def approved_tours() -> Select:
    """Tour programmes visitors may see: approved, active, of an approved enterprise."""
    return (
        select(TourProgramme)
        .join(TourProgramme.enterprise)
        .where(
            TourProgramme.moderation_state == "approved",
            TourProgramme.active.is_(True),
            Enterprise.moderation_state == "approved",
        )
    )


def _upcoming() -> Select:
    return (
        select(TourSession)
        .join(TourSession.tour)
        .join(TourProgramme.enterprise)
        .where(
            TourSession.starts_at > now_local(),
            TourSession.state == "scheduled",
            TourProgramme.active.is_(True),
            TourProgramme.moderation_state == "approved",
            Enterprise.moderation_state == "approved",
        )
        .options(joinedload(TourSession.tour).joinedload(TourProgramme.enterprise))
        .order_by(TourSession.starts_at)
    )


def upcoming_sessions(
    limit: int = 10, profession_id: int | None = None, tour_id: int | None = None
) -> list[TourSession]:
    """The next scheduled sessions of approved tours, optionally showing one profession."""
    query = _upcoming()
    if profession_id is not None:
        query = query.join(tour_professions, tour_professions.c.tour_id == TourProgramme.id).where(
            tour_professions.c.profession_id == profession_id
        )
    if tour_id is not None:
        query = query.where(TourSession.tour_id == tour_id)
    return list(db.session.scalars(query.limit(limit)).unique())


def _all_upcoming_tour_counts() -> dict[int, int]:
    rows = db.session.execute(
        select(tour_professions.c.profession_id, func.count(distinct(TourProgramme.id)))
        .join(TourProgramme, TourProgramme.id == tour_professions.c.tour_id)
        .join(Enterprise, Enterprise.id == TourProgramme.enterprise_id)
        .where(
            TourProgramme.active.is_(True),
            TourProgramme.moderation_state == "approved",
            Enterprise.moderation_state == "approved",
            exists().where(
                TourSession.tour_id == TourProgramme.id,
                TourSession.starts_at > now_local(),
                TourSession.state == "scheduled",
            ),
        )
        .group_by(tour_professions.c.profession_id)
    )
    return dict(rows.tuples().all())


# The explorer shows these counts on every result line; they are computed for the whole
# catalogue at once and reused for TOUR_COUNTS_SECONDS (they only move when sessions are added
# or pass), instead of a join over sessions on every keystroke.
_tour_counts = VersionedCache(_all_upcoming_tour_counts, max_age_setting="TOUR_COUNTS_SECONDS")


def upcoming_tour_counts(profession_ids: list[int]) -> dict[int, int]:
    """How many tour programmes with an upcoming session show each of these professions."""
    counts = _tour_counts.get()
    return {pid: counts.get(pid, 0) for pid in profession_ids}
