"""The booking core, case by case (after pretix's quota and waiting-list tests): seats, the
waiting list and its offers, every refusal with its reason, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from extensions import db
from models import Booking, Notification, TourSession
from models._common import local_now
from services import booking
from services.booking import BookingRefused
from tests.helpers import Factory, outbox


@pytest.fixture
def make(any_db_app):
    return Factory()


def _session(make, capacity=7, **tour):
    programme = make.tour(group_max=30, adults_per_students=10, min_age=None, **tour)
    return make.session(tour=programme, capacity=capacity)


def _students(make, n):
    return [make.user("student") for _ in range(n)]


def _fresh(row):
    db.session.expire_all()
    return db.session.get(type(row), row.id)


def _held(session) -> int:
    """Seats held by the session's bookings, counted from the bookings themselves."""
    return db.session.scalar(
        select(func.coalesce(func.sum(Booking.students + Booking.adults), 0)).where(
            Booking.session_id == session.id, Booking.holds_seats
        )
    )


def _states(bookings) -> list[str]:
    db.session.expire_all()
    return [db.session.get(Booking, b.id).state for b in bookings]


def test_seats_are_taken_and_counted(make):
    session = _session(make, capacity=3)
    for student in _students(make, 3):
        assert booking.book_student(student, session.id).booking.state == "confirmed"
    late = make.user("student")
    with pytest.raises(BookingRefused) as refused:
        booking.book_student(late, session.id)
    assert refused.value.code == "no_seats" and refused.value.params["seats_left"] == 0
    assert "Свободных мест: 0" in refused.value.message
    assert _fresh(session).seats_booked == _held(session) == 3


def test_the_same_request_twice_gives_the_first_booking(make):
    session = _session(make)
    student = make.user("student")
    first = booking.book_student(student, session.id)
    second = booking.book_student(student, session.id)
    assert first.created and not second.created
    assert first.booking.id == second.booking.id
    assert _fresh(session).seats_booked == 1
    school_class = make.school_class()
    one = booking.book_class(school_class.counsellor, school_class, session.id, 4, 1)
    two = booking.book_class(school_class.counsellor, school_class, session.id, 5, 1)
    assert one.booking.id == two.booking.id and _fresh(session).seats_booked == 6


def test_capacity_seven_with_ten_waiting_gives_exactly_seven_offers(make):
    session = _session(make, capacity=7)
    school_class = make.school_class()
    full = booking.book_class(school_class.counsellor, school_class, session.id, 6, 1).booking
    waiting = [
        booking.book_student(s, session.id, waitlist=True).booking for s in _students(make, 10)
    ]
    assert _states(waiting) == ["waitlisted"] * 10
    booking.cancel(full, school_class.counsellor)
    states = _states(waiting)
    assert states == ["offered"] * 7 + ["waitlisted"] * 3  # in the order they joined
    assert _fresh(session).seats_booked == _held(session) == 7
    assert _fresh(session).seats_left == 0


def test_the_first_waiting_booking_that_fits_is_offered(make):
    session = _session(make, capacity=10)
    big = make.school_class()
    small = make.school_class()
    holder = make.school_class()
    held = booking.book_class(holder.counsellor, holder, session.id, 9, 1).booking
    big_wait = booking.book_class(big.counsellor, big, session.id, 8, 1, waitlist=True).booking
    small_wait = booking.book_class(
        small.counsellor, small, session.id, 3, 1, waitlist=True
    ).booking
    booking.resize(held, holder.counsellor, 4)  # five seats free: the big class needs nine
    assert _states([big_wait, small_wait]) == ["waitlisted", "offered"]
    assert _fresh(session).seats_booked == _held(session) == 9


def test_an_expired_offer_passes_to_the_next_that_fits(make, any_db_app):
    session = _session(make, capacity=1)
    first, second = _students(make, 2)
    seat = booking.book_student(make.user("student"), session.id).booking
    one = booking.book_student(first, session.id, waitlist=True).booking
    two = booking.book_student(second, session.id, waitlist=True).booking
    booking.cancel(seat, seat.booked_by)
    assert _states([one, two]) == ["offered", "waitlisted"]
    offered = _fresh(one)
    assert offered.offer_expires_at <= session.starts_at - timedelta(hours=24)
    db.session.execute(
        update(Booking).where(Booking.id == one.id).values(offer_expires_at=local_now())
    )
    db.session.commit()
    assert booking.expire_offers() == 1
    assert _states([one, two]) == ["cancelled", "offered"]
    assert _fresh(one).cancel_reason == "offer_expired"
    with pytest.raises(BookingRefused) as refused:
        booking.accept_offer(_fresh(one), first)
    assert refused.value.code == "offer_expired"
    assert booking.accept_offer(_fresh(two), second).state == "confirmed"
    assert _fresh(session).seats_booked == _held(session) == 1


