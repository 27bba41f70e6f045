"""An enterprise puts sessions on the calendar — one, or a series that skips Russia's public
holidays — then changes capacity (the waiting list first), closes or reopens booking, or
cancels a session, and every booker is told. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from extensions import db
from models import Booking, Notification, TourSession
from models._common import local_now
from services import booking as booking_service
from services.session_planning import holiday_name, series_starts
from tests.helpers import AuthActions, Factory


@pytest.fixture
def make(any_db_app):
    return Factory()


@pytest.fixture
def plant(any_db_app, make):
    enterprise = make.enterprise()
    employer = make.employer(enterprise)
    tour = make.tour(enterprise=enterprise, min_age=None, group_max=30, booking_cutoff_hours=24)
    client = any_db_app.test_client()
    AuthActions(client).login(employer)
    return client, tour


def _next(weekday: int, after: date | None = None) -> date:
    day = (after or local_now().date()) + timedelta(days=1)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


def _sessions(tour) -> list[TourSession]:
    return list(
        db.session.scalars(
            select(TourSession)
            .where(TourSession.tour_id == tour.id)
            .order_by(TourSession.starts_at)
        )
    )


def test_a_series_skips_public_holidays_and_transferred_days_off():
    # 2027: 22 Feb is a transferred day off, 23 Feb Defender of the Fatherland Day; 8 Mar.
    plan = series_starts(date(2027, 2, 15), {0, 1}, time(10), 4, existing=set())
    days = [s.date() for s in plan.starts]
    assert date(2027, 2, 22) not in days and date(2027, 2, 23) not in days
    assert [d for d, _ in plan.holidays] == [date(2027, 2, 22), date(2027, 2, 23), date(2027, 3, 8)]
    assert days == [
        date(2027, 2, 15),
        date(2027, 2, 16),
        date(2027, 3, 1),
        date(2027, 3, 2),
        date(2027, 3, 9),
    ]
    assert holiday_name(date(2027, 11, 4)) and holiday_name(date(2027, 11, 3)) is None


def test_every_tuesday_and_thursday_at_ten_for_eight_weeks(any_db_app, plant):
    client, tour = plant
    first = _next(0)  # a Monday: the series starts on the Tuesday after it
    answer = client.post(
        "/employer/sessions/new",
        data={
            "tour": tour.id,
            "mode": "series",
            "starts_on": first.isoformat(),
            "at": "10:00",
            "weekdays": ["1", "3"],
            "weeks": "8",
            "capacity": "25",
        },
    )
    assert answer.status_code == 303
    sessions = _sessions(tour)
    expected = series_starts(first, {1, 3}, time(10), 8, set())
    assert [s.starts_at for s in sessions] == expected.starts
    assert 12 <= len(sessions) <= 16  # 16, less any holidays in those weeks
    assert all(s.starts_at.weekday() in (1, 3) and s.starts_at.hour == 10 for s in sessions)
    assert all(s.capacity == 25 for s in sessions)
    # Booking closes the programme's 24 hours before each start.
    assert all(s.starts_at - s.booking_closes_at == timedelta(hours=24) for s in sessions)
    page = client.get("/employer/sessions").get_data(as_text=True)
    assert "0 / 25" in page
    # The same series again adds nothing and says so.
    again = client.post(
        "/employer/sessions/new",
        data={
            "tour": tour.id,
            "mode": "series",
            "starts_on": first.isoformat(),
            "at": "10:00",
            "weekdays": ["1", "3"],
            "weeks": "8",
            "capacity": "25",
        },
    )
    assert again.status_code == 422 and "уже заняты" in again.get_data(as_text=True)
    assert len(_sessions(tour)) == len(sessions)


def _one(client, programme, **changes):
    data = {
        "tour": programme.id,
        "mode": "one",
        "starts_on": (local_now().date() + timedelta(days=10)).isoformat(),
        "at": "11:30",
        "capacity": "20",
    } | changes
    return client.post("/employer/sessions/new", data=data)


def test_one_session(any_db_app, plant):
    client, tour = plant
    answer = _one(client, tour)
    assert answer.status_code == 303
    (session,) = _sessions(tour)
    assert session.starts_at.time() == time(11, 30) and session.capacity == 20


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"starts_on": "2020-01-01"}, "в будущем"),
        ({"starts_on": "2999-01-01"}, "на год вперёд"),
        ({"starts_on": "not-a-date"}, "Неверное значение даты"),
        ({"at": "25:61"}, "Неверное значение времени"),
        ({"capacity": "0"}, "от 1 до 500"),
        ({"capacity": "-5"}, "от 1 до 500"),
        ({"capacity": "1e9"}, "Неверное целое число"),
        ({"tour": "abc"}, "Выберите из списка"),
        ({"mode": "series", "weekdays": []}, "хотя бы один день"),
        ({"mode": "series", "weekdays": ["9"]}, "Выберите из списка"),
        ({"mode": "series", "weekdays": ["1"], "weeks": "100"}, "от 1 до 26"),
    ],
)
def test_bad_input_is_refused_in_russian_and_nothing_is_written(
    any_db_app, plant, changes, message
):
    client, tour = plant
    answer = _one(client, tour, **changes)
    assert answer.status_code == 422
    assert message in answer.get_data(as_text=True)
    assert db.session.scalar(select(func.count(TourSession.id))) == 0


def test_a_holiday_is_refused_for_one_session(any_db_app, plant):
    client, tour = plant
    today = local_now().date()
    unity_day = date(today.year if (today.month, today.day) < (11, 4) else today.year + 1, 11, 4)
    answer = _one(client, tour, starts_on=unity_day.isoformat())
    assert answer.status_code == 422 and "праздничный" in answer.get_data(as_text=True)


def test_another_enterprise_cannot_put_sessions_on_this_ones_tour(any_db_app, plant, make):
    _client, tour = plant
    stranger = any_db_app.test_client()
    AuthActions(stranger).login(make.employer(make.enterprise()))
    assert _one(stranger, tour).status_code == 422  # not one of its tours: not a choice
    assert db.session.scalar(select(func.count(TourSession.id))) == 0


@pytest.fixture
def booked(any_db_app, plant, make):
    """A session of 10 seats: a class of 8 (+1 adult) and a class of 5 waiting."""
    client, tour = plant
    session = make.session(tour=tour, capacity=10, starts_at=local_now() + timedelta(days=5))
    counsellor = make.user("counsellor")
    first = booking_service.book_class(counsellor, make.school_class(counsellor), session.id, 8, 1)
    other = make.user("counsellor")
    waiting = booking_service.book_class(
        other, make.school_class(other), session.id, 5, 1, waitlist=True
    )
    assert waiting.booking.state == "waitlisted"
    return client, session, first.booking, waiting.booking


def test_capacity_never_below_seats_held_and_more_seats_go_to_the_waiting_list(any_db_app, booked):
    client, session, _first, waiting = booked
    low = client.post(f"/employer/sessions/{session.id}/capacity", data={"capacity": "5"})
    assert low.status_code == 422 and "Меньше занятых мест (9)" in low.get_data(as_text=True)
    assert (
        client.post(
            f"/employer/sessions/{session.id}/capacity", data={"capacity": "15"}
        ).status_code
        == 303
    )
    db.session.expire_all()
    assert db.session.get(Booking, waiting.id).state == "offered"
    assert db.session.get(TourSession, session.id).seats_left == 0


def test_closing_booking_keeps_bookings_and_ends_the_waiting_list(any_db_app, booked):
    client, session, first, waiting = booked
    assert client.post(f"/employer/sessions/{session.id}/close").status_code == 303
    db.session.expire_all()
    fresh = db.session.get(TourSession, session.id)
    assert not fresh.takes_bookings
    assert db.session.get(Booking, first.id).state == "confirmed"
    assert db.session.get(Booking, waiting.id).state == "cancelled"
    assert client.post(f"/employer/sessions/{session.id}/reopen").status_code == 303
    db.session.expire_all()
    assert db.session.get(TourSession, session.id).takes_bookings


def test_cancelling_a_session_ends_every_booking_and_tells_each_booker(any_db_app, booked):
    client, session, first, waiting = booked
    empty = client.post(f"/employer/sessions/{session.id}/cancel", data={"reason": ""})
    assert empty.status_code == 422 and "Напишите причину" in empty.get_data(as_text=True)
    answer = client.post(
        f"/employer/sessions/{session.id}/cancel", data={"reason": "Плановый ремонт цеха"}
    )
    assert answer.status_code == 303
    db.session.expire_all()
    assert db.session.get(TourSession, session.id).state == "cancelled"
    for booking in (first, waiting):
        fresh = db.session.get(Booking, booking.id)
        assert fresh.state == "cancelled" and fresh.cancel_reason == "session_cancelled"
        note = db.session.scalars(
            select(Notification).where(
                Notification.user_id == fresh.booked_by_id,
                Notification.kind == "booking.session_cancelled",
            )
        ).one()
        assert note.params["reason"] == "Плановый ремонт цеха"
    page = client.get(f"/employer/sessions/{session.id}").get_data(as_text=True)
    assert "Сеанс отменён. Причина: Плановый ремонт цеха" in page


def test_another_enterprise_cannot_change_this_ones_session(any_db_app, booked, make):
    _client, session, _first, _waiting = booked
    stranger = any_db_app.test_client()
    AuthActions(stranger).login(make.employer(make.enterprise()))
    for path, data in (
        ("capacity", {"capacity": "30"}),
        ("close", {}),
        ("cancel", {"reason": "Чужая отмена"}),
    ):
        assert (
            stranger.post(f"/employer/sessions/{session.id}/{path}", data=data).status_code == 404
        )
    db.session.expire_all()
    fresh = db.session.get(TourSession, session.id)
    assert (fresh.capacity, fresh.state, fresh.takes_bookings) == (10, "scheduled", True)


def test_new_sessions_page_answers_plain_and_htmx(any_db_app, plant):
    client, _tour = plant
    for headers in ({}, {"HX-Request": "true"}):
        assert client.get("/employer/sessions/new", headers=headers).status_code == 200


def test_series_start_times_are_local_and_in_order():
    plan = series_starts(date(2027, 3, 1), {0, 2, 4}, time(9, 15), 2, {datetime(2027, 3, 3, 9, 15)})
    assert plan.taken == [datetime(2027, 3, 3, 9, 15)]
    assert plan.starts == sorted(plan.starts) and len(plan.starts) == 4  # 8 Mar is a holiday
