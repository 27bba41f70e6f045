"""Feedback after a visit: who may leave it, leaving it once, what the enterprise and counsellors
read of it, and its moderation.

Only the visitor of an attended booking rates it — the student of an individual booking, the
counsellor of a class booking — and only once. Employers and counsellors never see who wrote:
a comment is signed «ученик» or «педагог класса», with the tour and the month of the visit. An
enterprise's staff may report a comment; regional staff then hide it or keep it. Hidden feedback
still counts in the averages; only its text is withheld.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from extensions import db
from models import Booking, Enterprise, Feedback, TourProgramme, TourSession, User
from models._common import utcnow
from services import audit
from services.employer_sessions import enterprise_ids

RATINGS = (1, 2, 3, 4, 5)
DECISIONS = ("hide", "keep")
# How many comments each reader gets: counsellors choosing a tour, employers per tour.
COUNSELLOR_COMMENTS = 5
EMPLOYER_COMMENTS = 30

REFUSALS: dict[str, Callable[[], str]] = {
    "not_yours": lambda: _("Оценить экскурсию может только тот, кто на неё записывался."),
    "not_attended": lambda: _(
        "Оценить экскурсию можно после неё, когда предприятие отметит, что вы были."
    ),
    "already_given": lambda: _("Отзыв об этой экскурсии уже оставлен: оценить её можно один раз."),
    "bad_rating": lambda: _("Поставьте оценку от 1 до 5."),
    "not_staff": lambda: _("Пожаловаться можно только на отзыв о своём предприятии."),
    "already_reported": lambda: _("Этот отзыв уже у модератора."),
    "already_hidden": lambda: _("Этот отзыв уже скрыт модератором."),
    "not_reported": lambda: _("Этот отзыв уже не ждёт решения модератора."),
}


class FeedbackRefused(Exception):
    """A feedback action the rules refuse; ``code`` is a key of ``REFUSALS``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    @property
    def message(self) -> str:
        """What to tell the person, in their language."""
        return REFUSALS[self.code]()


# --- leaving feedback --------------------------------------------------------------------------


def feedback_of(booking: Booking) -> Feedback | None:
    """The feedback left on the booking, if any."""
    return db.session.scalar(select(Feedback).where(Feedback.booking_id == booking.id).limit(1))


def ratings_of(bookings: Iterable[Booking]) -> dict[int, int]:
    """The rating left on each of the bookings that has one, by booking id."""
    ids = [b.id for b in bookings]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Feedback.booking_id, Feedback.rating).where(Feedback.booking_id.in_(ids))
    )
    return {booking_id: rating for booking_id, rating in rows}


def check_may_give(booking: Booking, user: User) -> None:
    """Whether ``user`` may rate the booking now: its visitor, after the visit, the first time.

    :raises FeedbackRefused: ``not_yours``, ``not_attended`` or ``already_given``.
    """
    # The visitor is who booked: the student alone, or the counsellor for the class.
    if booking.booked_by_id is None or booking.booked_by_id != user.id:
        raise FeedbackRefused("not_yours")
    if booking.state != "attended":
        raise FeedbackRefused("not_attended")
    if feedback_of(booking) is not None:
        raise FeedbackRefused("already_given")


def give(
    booking: Booking,
    author: User,
    rating: int,
    liked: str = "",
    to_change: str = "",
    interest_changed: bool | None = None,
) -> Feedback:
    """Record the visitor's rating (1–5) and what they liked and would change; commits.

    A second submission, even one racing the first, is refused rather than stored twice.

    :raises FeedbackRefused: as ``check_may_give``, or ``bad_rating``.
    """
    check_may_give(booking, author)
    if rating not in RATINGS:
        raise FeedbackRefused("bad_rating")
    feedback = Feedback(
        booking_id=booking.id,
        author_id=author.id,
        rating=rating,
        comment=(liked or "").strip(),
        to_change=(to_change or "").strip(),
        interest_changed=interest_changed,
    )
    db.session.add(feedback)
    try:
        db.session.flush()
    except IntegrityError:
        # A concurrent submit of the same booking won: the unique constraint is the last word.
        db.session.rollback()
        raise FeedbackRefused("already_given") from None
    audit.record("feedback.give", feedback, actor=author, rating=rating)
    db.session.commit()
    return feedback


# --- what readers see --------------------------------------------------------------------------


@dataclass(frozen=True)
class Comment:
    """One feedback as the enterprise and counsellors read it: never who wrote it."""

    id: int
    rating: int
    who: str  # «ученик» or «педагог класса»
    tour: str
    month: str  # «ноябрь 2025»
    liked: str  # empty when hidden
    to_change: str  # empty when hidden
    hidden: bool
    reported: bool


@dataclass(frozen=True)
class Summary:
    """Ratings of a set of visits: how many, their average, how they spread, latest comments."""

    count: int = 0
    total: int = 0
    distribution: dict[int, int] = field(default_factory=lambda: dict.fromkeys(RATINGS, 0))
    comments: list[Comment] = field(default_factory=list)

    @property
    def average(self) -> float | None:
        """The mean rating, or None without ratings."""
        return self.total / self.count if self.count else None

    @property
    def spread(self) -> list[tuple[int, int]]:
        """(rating, how many gave it) from 5 down to 1, as the chart and its table show them."""
        return [(r, self.distribution[r]) for r in reversed(RATINGS)]

    @property
    def average_text(self) -> str:
        """The mean rating with one decimal in the reader's language («4,3»), or «—»."""
        if self.average is None:
            return "—"
        return format_decimal(round(self.average, 1), format="0.0")


