"""The counsellor's planner under input nobody meant to send: absurd numbers, NaN and infinity,
dates from another millennium, choices that are not on the list, bidi and zero-width
characters — on SQLite and PostgreSQL. Each is a clear 4xx (or the page with the value
ignored), never a 500, and nothing is written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from extensions import db
from models import Booking, CareerActivity, ClassMembership, ProfminimumLevel
from models._common import local_now
from services import booking as booking_service
from tests.helpers import AuthActions, Factory

ABSURD_NUMBERS = [
    "abc",
    "-5",
    "0",
    "1e9",
    "99999999999999999999999",
    "1.5",
    "NaN",
    "inf",
    "",
    "12\u200b",
]


@pytest.fixture
def planner(any_db_app):
    make = Factory()
    counsellor = make.user("counsellor")
    school_class = make.school_class(counsellor, grade=8)
    students = [make.user("student") for _ in range(3)]
    for student in students:
        db.session.add(ClassMembership(school_class=school_class, student=student))
    db.session.commit()
    tour = make.tour(group_max=30, adults_per_students=10, min_age=None)
    session = make.session(tour=tour, capacity=30)
    booking = booking_service.book_class(
        counsellor, school_class, session.id, 3, 1, transport="walk"
    ).booking
    client = any_db_app.test_client()
    AuthActions(client).login(counsellor)
    return client, school_class, session, booking, students, make


def _rows(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("value", ABSURD_NUMBERS)
def test_an_absurd_group_size_shows_the_planner_for_the_whole_class(planner, value):
    client, school_class, *_ = planner
    response = client.get(
        f"/counsellor/classes/{school_class.id}/tours", query_string={"students": value}
    )
    assert response.status_code == 200
    assert 'name="students"' in response.get_data(as_text=True)


@pytest.mark.parametrize("value", ["abc", "-1", "0", "99999", "1e3", "2026x", "NaN"])
def test_an_absurd_school_year_shows_the_current_one(planner, value):
    client, school_class, _, _, students, _ = planner
    for path in (
        f"/counsellor/classes/{school_class.id}/hours",
        f"/counsellor/classes/{school_class.id}/hours/{students[0].id}",
    ):
        response = client.get(path, query_string={"year": value})
        assert response.status_code == 200, path
    for path in ("hours.csv", "hours.xlsx"):
        response = client.get(
            f"/counsellor/classes/{school_class.id}/{path}", query_string={"year": value}
        )
        assert response.status_code == 200


@pytest.mark.parametrize(
    "field,value",
    [("students", v) for v in ABSURD_NUMBERS]
    + [("adults", v) for v in ABSURD_NUMBERS]
    + [
        ("transport", "rocket"),
        ("transport", ""),
        ("escorts", "x" * 10_000),
        ("escorts", "\u202eАнна"),
    ],
)
def test_absurd_booking_input_is_refused_and_nothing_is_booked(planner, field, value):
    client, school_class, session, booking, *_ = planner
    booking_service.cancel(booking, school_class.counsellor)
    data = {"students": "5", "adults": "1", "transport": "walk", "escorts": ""}
    data[field] = value
    before = _rows(Booking)
    response = client.post(
        f"/counsellor/classes/{school_class.id}/sessions/{session.id}/book", data=data
    )
    assert response.status_code == 422, (field, value)
    assert _rows(Booking) == before
    assert session.seats_booked == 0


@pytest.mark.parametrize("value", ABSURD_NUMBERS)
def test_an_absurd_new_headcount_is_refused_and_the_trip_keeps_its_numbers(planner, value):
    client, _, _, booking, *_ = planner
    response = client.post(
        f"/counsellor/trips/{booking.id}/size", data={"students": value, "adults": "1"}
    )
    assert response.status_code == 422, value
    db.session.refresh(booking)
    assert (booking.students, booking.adults) == (3, 1)


@pytest.mark.parametrize(
    "field,value",
    [("hours", v) for v in ("NaN", "inf", "-inf", "1e400", "1,25", "0,4", "41", "abc", "", "sNaN")]
    + [("held_on", v) for v in ("0001-01-01", "9999-12-31", "2026-13-45", "вчера", "")]
    + [("direction", "nonsense"), ("direction", "")]
    + [("title", ""), ("title", "x" * 201), ("title", "\u200b\u200b"), ("title", "\u202eурок")]
    + [("students", "abc"), ("students", "999999"), ("students", "-1")],
)
def test_an_absurd_activity_is_refused_with_nothing_written(planner, field, value):
    client, school_class, _, _, students, _ = planner
    data = {
        "title": "Урок «Россия — мои горизонты»",
        "direction": "horizons",
        "held_on": local_now().date().isoformat(),
        "hours": "1",
        "students": [str(s.id) for s in students],
    }
    data[field] = value
    before = _rows(CareerActivity)
    response = client.post(f"/counsellor/classes/{school_class.id}/hours", data=data)
    assert response.status_code == 422, (field, value)
    assert _rows(CareerActivity) == before
    assert "Internal" not in response.get_data(as_text=True)


def test_an_activity_dated_in_the_future_is_refused(planner):
    client, school_class, _, _, students, _ = planner
    tomorrow = (local_now() + timedelta(days=2)).date().isoformat()
    response = client.post(
        f"/counsellor/classes/{school_class.id}/hours",
        data={
            "title": "Профпроба",
            "direction": "trials",
            "held_on": tomorrow,
            "hours": "2",
            "students": [str(s.id) for s in students],
        },
    )
    assert response.status_code == 422
    assert _rows(CareerActivity) == 0


@pytest.mark.parametrize("level", ["", "ultra", "basic\u0301"])
def test_an_unknown_level_is_refused(planner, level):
    client, school_class, *_ = planner
    response = client.post(
        f"/counsellor/classes/{school_class.id}/hours/level", data={"level": level}
    )
    assert response.status_code == 422
    assert _rows(ProfminimumLevel) == 0


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "9999-99-99"},
        {"date_from": "2026-02-30", "date_to": "0000-00-00"},
        {"seats": "1e9"},
        {"seats": "NaN"},
        {"grade": "-1"},
        {"age": "999999999999999999999"},
        {"profession": "'; DROP TABLE tours; --"},
        {"town": "x" * 5000},
        {"district": "\u202eКиржач"},
        {"price": "maybe"},
        {"page": "NaN"},
    ],
)
def test_absurd_tour_filters_show_the_catalogue(planner, query):
    client, *_ = planner
    response = client.get("/tours", query_string=query)
    assert response.status_code == 200
    fragment = client.get("/tours", query_string=query, headers={"HX-Request": "true"})
    assert fragment.status_code == 200


@pytest.mark.parametrize("value", ["999999", "abc"])
def test_a_student_not_on_the_list_is_named_in_russian(planner, value):
    client, school_class, *_ = planner
    response = client.post(
        f"/counsellor/classes/{school_class.id}/hours",
        data={
            "title": "Профпроба",
            "direction": "trials",
            "held_on": local_now().date().isoformat(),
            "hours": "2",
            "students": value,
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Отмечены ученики не из этого класса." in page
    assert "valid choice" not in page and "coerced" not in page


def test_invisible_characters_in_escorts_are_refused_next_to_the_field(planner):
    client, school_class, session, booking, *_ = planner
    booking_service.cancel(booking, school_class.counsellor)
    response = client.post(
        f"/counsellor/classes/{school_class.id}/sessions/{session.id}/book",
        data={
            "students": "3",
            "adults": "1",
            "transport": "walk",
            "escorts": "Анна\u200b Ивановна",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    marker = page[page.index('id="escorts-error"') :]
    assert "невидимые и управляющие символы" in marker[: marker.index("</small>")]
