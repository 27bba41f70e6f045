"""An enterprise puts its programmes on the calendar: one session, or a series ("every Tuesday
and Thursday at 10:00 for eight weeks") that skips Russia's public holidays and transferred days
off, and later changes a session's capacity, closes or reopens its booking, or cancels it.

Seats and bookings stay the booking core's (``services.booking``): capacity, closing and
cancellation go through it, so the waiting list and the bookers' notifications follow the same rules
everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from sqlalchemy import select

from extensions import db
from models import TourProgramme, TourSession, User
from models._common import local_now
from services import audit

MAX_WEEKS = 26  # half a year: a school term and a bit
MAX_AHEAD_DAYS = 366
MAX_CAPACITY = 500


class PlanRefused(Exception):
    """A session or series that cannot be put on the calendar, with the field to blame."""

    def __init__(self, field_name: str, code: str):
        super().__init__(code)
        self.field = field_name
        self.code = code


@lru_cache(maxsize=8)
def _holidays(year: int) -> dict[date, str]:
    # Built once per year: the library computes the calendar (with its transferred days off).
    return dict(holidays.country_holidays("RU", years=year, language="ru"))


def holiday_name(day: date) -> str | None:
    """The public holiday or transferred day off on that day in Russia, if any."""
    return _holidays(day.year).get(day)


@dataclass
class SeriesPlan:
    """What a series puts on the calendar, and the days it left out and why."""

    starts: list[datetime] = field(default_factory=list)
    holidays: list[tuple[date, str]] = field(default_factory=list)
    taken: list[datetime] = field(default_factory=list)  # a session already starts then


def series_starts(
    first_day: date, weekdays: set[int], at: time, weeks: int, existing: set[datetime]
) -> SeriesPlan:
    """The start times of a series from ``first_day`` for ``weeks`` weeks on ``weekdays``
    (0 = Monday), leaving out holidays and times that already have a session."""
    plan = SeriesPlan()
    for offset in range(weeks * 7):
        day = first_day + timedelta(days=offset)
        if day.weekday() not in weekdays:
            continue
        starts = datetime.combine(day, at)
        name = holiday_name(day)
        if name is not None:
            plan.holidays.append((day, name))
        elif starts in existing:
            plan.taken.append(starts)
        else:
            plan.starts.append(starts)
    return plan


def _check(programme: TourProgramme, starts_at: datetime, capacity: int) -> None:
    if not programme.active:
        raise PlanRefused("programme", "retired")
    now = local_now()
    if starts_at <= now:
        raise PlanRefused("starts_on", "past")
    if starts_at > now + timedelta(days=MAX_AHEAD_DAYS):
        raise PlanRefused("starts_on", "too_far")
    if not 1 <= capacity <= MAX_CAPACITY:
        raise PlanRefused("capacity", "range")


def _existing(programme: TourProgramme) -> set[datetime]:
    return set(
        db.session.scalars(select(TourSession.starts_at).where(TourSession.tour_id == programme.id))
    )


def _new_session(programme: TourProgramme, starts_at: datetime, capacity: int) -> TourSession:
    closes = starts_at - timedelta(hours=programme.booking_cutoff_hours)
    return TourSession(
        tour=programme, starts_at=starts_at, capacity=capacity, booking_closes_at=closes
    )


def add_session(
    programme: TourProgramme, starts_at: datetime, capacity: int, actor: User
) -> TourSession:
    """Put one session on the calendar.

    :raises PlanRefused: in the past, too far ahead, a retired programme, a bad capacity, or
        a session of the programme already starting then.
    """
    _check(programme, starts_at, capacity)
    if starts_at in _existing(programme):
        raise PlanRefused("starts_on", "taken")
    if holiday_name(starts_at.date()) is not None:
        raise PlanRefused("starts_on", "holiday")
    session = _new_session(programme, starts_at, capacity)
    db.session.add(session)
    db.session.flush()
    audit.record("session.add", session, actor=actor, starts_at=starts_at.isoformat())
    db.session.commit()
    return session


def add_series(
    programme: TourProgramme,
    first_day: date,
    weekdays: set[int],
    at: time,
    weeks: int,
    capacity: int,
    actor: User,
) -> SeriesPlan:
    """Put a series on the calendar in one transaction.

    :raises PlanRefused: as ``add_session`` for its first start, no weekday, too many weeks,
        or when nothing is left after holidays and sessions that already exist.
    """
    if not weekdays:
        raise PlanRefused("weekdays", "none")
    if not 1 <= weeks <= MAX_WEEKS:
        raise PlanRefused("weeks", "range")
    plan = series_starts(first_day, weekdays, at, weeks, _existing(programme))
    plan.starts = [s for s in plan.starts if s > local_now()]
    if not plan.starts:
        raise PlanRefused("weekdays", "empty")
    _check(programme, plan.starts[0], capacity)
    if plan.starts[-1] > local_now() + timedelta(days=MAX_AHEAD_DAYS):
        raise PlanRefused("weeks", "too_far")
    for starts_at in plan.starts:
        db.session.add(_new_session(programme, starts_at, capacity))
    audit.record(
        "session.series",
        programme,
        actor=actor,
        sessions=len(plan.starts),
        first=plan.starts[0].isoformat(),
        holidays=[d.isoformat() for d, _ in plan.holidays],
    )
    db.session.commit()
    return plan


def reopen_booking(session: TourSession, actor: User) -> None:
    """Take bookings again until the programme's cut-off before the start.

    :raises PlanRefused: when that cut-off has passed or the session is not scheduled.
    """
    closes = session.starts_at - timedelta(hours=session.tour.booking_cutoff_hours)
    if session.state != "scheduled" or closes <= local_now():
        raise PlanRefused("session", "too_late")
    session.booking_closes_at = closes
    audit.record("session.reopen", session, actor=actor)
    db.session.commit()