def _of_enterprise(enterprise_id: int):
    return (
        select(Feedback)
        .join(Booking, Booking.id == Feedback.booking_id)
        .join(TourSession, TourSession.id == Booking.session_id)
        .join(TourProgramme, TourProgramme.id == TourSession.tour_id)
        .where(TourProgramme.enterprise_id == enterprise_id)
    )


def _counts(query) -> tuple[int, int, dict[int, int]]:
    """(count, sum of ratings, count per rating) of the feedback the query selects."""
    spread = dict.fromkeys(RATINGS, 0)
    rows = db.session.execute(
        query.with_only_columns(Feedback.rating, func.count(Feedback.id)).group_by(Feedback.rating)
    )
    for rating, n in rows:
        spread[rating] = n
    return sum(spread.values()), sum(r * n for r, n in spread.items()), spread


def _comments(query, limit: int, with_hidden: bool) -> list[Comment]:
    """The latest feedback that has text (hidden ones too, for the enterprise: text withheld)."""
    has_text = (Feedback.comment != "") | (Feedback.to_change != "")
    if not with_hidden:
        query = query.where(~Feedback.hidden)
    rows = db.session.scalars(
        query.where(has_text)
        .options(
            joinedload(Feedback.booking).joinedload(Booking.session).joinedload(TourSession.tour)
        )
        .order_by(Feedback.created_at.desc(), Feedback.id.desc())
        .limit(limit)
    )
    return [comment_of(f) for f in rows]


def comment_of(feedback: Feedback) -> Comment:
    """The feedback as its readers see it: signed by a kind of visitor, not a name."""
    booking = feedback.booking
    session = booking.session
    return Comment(
        id=feedback.id,
        rating=feedback.rating,
        who=_("педагог класса") if booking.kind == "class" else _("ученик"),
        tour=session.tour.title,
        month=format_date(session.starts_at.date(), "LLLL yyyy"),
        liked="" if feedback.hidden else feedback.comment,
        to_change="" if feedback.hidden else feedback.to_change,
        hidden=feedback.hidden,
        reported=feedback.reported_at is not None and not feedback.hidden,
    )


def summary(enterprise_id: int, comments: int = COUNSELLOR_COMMENTS) -> Summary:
    """What a counsellor reads before booking: the enterprise's ratings and its latest visible
    comments."""
    query = _of_enterprise(enterprise_id)
    count, total, spread = _counts(query)
    latest = _comments(query, comments, with_hidden=False) if count else []
    return Summary(count, total, spread, latest)


@dataclass(frozen=True)
class TourFeedback:
    """One tour's ratings on the enterprise's feedback page."""

    tour: TourProgramme
    summary: Summary


def for_employer(enterprise: Enterprise) -> tuple[Summary, list[TourFeedback]]:
    """(the enterprise's ratings over all tours, each rated tour's ratings and comments)."""
    query = _of_enterprise(enterprise.id)
    count, total, spread = _counts(query)
    tours = []
    for tour in sorted(enterprise.tours, key=lambda t: t.title):
        of_tour = query.where(TourProgramme.id == tour.id)
        n, tour_total, tour_spread = _counts(of_tour)
        if n:
            latest = _comments(of_tour, EMPLOYER_COMMENTS, with_hidden=True)
            tours.append(TourFeedback(tour, Summary(n, tour_total, tour_spread, latest)))
    return Summary(count, total, spread), tours


def feedback_of_enterprise(enterprise: Enterprise, feedback_id: int) -> Feedback | None:
    """The feedback, if it is about a visit to that enterprise."""
    return db.session.scalar(_of_enterprise(enterprise.id).where(Feedback.id == feedback_id))


# --- reports and moderation --------------------------------------------------------------------


def report(feedback: Feedback, employer: User, reason: str) -> Feedback:
    """An enterprise's staff member sends a comment to regional staff, saying why; commits.

    :raises FeedbackRefused: ``not_staff`` (not their enterprise's feedback),
        ``already_hidden`` or ``already_reported``.
    """
    enterprise_id = feedback.booking.session.tour.enterprise_id
    if enterprise_id not in enterprise_ids(employer):
        raise FeedbackRefused("not_staff")
    if feedback.hidden:
        raise FeedbackRefused("already_hidden")
    if feedback.reported_at is not None:
        raise FeedbackRefused("already_reported")
    feedback.reported_at = utcnow()
    feedback.report_reason = reason.strip()[:300]
    audit.record("feedback.report", feedback, actor=employer, reason=feedback.report_reason)
    db.session.commit()
    return feedback


def reported() -> list[Feedback]:
    """The moderation queue: reported feedback not hidden yet, oldest report first."""
    return list(
        db.session.scalars(
            select(Feedback)
            .where(Feedback.reported_at.is_not(None), ~Feedback.hidden)
            .options(
                joinedload(Feedback.booking)
                .joinedload(Booking.session)
                .joinedload(TourSession.tour)
                .joinedload(TourProgramme.enterprise)
            )
            .order_by(Feedback.reported_at, Feedback.id)
        )
    )


def decide(feedback: Feedback, decision: str, moderator: User) -> Feedback:
    """Regional staff's answer to a report: ``hide`` the text (the rating still counts) or
    ``keep`` it (the report is cleared); commits.

    :raises ValueError: on an unknown decision.
    :raises FeedbackRefused: ``not_reported`` when the feedback is not waiting for a decision.
    """
    if decision not in DECISIONS:
        raise ValueError(decision)
    if feedback.reported_at is None or feedback.hidden:
        raise FeedbackRefused("not_reported")
    reason = feedback.report_reason
    if decision == "hide":
        feedback.hidden = True
    else:
        feedback.reported_at = None
        feedback.report_reason = ""
    audit.record(f"feedback.{decision}", feedback, actor=moderator, reason=reason)
    db.session.commit()
    return feedback
