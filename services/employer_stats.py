"""An enterprise's own figures for a period of months: who came, which classes and schools it
reached, how many of those booked turned up, what visitors thought, the offers it published,
the responses to them, and how many visitors answered an offer after their visit.

Everything counts the sessions of the enterprise's tours that start within the period (their
local start time, as stored), except offers, counted by when moderation published them. Each
figure is one aggregate query, whatever the length of the period.

Small numbers: a share (a percentage) whose base is under ``SHOW_MINIMUM`` students is held
back, with what it was counted of (``Share.shown``), as the counsellor's class picture does, so
that a figure cannot describe one child.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, case, distinct, extract, func, select, union_all

from extensions import db
from models import (
    Booking,
    ClassMembership,
    Enterprise,
    Feedback,
    SchoolClass,
    TourProgramme,
    TourSession,
    Vacancy,
    VacancyResponse,
)
from models._common import local_now
from models.vacancy import RESPONSE_STATES, VACANCY_KINDS
from services.class_planner import SHOW_MINIMUM
from services.report_period import Period, to_utc

# A withdrawn response is no longer one: the student took it back.
COUNTED_RESPONSE_STATES = tuple(s for s in RESPONSE_STATES if s != "withdrawn")
RATINGS = (5, 4, 3, 2, 1)


@dataclass(frozen=True)
class Share:
    """``part`` of ``whole`` students."""

    part: int
    whole: int

    @property
    def percent(self) -> int | None:
        """The share in whole percent; None when there is nothing to divide by."""
        return round(100 * self.part / self.whole) if self.whole else None

    @property
    def shown(self) -> bool:
        """Whether the share may be shown: its base is at least ``SHOW_MINIMUM`` students."""
        return self.whole >= SHOW_MINIMUM


@dataclass(frozen=True)
class MonthLine:
    """One month: students and adults who came, and the students' attendance."""

    month: date  # its first day
    students: int
    adults: int
    attendance: Share


@dataclass(frozen=True)
class Reach:
    """Class visits that took place, and the distinct classes and schools behind them."""

    class_visits: int
    classes: int
    schools: int


@dataclass(frozen=True)
class FeedbackSummary:
    """Ratings of the period's visits, those hidden by moderation included."""

    count: int
    hidden: int
    by_rating: dict[int, int]  # 5 … 1 -> how many

    @property
    def average(self) -> float | None:
        """The mean rating, None without any."""
        if not self.count:
            return None
        return sum(r * n for r, n in self.by_rating.items()) / self.count


@dataclass(frozen=True)
class EmployerStats:
    """Every figure of the statistics page for one enterprise and period."""

    enterprise: Enterprise
    period: Period
    months: list[MonthLine]
    attendance: Share
    reach: Reach
    feedback: FeedbackSummary
    offers: dict[str, int]  # kind -> published, every kind
    responses: dict[str, int]  # state -> responses, every state but withdrawn
    conversion: Share

    @property
    def students(self) -> int:
        """Students who came in the period."""
        return sum(m.students for m in self.months)

    @property
    def adults(self) -> int:
        """Adults who came with classes in the period."""
        return sum(m.adults for m in self.months)


def _bookings(enterprise: Enterprise, period: Period, now: datetime) -> Select:
    """Bookings of the enterprise's sessions that started within the period (columns to add)."""
    return (
        select()
        .select_from(Booking)
        .join(TourSession, TourSession.id == Booking.session_id)
        .join(TourProgramme, TourProgramme.id == TourSession.tour_id)
        .where(
            TourProgramme.enterprise_id == enterprise.id,
            TourSession.starts_at >= period.starts,
            TourSession.starts_at < period.ends,
            TourSession.starts_at <= now,
        )
    )


def _months(enterprise: Enterprise, period: Period, now: datetime) -> tuple[list[MonthLine], Share]:
    """Per month: students and adults of attended bookings, and attended students against
    attended plus no-show students; then the period's attendance."""
    year = extract("year", TourSession.starts_at)
    month = extract("month", TourSession.starts_at)
    rows = db.session.execute(
        _bookings(enterprise, period, now)
        .add_columns(
            year,
            month,
            Booking.state,
            # A class marked attended may say how many of its students came.
            func.sum(func.coalesce(Booking.students_came, Booking.students)),
            func.sum(Booking.adults),
            func.sum(Booking.students),
        )
        .where(Booking.state.in_(("attended", "no_show")))
        .group_by(year, month, Booking.state)
    ).all()
    came: dict[tuple[int, int], tuple[int, int]] = {}
    missed: dict[tuple[int, int], int] = {}
    for y, m, state, students, adults, booked in rows:
        key = (int(y), int(m))
        if state == "attended":
            came[key] = (int(students), int(adults))
            missed[key] = missed.get(key, 0) + int(booked) - int(students)
        else:
            missed[key] = missed.get(key, 0) + int(students)
    lines = []
    for first in period.months:
        key = (first.year, first.month)
        students, adults = came.get(key, (0, 0))
        share = Share(students, students + missed.get(key, 0))
        lines.append(MonthLine(first, students, adults, share))
    total = Share(sum(m.attendance.part for m in lines), sum(m.attendance.whole for m in lines))
    return lines, total


