"""The bookings API for school systems, exactly as DESIGN.md specifies it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from extensions import db
from models import Booking, TourSession
from services.accounts import create_api_token
from tests.helpers import Factory


@pytest.fixture
def world(any_db_app):
    make = Factory()
    counsellor = make.user("counsellor")
    school_class = make.school_class(counsellor=counsellor, grade=9)
    programme = make.tour(min_age=None, group_max=20, adults_per_students=15)
    session = make.session(tour=programme, capacity=12)
    other = make.user("counsellor")
    other_class = make.school_class(counsellor=other, grade=9)
    return {
        "client": any_db_app.test_client(),
        "auth": {"Authorization": f"Bearer {create_api_token(counsellor)}"},
        "other_auth": {"Authorization": f"Bearer {create_api_token(other)}"},
        "class": school_class,
        "other_class": other_class,
        "session": session,
        "make": make,
    }


def _book(w, students=8, adults=1, **extra):
    body = {"class_id": w["class"].id, "students": students, "adults": adults} | extra
    return w["client"].post(
        f"/api/v1/sessions/{w['session'].id}/bookings", json=body, headers=w["auth"]
    )


def _seats(session_id: int) -> int:
    db.session.expire_all()
    return db.session.get(TourSession, session_id).seats_booked


def test_session_list_and_detail_show_the_seats(world):
    client, session = world["client"], world["session"]
    listing = client.get(f"/api/v1/sessions?tour={session.tour_id}").json
    assert set(listing) == {"items", "total", "limit", "offset"} and listing["total"] == 1
    item = listing["items"][0]
    assert {"id", "tour_id", "starts_at", "capacity", "booked", "seats_left"} <= set(item)
    assert (item["capacity"], item["booked"], item["seats_left"], item["waitlisted"]) == (
        12,
        0,
        12,
        0,
    )
    _book(world)
    detail = client.get(f"/api/v1/sessions/{session.id}").json
    assert (detail["booked"], detail["seats_left"]) == (9, 3)
    assert client.get("/api/v1/sessions/999999").status_code == 404


@pytest.mark.parametrize(
    "query", ["from=yesterday", "to=2026-13-01", "tour=abc", "tour=-1", "limit=1000"]
)
def test_bad_session_filters_are_a_422(world, query):
    response = world["client"].get(f"/api/v1/sessions?{query}")
    assert response.status_code == 422 and response.json["error"]["code"]


def test_sessions_between_dates(world):
    session = world["session"]
    day = session.starts_at.date().isoformat()
    client = world["client"]
    assert client.get(f"/api/v1/sessions?from={day}&to={day}").json["total"] == 1
    assert client.get(f"/api/v1/sessions?to={day}&from={day}T23:59").json["total"] == 0


def test_booking_is_created_shown_resized_and_cancelled(world):
    created = _book(world)
    assert created.status_code == 201
    body = created.json
    assert set(body) == {
        "id",
        "session_id",
        "class_id",
        "students",
        "adults",
        "state",
        "offer_expires_at",
    }
    assert (body["state"], body["students"], body["adults"]) == ("confirmed", 8, 1)
    url = f"/api/v1/bookings/{body['id']}"
    assert created.headers["Location"].endswith(url)
    client, auth = world["client"], world["auth"]
    assert client.get(url, headers=auth).json == body
    smaller = client.patch(url, json={"students": 5}, headers=auth)
    assert smaller.status_code == 200 and smaller.json["students"] == 5
    assert _seats(world["session"].id) == 6
    too_many = client.patch(url, json={"students": 12}, headers=auth)
    assert too_many.status_code == 409 and too_many.json["error"]["seats_left"] == 6
    gone = client.delete(url, headers=auth)
    assert gone.status_code == 200 and gone.json["state"] == "cancelled"
    assert _seats(world["session"].id) == 0
    assert client.delete(url, headers=auth).json["state"] == "cancelled"  # twice is harmless


def test_the_same_booking_twice_answers_200_with_the_first(world):
    first = _book(world)
    second = _book(world, students=3)
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json == first.json
    assert db.session.scalar(select(func.count(Booking.id))) == 1


def test_no_seats_is_a_409_with_seats_left_or_a_202_on_the_waiting_list(world):
    make = world["make"]
    holder = make.school_class(counsellor=world["class"].counsellor, grade=9)
    world["client"].post(
        f"/api/v1/sessions/{world['session'].id}/bookings",
        json={"class_id": holder.id, "students": 9, "adults": 1},
        headers=world["auth"],
    )
    refused = _book(world)
    assert refused.status_code == 409
    assert refused.json["error"] == {
        "code": "no_seats",
        "message": "Свободных мест: 2, а нужно 9.",
        "seats_left": 2,
    }
    waiting = _book(world, waitlist=True)
    assert waiting.status_code == 202 and waiting.json["state"] == "waitlisted"
    assert _seats(world["session"].id) == 10
    detail = world["client"].get(f"/api/v1/sessions/{world['session'].id}").json
    assert detail["waitlisted"] == 1


def test_an_offer_is_accepted(world):
    make = world["make"]
    holder = make.school_class(counsellor=world["class"].counsellor, grade=9)
    held = (
        world["client"]
        .post(
            f"/api/v1/sessions/{world['session'].id}/bookings",
            json={"class_id": holder.id, "students": 9, "adults": 1},
            headers=world["auth"],
        )
        .json
    )
    waiting = _book(world, waitlist=True).json
    url = f"/api/v1/bookings/{waiting['id']}"
    assert world["client"].post(f"{url}/accept", headers=world["auth"]).status_code == 409
    world["client"].delete(f"/api/v1/bookings/{held['id']}", headers=world["auth"])
    offered = world["client"].get(url, headers=world["auth"]).json
    assert offered["state"] == "offered" and offered["offer_expires_at"]
    accepted = world["client"].post(f"{url}/accept", headers=world["auth"])
    assert accepted.status_code == 200
    assert (accepted.json["state"], accepted.json["offer_expires_at"]) == ("confirmed", None)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"class_id": None, "students": 5}, "class_id"),
        ({"class_id": "1", "students": 5}, "class_id"),
        ({"students": 0}, "students"),
        ({"students": True}, "students"),
        ({"students": 5, "adults": -1}, "adults"),
        ({"students": 5, "adults": 1.5}, "adults"),
        ({"students": 5, "waitlist": "yes"}, "waitlist"),
        ({"students": 10**30}, "students"),
    ],
)
def test_bad_fields_are_a_422_naming_them(world, body, field):
    payload = {"class_id": world["class"].id} | body
    response = world["client"].post(
        f"/api/v1/sessions/{world['session'].id}/bookings", json=payload, headers=world["auth"]
    )
    assert response.status_code == 422 and field in response.json["error"]["fields"]
    assert _seats(world["session"].id) == 0


def test_a_rule_refusal_is_a_422_with_the_reason(world):
    refused = _book(world, students=18, adults=1)
    assert refused.status_code == 422
    assert refused.json["error"]["code"] == "too_few_adults"
    assert "не меньше 2" in refused.json["error"]["message"]


def test_tokens_and_ownership(world):
    client, session = world["client"], world["session"]
    url = f"/api/v1/sessions/{session.id}/bookings"
    body = {"class_id": world["class"].id, "students": 5, "adults": 1}
    assert client.post(url, json=body).status_code == 401
    assert client.post(url, json=body, headers={"Authorization": "Bearer nope"}).status_code == 401
    student_token = create_api_token(world["make"].user("student"))
    as_student = client.post(url, json=body, headers={"Authorization": f"Bearer {student_token}"})
    assert as_student.status_code == 403
    # Another counsellor can neither book for this class nor see, change or cancel its booking.
    assert client.post(url, json=body, headers=world["other_auth"]).status_code == 404
    booked = _book(world).json
    for method in ("get", "patch", "delete"):
        response = getattr(client, method)(
            f"/api/v1/bookings/{booked['id']}", json={"students": 1}, headers=world["other_auth"]
        )
        assert response.status_code == 404
    assert (
        client.post(
            f"/api/v1/bookings/{booked['id']}/accept", headers=world["other_auth"]
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/bookings/{booked['id']}", headers=world["auth"]).json == booked
    assert _seats(session.id) == 9


def test_the_openapi_document_describes_every_api_route(any_db_app):
    doc = any_db_app.test_client().get("/api/v1/openapi.json").json
    routes = {
        (
            rule.rule.removeprefix("/api/v1")
            .replace("<id:", "{")
            .replace("<", "{")
            .replace(">", "}"),
            method.lower(),
        )
        for rule in any_db_app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    routes = {
        (path.replace("{session_id}", "{id}").replace("{booking_id}", "{id}"), m)
        for path, m in routes
    }
    documented = {(path, method) for path, ops in doc["paths"].items() for method in ops}
    assert routes - {("/openapi.json", "get")} == documented
