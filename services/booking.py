"""The booking core: the only code that changes seats.

Every action follows pretix's order: take the session's lock, recount the seats its bookings
hold, check, write, commit — one transaction. The lock is ``SELECT … FOR UPDATE`` on the session
row in PostgreSQL and the database's write lock (``BEGIN IMMEDIATE``) in SQLite; the check
constraint ``seats_booked <= capacity`` is the last guard. Seats held for a waiting-list offer
count as booked. When seats free up, the first waiting booking that fits is offered them, in
the same transaction. ``docs/booking.md`` says why this is safe and what "fair" means here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload, selectinload

from extensions import begin_writing, db
from models import Booking, SchoolClass, TourProgramme, TourSession, User
from models._common import local_now, utcnow
from services import audit
from services.booking_notes import tell_booker, tell_enterprise
from services.booking_rules import (
    BookingRefused,
    check_cancellable_online,
    check_class,
    check_group,
    check_session_open,
    check_student,
)

log = logging.getLogger(__name__)
OFFER_HOLD = timedelta(hours=48)
# An offer must be answered at least this long before the session (the enterprise needs its
# list of visitors); closer than that, freed seats are not offered but left for booking.
OFFER_DEADLINE = timedelta(hours=24)

__all__ = ["BookingRefused", "Outcome"]


@dataclass(frozen=True)
class Outcome:
    """What a booking request ended in: the booking, whether this request made it, and the
    state this request left it in (by the time the caller looks, a concurrent cancellation may
    already have offered seats to a booking this request put on the waiting list)."""

    booking: Booking
    created: bool
    state: str


# --- the lock and the count --------------------------------------------------------------------


def _lock(session_id: int) -> TourSession:
    """Lock the session against every other seat change until this transaction ends.

    :raises BookingRefused: ``session_unknown``.
    """
    # SQLite: the transaction takes the write lock as it begins (a web request that writes
    # began so already; a job or the CLI asks here, before its first statement).
    begin_writing()
    query = select(TourSession).where(TourSession.id == session_id)
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    session = db.session.scalar(query.execution_options(populate_existing=True))
    if session is None:
        raise BookingRefused("session_unknown")
    # One query counts the seats held and whether anything is due to expire.
    held, due, waiting = db.session.execute(
        select(
            func.coalesce(func.sum(case((Booking.holds_seats, Booking.seats), else_=0)), 0),
            func.count(Booking.id).filter(
                Booking.state == "offered", Booking.offer_expires_at <= local_now()
            ),
            func.count(Booking.id).filter(Booking.is_waiting),
        ).where(Booking.session_id == session_id)
    ).one()
    if session.seats_booked != held:
        log.warning("session %s counted %s seats, held %s", session_id, session.seats_booked, held)
        session.seats_booked = held
    if due or (waiting and not session.takes_bookings):
        _expire_due(session)
    return session


def _unlocked(session_id: int) -> TourSession:
    """The session as it is now, without its lock (for the rules that seats do not change).

    :raises BookingRefused: ``session_unknown``.
    """
    session = db.session.scalar(
        select(TourSession)
        .where(TourSession.id == session_id)
        .options(joinedload(TourSession.tour).joinedload(TourProgramme.enterprise))
    )
    if session is None:
        raise BookingRefused("session_unknown")
    return session


def _live_booking(session_id: int, *where) -> Booking | None:
    return db.session.scalar(
        select(Booking).where(Booking.session_id == session_id, Booking.is_live, *where)
    )


def _hold(session: TourSession, booking: Booking, seats: int) -> None:
    session.seats_booked += seats
    booking.session = session


def _release(session: TourSession, seats: int) -> None:
    session.seats_booked -= seats


# --- booking ----------------------------------------------------------------------------------


def book_student(student: User, session_id: int, waitlist: bool = False) -> Outcome:
    """Book one seat for a student, or put them on the waiting list when asked and full.

    A second request for the same student and session answers the first one's booking.

    :raises BookingRefused: when a rule says no (``no_seats`` carries ``seats_left``).
    """
    mine = (Booking.kind == "individual", Booking.booked_by_id == student.id)
    # Answer a repeat, and refuse what the rules refuse, before queueing for the lock.
    existing = _live_booking(session_id, *mine)
    if existing is not None:
        return Outcome(existing, created=False, state=existing.state)
    unlocked = _unlocked(session_id)
    check_session_open(unlocked, unlocked.tour)
    check_student(student, unlocked.tour, unlocked)
    session = _lock(session_id)
    existing = _live_booking(session_id, *mine)
    if existing is not None:
        db.session.commit()
        return Outcome(existing, created=False, state=existing.state)
    check_session_open(session, session.tour)
    booking = Booking(session=session, booked_by=student, kind="individual", students=1, adults=0)
    return _place(session, booking, waitlist, actor=student)


def book_class(
    counsellor: User,
    school_class: SchoolClass,
    session_id: int,
    students: int,
    adults: int,
    waitlist: bool = False,
    transport: str | None = None,
    escorts: list[str] | None = None,
) -> Outcome:
    """Book seats for a class (its students and the adults with them), or put it on the waiting
    list when asked and full. A class holding a booking for the session gets that booking.
    ``transport`` and ``escorts`` (the adults' names) are kept for the school's papers.

    :raises BookingRefused: when a rule says no (``no_seats`` carries ``seats_left``).
    """
    existing = _live_booking(session_id, Booking.class_id == school_class.id)
    if existing is not None:
        return Outcome(existing, created=False, state=existing.state)
    unlocked = _unlocked(session_id)
    check_session_open(unlocked, unlocked.tour)
    check_class(school_class, unlocked.tour, students, adults)
    session = _lock(session_id)
    existing = _live_booking(session_id, Booking.class_id == school_class.id)
    if existing is not None:
        db.session.commit()
        return Outcome(existing, created=False, state=existing.state)
    check_session_open(session, session.tour)
    booking = Booking(
        session=session,
        booked_by=counsellor,
        school_class=school_class,
        kind="class",
        students=students,
        adults=adults,
        transport=transport,
        escorts=list(escorts or []),
    )
    return _place(session, booking, waitlist, actor=counsellor)


def _place(session: TourSession, booking: Booking, waitlist: bool, actor: User) -> Outcome:
    seats = booking.seats
    if seats <= session.seats_left:
        booking.state = "confirmed"
        _hold(session, booking, seats)
    elif waitlist:
        booking.state = "waitlisted"
        booking.waitlisted_at = utcnow()
    else:
        raise BookingRefused("no_seats", seats_left=session.seats_left, seats=seats)
    db.session.add(booking)
    db.session.flush()
    audit.record(f"booking.{booking.state}", booking, actor=actor, seats=seats)
    tell_booker(booking, "waitlisted" if booking.state == "waitlisted" else "confirmed")
    if booking.kind == "class" and booking.state == "confirmed":
        tell_enterprise(booking, "employer.class_booked")
    state = booking.state
    db.session.commit()
    return Outcome(booking, created=True, state=state)


# --- changing and ending a booking ------------------------------------------------------------


def cancel(booking: Booking, actor: User, reason: str = "by_booker") -> Booking:
    """Cancel a booking (or leave the waiting list, or decline an offer); its seats go to the
    next waiting booking that fits. A student cancels online only before the cutoff.

    :raises BookingRefused: when it is too late or already over.
    """
    session = _lock(booking.session_id)
    db.session.refresh(booking)
    if booking.state == "cancelled":
        db.session.commit()
        return booking
    if (
        booking.state not in ("confirmed", "waitlisted", "offered")
        or session.starts_at <= local_now()
    ):
        raise BookingRefused("not_changeable")
    if booking.state == "confirmed" and booking.kind == "individual":
        check_cancellable_online(session, session.tour)
    if booking.state == "offered" and reason == "by_booker":
        reason = "offer_declined"
    _end(session, booking, reason)
    audit.record("booking.cancel", booking, actor=actor, reason=reason)
    tell_booker(booking, "cancelled")
    if booking.kind == "class":
        tell_enterprise(booking, "employer.class_cancelled")
    _promote(session)
    db.session.commit()
    return booking


def end_for_privacy(booking: Booking, reason: str) -> None:
    """Cancel a student's live booking because their consent to it ended or the account is
    being deleted: at once, whatever the online cutoff (the processing must stop now), the
    seats to the waiting list. Nobody is told: the student did it. The caller commits."""
    session = _lock(booking.session_id)
    db.session.refresh(booking)
    if booking.state not in ("confirmed", "waitlisted", "offered"):
        return
    _end(session, booking, reason)
    audit.record("booking.cancel", booking, reason=reason)
    _promote(session)


def resize(booking: Booking, actor: User, students: int, adults: int | None = None) -> Booking:
    """Change a class booking's numbers of students and adults: fewer seats always (they go to
    the waiting list), more only when the seats are there; the programme's group rules still
    apply.

    :raises BookingRefused: ``no_seats`` (with ``seats_left``), a group rule, or over.
    """
    session = _lock(booking.session_id)
    db.session.refresh(booking)
    live = booking.state in ("confirmed", "offered", "waitlisted") and session.is_upcoming
    if not live or booking.kind != "class":
        raise BookingRefused("not_changeable")
    adults = booking.adults if adults is None else adults
    check_group(session.tour, students, adults)
    delta = students + adults - booking.seats
    if (students, adults) == (booking.students, booking.adults):
        db.session.commit()
        return booking
    if booking.holds_seats:
        if delta > session.seats_left:
            raise BookingRefused("no_seats", seats_left=session.seats_left, seats=delta)
        session.seats_booked += delta
    old = [booking.students, booking.adults]
    booking.students, booking.adults = students, adults
    audit.record("booking.resize", booking, actor=actor, seats=[old, [students, adults]])
    tell_booker(booking, "resized")
    if delta < 0:
        _promote(session)
    db.session.commit()
    return booking


def accept_offer(booking: Booking, actor: User) -> Booking:
    """Turn an offered booking into a confirmed one (its seats are already held).

    :raises BookingRefused: ``offer_expired`` or ``not_offered``.
    """
    _lock(booking.session_id)
    db.session.refresh(booking)
    if booking.state == "confirmed":
        db.session.commit()
        return booking
    if booking.state != "offered":
        code = "offer_expired" if booking.cancel_reason == "offer_expired" else "not_offered"
        db.session.commit()  # the lock's expiry of overdue offers is kept
        raise BookingRefused(code)
    booking.state = "confirmed"
    booking.offer_expires_at = None
    audit.record("booking.accept", booking, actor=actor)
    tell_booker(booking, "confirmed")
    if booking.kind == "class":
        tell_enterprise(booking, "employer.class_booked")
    db.session.commit()
    return booking


# --- the session's side -----------------------------------------------------------------------


def set_capacity(session_id: int, capacity: int, actor: User) -> TourSession:
    """Change a session's capacity: never below the seats held; more seats go to the waiting
    list first.

    :raises ValueError: below the seats held or not positive.
    """
    session = _lock(session_id)
    if capacity < max(1, session.seats_booked):
        raise ValueError("capacity below seats held")
    old, session.capacity = session.capacity, capacity
    audit.record("session.capacity", session, actor=actor, capacity=[old, capacity])
    _promote(session)
    db.session.commit()
    return session


def close_booking(session_id: int, actor: User) -> TourSession:
    """Stop taking bookings now: those made stay, the waiting list ends and is told so."""
    session = _lock(session_id)
    session.booking_closes_at = min(local_now(), session.starts_at)
    audit.record("session.close", session, actor=actor)
    _expire_due(session)
    db.session.commit()
    return session


def cancel_session(session_id: int, reason: str, actor: User) -> TourSession:
    """Cancel a session: every live booking ends and its booker is told why."""
    session = _lock(session_id)
    session.state = "cancelled"
    session.cancel_reason = reason
    bookings = db.session.scalars(
        select(Booking).where(Booking.session_id == session_id, Booking.is_live)
    ).all()
    for booking in bookings:
        if booking.state in ("confirmed", "waitlisted", "offered"):
            _end(session, booking, "session_cancelled")
            tell_booker(booking, "session_cancelled", reason=reason)
    audit.record("session.cancel", session, actor=actor, reason=reason, bookings=len(bookings))
    db.session.commit()
    return session


def mark_attendance(
    booking: Booking, actor: User, attended: bool, students_came: int | None = None
) -> Booking:
    """The enterprise's word on the day: the booking came (``attended``) or not (``no_show``),
    and for a class, how many of its students came (``students_came``; None: all it booked).
    A visit marked attended enters itself in the «Профминимум» record of everyone it took,
    and the open offers of its tour go to whoever came and asked for them; a correction to
    "did not come" takes the record back. Seats stay held either way.

    :raises BookingRefused: ``not_changeable`` before the session starts or for a booking
        that held no seats on the day; ``bad_count`` for a count outside 1…booked students.
    """
    from services import profminimum  # the record builds on bookings, not the other way

    session = _lock(booking.session_id)
    db.session.refresh(booking)
    if booking.state not in ("confirmed", "attended", "no_show") or session.starts_at > local_now():
        raise BookingRefused("not_changeable")
    state = "attended" if attended else "no_show"
    came = students_came if attended and booking.kind == "class" else None
    if came is not None and not 1 <= came <= booking.students:
        raise BookingRefused("bad_count", students=booking.students)
    if booking.students_came != came:
        booking.students_came = came
        audit.record("booking.came", booking, actor=actor, students=came)
    if booking.state != state:
        booking.state = state
        audit.record(f"booking.{state}", booking, actor=actor)
        if attended:
            profminimum.record_visit(booking)
        else:
            profminimum.unrecord_visit(booking)
    from services import offers  # offers follow visits, not the other way

    # Read before the commit: a job run in-process must find no transaction of ours open
    # (SQLite would keep its write waiting on our read).
    follow_up = offers.open_offers_of(session.tour_id) if attended else []
    db.session.commit()
    offers.send_later(follow_up)
    return booking


def waiting_position(booking: Booking) -> int | None:
    """The booking's place on its session's waiting list (1 = next to be offered), or None."""
    if booking.state != "waitlisted":
        return None
    ahead = db.session.scalar(
        select(func.count(Booking.id)).where(
            Booking.session_id == booking.session_id,
            Booking.is_waiting,
            (Booking.waitlisted_at < booking.waitlisted_at)
            | ((Booking.waitlisted_at == booking.waitlisted_at) & (Booking.id < booking.id)),
        )
    )
    return ahead + 1


# --- the waiting list -------------------------------------------------------------------------


def _end(session: TourSession, booking: Booking, reason: str) -> None:
    if booking.holds_seats:
        _release(session, booking.seats)
    booking.state = "cancelled"
    booking.cancel_reason = reason
    booking.cancelled_at = utcnow()
    booking.offer_expires_at = None


def _offer_deadline(session: TourSession):
    """When an offer made now would expire, or None when it is too late to offer."""
    expires = min(local_now() + OFFER_HOLD, session.starts_at - OFFER_DEADLINE)
    return expires if expires > local_now() else None


def _promote(session: TourSession) -> None:
    """Offer freed seats to waiting bookings: in order of joining, each that fits."""
    if session.state != "scheduled" or session.seats_left <= 0:
        return
    expires = _offer_deadline(session)
    if expires is None:
        return
    waiting = db.session.scalars(
        select(Booking)
        .where(Booking.session_id == session.id, Booking.is_waiting)
        .order_by(Booking.waitlisted_at, Booking.id)
    )
    for booking in waiting:
        if booking.seats <= session.seats_left:
            booking.state = "offered"
            booking.offer_expires_at = expires
            _hold(session, booking, booking.seats)
            audit.record("booking.offer", booking, expires=expires.isoformat())
            tell_booker(booking, "offered")
        if session.seats_left <= 0:
            break


def _expire_due(session: TourSession) -> None:
    """End offers past their expiry and waiting that can no longer be served, under the lock."""
    now = local_now()
    due = db.session.scalars(
        select(Booking).where(
            Booking.session_id == session.id,
            Booking.state == "offered",
            Booking.offer_expires_at <= now,
        )
    ).all()
    for booking in due:
        expired_at = booking.offer_expires_at
        _end(session, booking, "offer_expired")
        audit.record("booking.offer_expired", booking)
        tell_booker(booking, "offer_expired", expires=expired_at)
    if not session.takes_bookings:
        left_waiting = db.session.scalars(
            select(Booking).where(Booking.session_id == session.id, Booking.is_waiting)
        ).all()
        for booking in left_waiting:
            _end(session, booking, "waitlist_closed")
            tell_booker(booking, "waitlist_closed")
    elif due:
        _promote(session)


def expire_offers() -> int:
    """The periodic job: end overdue offers and closed waiting lists, offering the seats on.

    Returns how many sessions it looked at. Each is handled in a transaction of its own.
    """
    now = local_now()
    sessions = db.session.scalars(
        select(Booking.session_id)
        .join(Booking.session)
        .where(
            ((Booking.state == "offered") & (Booking.offer_expires_at <= now))
            | ((Booking.state == "waitlisted") & ~TourSession.takes_bookings)
        )
        .distinct()
    ).all()
    db.session.commit()
    for session_id in sessions:
        _lock(session_id)
        db.session.commit()
    return len(sessions)


def booking_of_counsellor(counsellor: User, booking_id: int) -> Booking | None:
    """A class booking of the counsellor's, or None (another counsellor's is not theirs)."""
    return db.session.scalar(
        select(Booking)
        .join(Booking.school_class)
        .where(Booking.id == booking_id, SchoolClass.counsellor_id == counsellor.id)
    )


def bookings_of_class(school_class: SchoolClass) -> list[Booking]:
    """The class's bookings, soonest session first (with the session and tour loaded)."""
    return list(
        db.session.scalars(
            select(Booking)
            .join(Booking.session)
            .where(Booking.class_id == school_class.id)
            .options(selectinload(Booking.session).selectinload(TourSession.tour))
            .order_by(TourSession.starts_at, Booking.id)
        )
    )


def bookings_of_student(student: User) -> list[Booking]:
    """The student's own bookings, soonest session first (with what a list shows loaded)."""
    return list(
        db.session.scalars(
            select(Booking)
            .join(Booking.session)
            .where(Booking.kind == "individual", Booking.booked_by_id == student.id)
            .options(selectinload(Booking.session).selectinload(TourSession.tour))
            .order_by(TourSession.starts_at, Booking.id)
        )
    )


def booking_of_student(student: User, booking_id: int) -> Booking | None:
    """The student's own booking with that id, or None."""
    return db.session.scalar(
        select(Booking).where(
            Booking.id == booking_id,
            Booking.kind == "individual",
            Booking.booked_by_id == student.id,
        )
    )