def _reach(enterprise: Enterprise, period: Period, now: datetime) -> Reach:
    row = db.session.execute(
        _bookings(enterprise, period, now)
        .add_columns(
            func.count(Booking.id),
            func.count(distinct(Booking.class_id)),
            func.count(distinct(SchoolClass.school_id)),
        )
        .join(SchoolClass, SchoolClass.id == Booking.class_id)
        .where(Booking.kind == "class", Booking.state == "attended")
    ).one()
    return Reach(*(int(n or 0) for n in row))


def _feedback(enterprise: Enterprise, period: Period, now: datetime) -> FeedbackSummary:
    rows = db.session.execute(
        _bookings(enterprise, period, now)
        .add_columns(
            Feedback.rating,
            func.count(Feedback.id),
            func.sum(case((Feedback.hidden.is_(True), 1), else_=0)),
        )
        .join(Feedback, Feedback.booking_id == Booking.id)
        .group_by(Feedback.rating)
    ).all()
    by_rating = dict.fromkeys(RATINGS, 0)
    hidden = 0
    for rating, count, hidden_here in rows:
        by_rating[int(rating)] = int(count)
        hidden += int(hidden_here or 0)
    return FeedbackSummary(sum(by_rating.values()), hidden, by_rating)


def _published(enterprise: Enterprise, period: Period):
    """Conditions on a vacancy: the enterprise's, approved, published within the period."""
    since, until = period.utc_bounds()
    return (
        Vacancy.enterprise_id == enterprise.id,
        Vacancy.moderation_state == "approved",
        Vacancy.published_at >= since,
        Vacancy.published_at < until,
    )


def _offers(enterprise: Enterprise, period: Period) -> tuple[dict[str, int], dict[str, int]]:
    """(published offers by kind, responses to them by state, withdrawn ones left out)."""
    kinds = db.session.execute(
        select(Vacancy.kind, func.count(Vacancy.id))
        .where(*_published(enterprise, period))
        .group_by(Vacancy.kind)
    ).all()
    states = db.session.execute(
        select(VacancyResponse.state, func.count(VacancyResponse.id))
        .join(Vacancy, Vacancy.id == VacancyResponse.vacancy_id)
        .where(*_published(enterprise, period), VacancyResponse.state.in_(COUNTED_RESPONSE_STATES))
        .group_by(VacancyResponse.state)
    ).all()
    offers = dict.fromkeys(VACANCY_KINDS, 0) | {k: int(n) for k, n in kinds}
    responses = dict.fromkeys(COUNTED_RESPONSE_STATES, 0) | {s: int(n) for s, n in states}
    return offers, responses


def _conversion(enterprise: Enterprise, period: Period, now: datetime) -> Share:
    """Of the students who came, how many answered an offer of the enterprise after coming.

    The students who came: the accounts that booked an attended individual visit, and the
    students who are members of a class (now, as ``ClassMembership`` says) whose class visit
    was attended — each counted once, with the start of their first such visit in the period.
    Of them, those who responded to any offer of the enterprise (published in the period or
    not; a withdrawn response does not count) at any moment after that start. The share is
    of distinct students; a deleted account counts in neither.
    """
    attended = Booking.state == "attended"
    alone = (
        _bookings(enterprise, period, now)
        .add_columns(Booking.booked_by_id.label("student_id"), TourSession.starts_at.label("at"))
        .where(attended, Booking.kind == "individual", Booking.booked_by_id.is_not(None))
    )
    in_class = (
        _bookings(enterprise, period, now)
        .add_columns(ClassMembership.student_id, TourSession.starts_at)
        .join(ClassMembership, ClassMembership.class_id == Booking.class_id)
        .where(attended, Booking.kind == "class")
    )
    visits = union_all(alone, in_class).subquery()
    first = (
        select(visits.c.student_id, func.min(visits.c.at).label("at"))
        .group_by(visits.c.student_id)
        .subquery()
    )
    answered = (
        select(VacancyResponse.student_id, func.max(VacancyResponse.created_at).label("at"))
        .join(Vacancy, Vacancy.id == VacancyResponse.vacancy_id)
        .where(Vacancy.enterprise_id == enterprise.id, VacancyResponse.state != "withdrawn")
        .group_by(VacancyResponse.student_id)
        .subquery()
    )
    rows = db.session.execute(
        select(first.c.at, answered.c.at).outerjoin(
            answered, answered.c.student_id == first.c.student_id
        )
    ).all()
    # Visits are in local time, responses in UTC: compare them as the same kind of moment.
    after = sum(1 for came, last in rows if last is not None and last > to_utc(came))
    return Share(after, len(rows))


def enterprise_stats(
    enterprise: Enterprise, period: Period, now: datetime | None = None
) -> EmployerStats:
    """Every figure of the enterprise's statistics for the period (``now`` in local time: only
    sessions that started by then count)."""
    now = now or local_now()
    months, attendance = _months(enterprise, period, now)
    offers, responses = _offers(enterprise, period)
    return EmployerStats(
        enterprise=enterprise,
        period=period,
        months=months,
        attendance=attendance,
        reach=_reach(enterprise, period, now),
        feedback=_feedback(enterprise, period, now),
        offers=offers,
        responses=responses,
        conversion=_conversion(enterprise, period, now),
    )
