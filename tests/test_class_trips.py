"""A counsellor books a session for a class from the web: each refusal next to its field, the
bus escort warning before confirming, then the trip's numbers, waiting place, offer and
cancellation — on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from extensions import db
from models import Booking, ClassMembership
from services import booking as booking_service
from tests.helpers import AuthActions, Factory


@pytest.fixture
def make(any_db_app):
    return Factory()


@pytest.fixture
def client(any_db_app):
    return any_db_app.test_client()


@pytest.fixture
def planner(make, client):
    """A signed-in counsellor with a class of 8th-graders and a session with 30 seats."""
    counsellor = make.user("counsellor")
    school_class = make.school_class(counsellor, grade=8)
    for _ in range(3):
        db.session.add(ClassMembership(school_class=school_class, student=make.user("student")))
    db.session.commit()
    tour = make.tour(group_max=30, adults_per_students=10, min_age=None)
    session = make.session(tour=tour, capacity=30)
    AuthActions(client).login(counsellor)
    return counsellor, school_class, session


def _form(planner):
    _, school_class, session = planner
    return f"/counsellor/classes/{school_class.id}/sessions/{session.id}/book"


def _errors(page: str, field: str) -> str:
    """The error text shown under a field (empty when none)."""
    marker = f'id="{field}-error"'
    if marker not in page:
        return ""
    rest = page[page.index(marker) :]
    return rest[rest.index(">") + 1 : rest.index("</small>")]


def _live(school_class):
    return db.session.scalars(
        select(Booking).where(Booking.class_id == school_class.id, Booking.state != "cancelled")
    ).all()


def test_the_form_starts_with_the_joined_students_and_the_adults_the_rule_asks(planner, client):
    page = client.get(_form(planner)).get_data(as_text=True)
    assert 'name="students"' in page and 'value="3"' in page  # three joined
    assert "Для 3 учеников нужно не меньше 1." in page


def test_too_few_adults_is_said_next_to_the_adults_field(planner, client):
    response = client.post(_form(planner), data={"students": 25, "adults": 1, "transport": "walk"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "не меньше 3" in _errors(page, "adults") and not _errors(page, "students")
    assert _live(planner[1]) == []


def test_a_group_too_big_is_said_next_to_the_students_field(planner, client):
    page = client.post(
        _form(planner), data={"students": 29, "adults": 3, "transport": "walk"}
    ).get_data(as_text=True)
    assert "не больше 30 человек" in _errors(page, "students")


def test_no_seats_offers_the_waiting_list_and_the_waiting_list_takes_it(make, planner, client):
    session = planner[2]
    other = make.school_class(grade=8)
    booking_service.book_class(other.counsellor, other, session.id, 25, 3)
    page = client.post(
        _form(planner), data={"students": 5, "adults": 1, "transport": "walk"}
    ).get_data(as_text=True)
    assert "Свободных мест: 2" in _errors(page, "students") and "лист ожидания" in page
    response = client.post(
        _form(planner), data={"students": 5, "adults": 1, "transport": "walk", "waitlist": "y"}
    )
    assert response.status_code == 303
    trip = client.get(response.location).get_data(as_text=True)
    assert "В листе ожидания" in trip and "место в очереди: 1" in trip


def test_a_grade_refusal_is_shown_for_the_whole_form(make, planner, client):
    session = planner[2]
    session.tour.min_grade = 10
    db.session.commit()
    page = client.post(
        _form(planner), data={"students": 5, "adults": 1, "transport": "walk"}
    ).get_data(as_text=True)
    assert 'class="form-error"' in page and "начиная с 10 класса" in page


def test_more_than_twenty_children_by_bus_warn_before_booking(planner, client):
    _, school_class, _ = planner
    data = {"students": 22, "adults": 3, "transport": "bus"}
    page = client.post(_form(planner), data=data).get_data(as_text=True)
    assert "№ 1527" in page and "у каждой" in page and "двери" in page
    assert _errors(page, "bus_ack") and _live(school_class) == []
    response = client.post(_form(planner), data=data | {"bus_ack": "y"})
    assert response.status_code == 303
    [trip] = _live(school_class)
    assert (trip.students, trip.adults, trip.transport, trip.state) == (22, 3, "bus", "confirmed")


def test_twenty_children_by_bus_or_many_on_foot_need_no_warning(planner, client):
    page = client.post(_form(planner), data={"students": 25, "adults": 3, "transport": "walk"})
    assert page.status_code == 303
    assert "№ 1527" not in client.get(page.location).get_data(as_text=True)


def test_the_bus_warning_comes_with_the_group_rules_not_instead_of_them(planner, client):
    page = client.post(
        _form(planner), data={"students": 29, "adults": 1, "transport": "bus"}
    ).get_data(as_text=True)
    assert "№ 1527" in page and "не меньше 3" in _errors(page, "adults")


def test_booking_twice_leads_to_the_same_trip(planner, client):
    _, school_class, _ = planner
    data = {"students": 5, "adults": 1, "transport": "walk", "escorts": "Иванова А. П."}
    first = client.post(_form(planner), data=data)
    second = client.post(_form(planner), data=data)
    assert first.location == second.location and len(_live(school_class)) == 1
    assert _live(school_class)[0].escorts == ["Иванова А. П."]


def test_transport_is_required_and_escorts_are_bounded(planner, client):
    page = client.post(_form(planner), data={"students": 5, "adults": 1}).get_data(as_text=True)
    assert "Выберите, как класс поедет" in page
    many = "\n".join(f"Взрослый {n}" for n in range(11))
    page = client.post(
        _form(planner), data={"students": 5, "adults": 1, "transport": "walk", "escorts": many}
    ).get_data(as_text=True)
    assert "Не больше 10 сопровождающих" in page
    assert _live(planner[1]) == []


def _trip(planner, client, students=5, adults=1):
    client.post(_form(planner), data={"students": students, "adults": adults, "transport": "walk"})
    return _live(planner[1])[0]


def test_the_headcount_changes_through_the_core(planner, client):
    trip = _trip(planner, client)
    response = client.post(f"/counsellor/trips/{trip.id}/size", data={"students": 9, "adults": 1})
    assert response.status_code == 303
    db.session.expire_all()
    assert (trip.students, trip.adults, trip.session.seats_booked) == (9, 1, 10)
    page = client.post(
        f"/counsellor/trips/{trip.id}/size", data={"students": 25, "adults": 1}
    ).get_data(as_text=True)
    assert "не меньше 3" in _errors(page, "adults")
    db.session.expire_all()
    assert trip.seats == 10


def test_cancelling_frees_the_seats_and_offers_them_to_the_waiting_class(make, planner, client):
    session = planner[2]
    trip = _trip(planner, client, students=25, adults=3)
    waiting = make.school_class(grade=8)
    booking_service.book_class(waiting.counsellor, waiting, session.id, 5, 1, waitlist=True)
    assert client.post(f"/counsellor/trips/{trip.id}/cancel").status_code == 303
    db.session.expire_all()
    assert trip.state == "cancelled"
    [offered] = _live(waiting)
    assert offered.state == "offered"
    # The waiting class's counsellor sees the offer and takes it.
    AuthActions(client).logout()
    AuthActions(client).login(waiting.counsellor)
    page = client.get(f"/counsellor/trips/{offered.id}").get_data(as_text=True)
    assert "Предложены места" in page and "Подтвердить запись" in page
    assert client.post(f"/counsellor/trips/{offered.id}/accept").status_code == 303
    db.session.expire_all()
    assert offered.state == "confirmed"


def test_another_counsellors_trip_is_not_found(make, planner, client):
    trip = _trip(planner, client)
    AuthActions(client).logout()
    AuthActions(client).login(make.user("counsellor"))
    for path in ("", "/sheet", "/order.docx"):
        assert client.get(f"/counsellor/trips/{trip.id}{path}").status_code == 404
    assert client.post(f"/counsellor/trips/{trip.id}/cancel").status_code == 404