def test_a_bigger_capacity_promotes(make):
    session = _session(make, capacity=2)
    for s in _students(make, 2):
        booking.book_student(s, session.id)
    waiting = [
        booking.book_student(s, session.id, waitlist=True).booking for s in _students(make, 3)
    ]
    booking.set_capacity(session.id, 4, make.user("employer"))
    assert _states(waiting) == ["offered", "offered", "waitlisted"]
    with pytest.raises(ValueError):
        booking.set_capacity(session.id, 3, make.user("employer"))  # below the seats held
    assert _fresh(session).capacity == 4


def test_a_smaller_headcount_promotes(make):
    session = _session(make, capacity=10)
    school_class = make.school_class()
    held = booking.book_class(school_class.counsellor, school_class, session.id, 9, 1).booking
    waiting = booking.book_student(make.user("student"), session.id, waitlist=True).booking
    booking.resize(held, school_class.counsellor, 8)
    assert _states([waiting]) == ["offered"]
    with pytest.raises(BookingRefused) as refused:
        booking.resize(held, school_class.counsellor, 10)  # two more, none free
    assert refused.value.code == "no_seats"
    assert _fresh(session).seats_booked == _held(session) == 10


def test_offers_are_not_made_in_the_last_day(make):
    programme = make.tour(group_max=30, min_age=None)
    session = make.session(tour=programme, capacity=1, starts_at=local_now() + timedelta(hours=20))
    seat = booking.book_student(make.user("student"), session.id).booking
    waiting = booking.book_student(make.user("student"), session.id, waitlist=True).booking
    booking.cancel(seat, seat.booked_by)  # the cutoff for students is 2 h
    assert _states([waiting]) == ["waitlisted"]
    assert _fresh(session).seats_left == 1  # free for whoever books now


def test_a_closed_waiting_list_tells_those_left_waiting(make):
    programme = make.tour(group_max=30, min_age=None)
    start = local_now() + timedelta(days=3)
    session = make.session(tour=programme, capacity=1, starts_at=start)
    booking.book_student(make.user("student"), session.id)
    waiting = booking.book_student(make.user("student"), session.id, waitlist=True).booking
    db.session.execute(
        update(TourSession)
        .where(TourSession.id == session.id)
        .values(booking_closes_at=local_now())
    )
    db.session.commit()
    booking.expire_offers()
    assert _states([waiting]) == ["cancelled"]
    assert _fresh(waiting).cancel_reason == "waitlist_closed"
    kinds = db.session.scalars(
        select(Notification.kind).where(Notification.user_id == waiting.booked_by_id)
    ).all()
    assert kinds == ["booking.waitlisted", "booking.waitlist_closed"]


@pytest.mark.parametrize(
    ("tour", "student", "code"),
    [
        ({"min_age": 14}, {"birth_year_offset": 12}, "too_young"),
        ({"max_age": 15}, {"birth_year_offset": 18}, "too_old"),
        ({"min_grade": 9}, {"grade": 8}, "grade_too_low"),
        ({"max_grade": 9}, {"grade": 11}, "grade_too_high"),
        ({}, {"consents": ("account", "counsellor")}, "consent_needed"),
        ({}, {"consents": ()}, "consent_needed"),
        ({}, {"consents": (), "birth_year_offset": 12}, "consent_needed_parent"),
        ({"active": False}, {}, "programme_unlisted"),
        ({"moderation_state": "pending"}, {}, "programme_unlisted"),
    ],
)
def test_each_rule_refuses_a_student_with_its_reason(make, tour, student, code):
    programme = make.tour(**({"min_age": None} | tour))
    session = make.session(tour=programme)
    fields = dict(student)
    if "birth_year_offset" in fields:
        fields["birth_year"] = session.starts_at.year - fields.pop("birth_year_offset")
    with pytest.raises(BookingRefused) as refused:
        booking.book_student(make.user("student", **fields), session.id)
    assert refused.value.code == code and refused.value.message
    assert _fresh(session).seats_booked == 0
    assert db.session.scalar(select(func.count(Booking.id))) == 0


def test_a_student_of_the_right_age_may_be_a_year_either_way(make):
    programme = make.tour(min_age=14)
    session = make.session(tour=programme)
    born = session.starts_at.year - 14  # 13 or 14 on the day: not certainly too young
    assert booking.book_student(make.user("student", birth_year=born), session.id).created


