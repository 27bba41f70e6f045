"""Bookings through the real app under concurrency: gunicorn with several workers, on SQLite and
on PostgreSQL, hundreds of attempts for one session at once. Whatever the interleaving, no
session holds more seats than it has, the seats it holds are exactly those of the bookings that
were told "confirmed" (or hold an offer), every refusal says why, and nothing answers 5xx."""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import create_engine, text

from bench.booking_world import BookingWorld
from tests.helpers import PASSWORD

pytestmark = pytest.mark.slow
WORKERS = 4


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'race.db'}"
    return request.getfixturevalue("pg_schema_url")


@pytest.fixture
def world_factory(database_url, tmp_path):
    made = []

    def build(**sizes):
        world = BookingWorld(database_url, tmp_path, password=PASSWORD, workers=WORKERS, **sizes)
        made.append(world)
        return world

    yield build
    for world in made:
        world.stop()


def _book_as_class(base, token, class_id, session_id, students, waitlist):
    with httpx.Client(base_url=base, timeout=60) as client:
        response = client.post(
            f"/api/v1/sessions/{session_id}/bookings",
            json={"class_id": class_id, "students": students, "adults": 1, "waitlist": waitlist},
            headers={"Authorization": f"Bearer {token}"},
        )
    return ("class", students + 1, response.status_code, response.json())


def _class_attempt(base, token, class_id, session_id, students, waitlist):
    """A class booking ready to send: its client is made now, so that releasing many at once
    tests the server, not the making of clients."""
    client = httpx.Client(base_url=base, timeout=60)

    def send():
        response = client.post(
            f"/api/v1/sessions/{session_id}/bookings",
            json={"class_id": class_id, "students": students, "adults": 1, "waitlist": waitlist},
            headers={"Authorization": f"Bearer {token}"},
        )
        client.close()
        return ("class", students + 1, response.status_code, response.json())

    return send


def _book_as_student(client, csrf, session_id, waitlist):
    data = {"csrf_token": csrf} | ({"waitlist": "y"} if waitlist else {})
    response = client.post(
        f"/sessions/{session_id}/book",
        data=data,
        headers={"HX-Request": "true", "HX-Target": f"book-{session_id}", "X-CSRFToken": csrf},
    )
    return ("student", 1, response.status_code, response.text)


def _run_all(calls):
    start = threading.Barrier(len(calls))

    def run(call):
        start.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def _check_answers(results) -> int:
    """Every answer is a success or a refusal with its reason; return the seats told confirmed."""
    confirmed = 0
    for kind, seats, status, body in results:
        assert status < 500, (kind, status, body)
        if kind == "class":
            if status == 201:
                assert body["state"] == "confirmed"
                confirmed += seats
            elif status == 202:  # a cancellation may have offered it seats already
                assert body["state"] in ("waitlisted", "offered")
            else:
                assert status == 409 and body["error"]["code"] == "no_seats", body
                assert body["error"]["message"] and "seats_left" in body["error"]
        elif status == 200:
            if "Вы записаны" in body:
                confirmed += seats
            else:
                assert "Вы в листе ожидания" in body, body
        else:
            assert status == 422 and "Свободных мест" in body, (status, body)
    return confirmed


def _check_invariants(counts: dict) -> None:
    assert counts["booked"] <= counts["capacity"]
    assert counts["booked"] == counts["held"]
    # First-fit: nothing left waiting would fit the seats that are free.
    free = counts["capacity"] - counts["booked"]
    assert all(size > free for size in counts["waiting_sizes"]), counts


def test_hundreds_of_attempts_at_once_never_overbook(world_factory):
    world = world_factory(capacity=40, classes=110, students=100)
    rng = random.Random(1)
    students = [world.student_client(email) for email in world.students]
    sizes = [(rng.randint(2, 8), rng.random() < 0.5) for _ in world.classes]
    waits = [rng.random() < 0.5 for _ in students]
    calls = [
        _class_attempt(world.base, token, class_id, world.session_id, n, w)
        for (token, class_id), (n, w) in zip(world.classes, sizes, strict=True)
    ] + [
        lambda c=client, t=csrf, w=w: _book_as_student(c, t, world.session_id, w)
        for (client, csrf), w in zip(students, waits, strict=True)
    ]
    rng.shuffle(calls)
    assert len(calls) >= 200
    results = _run_all(calls)
    confirmed = _check_answers(results)
    counts = world.counts()
    _check_invariants(counts)
    assert counts["booked"] == confirmed > 0
    assert counts["states"].get("waitlisted", 0) > 0
    for client, _ in students:
        client.close()


def test_cancellations_racing_bookings_keep_the_count(world_factory):
    world = world_factory(capacity=30, classes=60, students=0)
    first, later = world.classes[:10], world.classes[10:]
    booked = [
        _book_as_class(world.base, token, class_id, world.session_id, 2, False)[3]
        for token, class_id in first
    ]
    assert all(b["state"] == "confirmed" for b in booked)

    def cancel(token, booking_id):
        with httpx.Client(base_url=world.base, timeout=60) as client:
            response = client.delete(
                f"/api/v1/bookings/{booking_id}", headers={"Authorization": f"Bearer {token}"}
            )
        return ("cancel", 0, response.status_code, response.json())

    calls = [
        lambda t=token, b=body["id"]: cancel(t, b)
        for (token, _), body in zip(first[::2], booked[::2], strict=True)
    ] + [
        _class_attempt(world.base, token, class_id, world.session_id, 3, True)
        for token, class_id in later
    ]
    results = _run_all(calls)
    for kind, _, status, body in results:
        assert status < 500, body
        if kind == "cancel":
            assert status == 200 and body["state"] == "cancelled"
    _check_answers([r for r in results if r[0] == "class"])
    counts = world.counts()
    _check_invariants(counts)
    # Seats freed by the cancellations went to bookings that waited (offered), in one count.
    assert counts["states"].get("cancelled") == 5


def test_the_same_request_sent_ten_times_at_once_books_once(world_factory):
    world = world_factory(capacity=30, classes=1, students=1)
    token, class_id = world.classes[0]
    results = _run_all(
        [_class_attempt(world.base, token, class_id, world.session_id, 5, False) for _ in range(10)]
    )
    assert sorted({r[2] for r in results}) in ([200, 201], [201])
    assert len({r[3]["id"] for r in results}) == 1
    client, csrf = world.student_client(world.students[0])
    answers = _run_all([lambda: _book_as_student(client, csrf, world.session_id, False)] * 10)
    assert all(status == 200 and "Вы записаны" in body for _, _, status, body in answers)
    client.close()
    counts = world.counts()
    assert counts["states"] == {"confirmed": 2} and counts["booked"] == counts["held"] == 7


def test_the_database_refuses_more_seats_than_the_capacity(world_factory):
    """The check constraint stays as the last guard, whatever code might try."""
    world = world_factory(capacity=5, classes=0, students=0)
    engine = create_engine(world.url)
    with pytest.raises(Exception, match=r"seats_in_capacity|CHECK constraint"), engine.begin() as c:
        c.execute(
            text("UPDATE tour_sessions SET seats_booked = capacity + 1 WHERE id = :id"),
            {"id": world.session_id},
        )
    engine.dispose()