@pytest.mark.parametrize(
    ("tour", "grade", "students", "adults", "code"),
    [
        ({"min_grade": 9}, 8, 10, 1, "grade_too_low"),
        ({"max_grade": 9}, 10, 10, 1, "grade_too_high"),
        ({"min_age": 16}, 7, 10, 1, "too_young"),
        ({"group_max": 15}, 8, 15, 2, "group_too_big"),
        ({"adults_per_students": 10}, 8, 21, 2, "too_few_adults"),
        ({"adults_per_students": 8}, 8, 8, 0, "too_few_adults"),
    ],
)
def test_each_rule_refuses_a_class_with_its_reason(make, tour, grade, students, adults, code):
    programme = make.tour(**({"min_age": None, "group_max": 40} | tour))
    session = make.session(tour=programme, capacity=40)
    school_class = make.school_class(grade=grade)
    with pytest.raises(BookingRefused) as refused:
        booking.book_class(school_class.counsellor, school_class, session.id, students, adults)
    assert refused.value.code == code and refused.value.message
    assert _fresh(session).seats_booked == 0


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"state": "cancelled"}, "session_cancelled"),
        ({"starts_at_hours": -1}, "session_past"),
        ({"closes_hours_before": 200}, "booking_closed"),
    ],
)
def test_a_session_that_is_not_open_refuses(make, change, code):
    programme = make.tour(min_age=None)
    start = local_now() + timedelta(hours=change.get("starts_at_hours", 100))
    closes = start - timedelta(hours=change.get("closes_hours_before", 0))
    session = make.session(
        tour=programme,
        starts_at=start,
        booking_closes_at=min(closes, start),
        state=change.get("state", "scheduled"),
    )
    with pytest.raises(BookingRefused) as refused:
        booking.book_student(make.user("student"), session.id, waitlist=True)
    assert refused.value.code == code


def test_a_student_cancels_online_only_before_the_cutoff(make):
    programme = make.tour(min_age=None, cancel_cutoff_hours=24)
    soon = make.session(tour=programme, starts_at=local_now() + timedelta(hours=20))
    later = make.session(tour=programme, starts_at=local_now() + timedelta(days=5))
    student = make.user("student")
    near = booking.book_student(student, soon.id).booking
    far = booking.book_student(student, later.id).booking
    with pytest.raises(BookingRefused) as refused:
        booking.cancel(near, student)
    assert refused.value.code == "cancel_too_late" and "24 ч" in refused.value.message
    assert booking.cancel(far, student).state == "cancelled"
    assert _fresh(later).seats_booked == 0 and _fresh(soon).seats_booked == 1


def test_a_cancelled_session_tells_everyone_booked(make, any_db_app):
    session = _session(make, capacity=3)
    school_class = make.school_class()
    employer = make.employer(session.tour.enterprise)
    students = _students(make, 2)
    for s in students:
        booking.book_student(s, session.id)
    booking.book_class(school_class.counsellor, school_class, session.id, 1, 1, waitlist=True)
    booking.cancel_session(session.id, "Плановый ремонт цеха", employer)
    assert db.session.scalar(select(func.count(Booking.id)).where(Booking.is_live)) == 0
    assert _fresh(session).seats_booked == 0 and _fresh(session).state == "cancelled"
    told = db.session.scalars(
        select(Notification).where(Notification.kind == "booking.session_cancelled")
    ).all()
    assert {n.user_id for n in told} == {*(s.id for s in students), school_class.counsellor_id}
    mails = [m for m in outbox(any_db_app) if m.subject == "Экскурсия отменена"]
    assert len(mails) == 3
    assert all("Плановый ремонт цеха" in m.body for m in mails)


def test_e_mails_go_out_in_the_recipients_language(make, any_db_app):
    session = _session(make)
    english = make.user("student", locale="en")
    russian = make.user("student")
    booking.book_student(english, session.id)
    booking.book_student(russian, session.id)
    by_address = {m.to: m for m in outbox(any_db_app)}
    assert by_address[english.email].subject == "Booking confirmed"
    assert by_address[russian.email].subject == "Запись на экскурсию подтверждена"
    assert "Hello" in by_address[english.email].body
    assert db.session.scalar(select(func.count()).where(Notification.email_pending)) == 0


def test_reminders_go_out_once_the_day_before(make, any_db_app, monkeypatch):
    from services import booking_notes

    monkeypatch.setattr(booking_notes, "REMINDER_FROM_HOUR", 0)
    tomorrow = local_now().replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(days=1)
    programme = make.tour(min_age=None)
    session = make.session(tour=programme, starts_at=tomorrow)
    student = make.user("student")
    booking.book_student(student, session.id)
    assert booking_notes.send_reminders() == 1
    assert booking_notes.send_reminders() == 0
    reminders = [m for m in outbox(any_db_app) if m.subject == "Завтра экскурсия"]
    assert len(reminders) == 1 and reminders[0].to == student.email
