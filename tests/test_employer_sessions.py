"""An enterprise's staff see their sessions, who booked (a class by name, school, headcount and
counsellor; a student by display name only) and who waits, download the list, and after the
visit mark who came — which enters the visit in the school's «Профминимум» record. SQLite and
PostgreSQL."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from extensions import db
from models import CareerActivity, ClassMembership, TourSession
from models._common import local_now
from services import booking as booking_service
from tests.helpers import AuthActions, Factory


@pytest.fixture
def make(any_db_app):
    return Factory()


@pytest.fixture
def plant(any_db_app, make):
    """An enterprise with a tour, its staff member signed in, a class of three and a student."""
    enterprise = make.enterprise(name="Завод «Пример»")
    employer = make.employer(enterprise)
    tour = make.tour(enterprise=enterprise, min_age=None, group_max=30, adults_per_students=10)
    session = make.session(tour=tour, capacity=12)
    counsellor = make.user("counsellor", display_name="Ольга Петровна", email="olga@school.example")
    school_class = make.school_class(counsellor, name="8 Б")
    for _ in range(3):
        db.session.add(ClassMembership(school_class=school_class, student=make.user("student")))
    db.session.commit()
    trip = booking_service.book_class(counsellor, school_class, session.id, 3, 1).booking
    student = make.user("student", display_name="Кот_Матроскин", email="kot@example.com")
    visit = booking_service.book_student(student, session.id).booking
    client = any_db_app.test_client()
    AuthActions(client).login(employer)
    return client, session, trip, visit, school_class


def _start(session: TourSession) -> None:
    """Move the session into the past, as if the visit had happened."""
    fresh = db.session.get(TourSession, session.id)
    fresh.starts_at = local_now() - timedelta(hours=2)
    fresh.booking_closes_at = fresh.starts_at
    db.session.commit()


def test_the_session_page_shows_classes_in_full_and_students_by_name_only(plant):
    client, session, *_ = plant
    page = client.get(f"/employer/sessions/{session.id}").get_data(as_text=True)
    assert "8 Б" in page and "Ольга Петровна, olga@school.example" in page
    assert "Кот_Матроскин" in page
    assert "kot@example.com" not in page  # a student's contact is not the enterprise's
    listing = client.get("/employer/sessions").get_data(as_text=True)
    assert session.tour.title in listing and "5 / 12" in listing


def test_the_waiting_list_shows_in_order(plant, make):
    client, session, *_ = plant
    counsellor = make.user("counsellor")
    other = make.school_class(counsellor, name="9 А")
    outcome = booking_service.book_class(counsellor, other, session.id, 10, 1, waitlist=True)
    assert outcome.booking.state == "waitlisted"
    page = client.get(f"/employer/sessions/{session.id}").get_data(as_text=True)
    waiting = page[page.index('id="waiting-h"') :]
    assert "9 А" in waiting and "10 уч. + 1 взр." in waiting


def test_the_list_downloads_as_csv(plant):
    client, session, *_ = plant
    response = client.get(f"/employer/sessions/{session.id}/bookings.csv")
    assert response.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Кто", "Школа", "Педагог", "Учеников", "Взрослых", "Состояние"]
    assert [rows[1][0], rows[1][3], rows[1][4], rows[1][5]] == ["8 Б", "3", "1", "Записаны"]
    assert rows[2][0] == "Кот_Матроскин" and "kot@example.com" not in response.data.decode()


def test_attendance_waits_for_the_visit_then_enters_the_hours(plant):
    client, session, trip, visit, school_class = plant
    page = client.get(f"/employer/sessions/{session.id}").get_data(as_text=True)
    assert "Пришли?" not in page  # no buttons before the visit
    early = client.post(f"/employer/bookings/{trip.id}/attendance", data={"came": "yes"})
    assert early.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(CareerActivity)) == 0

    _start(session)
    page = client.get(f"/employer/sessions/{session.id}").get_data(as_text=True)
    assert "Пришли?" in page
    client.post(f"/employer/bookings/{trip.id}/attendance", data={"came": "yes"})
    client.post(f"/employer/bookings/{visit.id}/attendance", data={"came": "no"})
    db.session.expire_all()
    entries = db.session.scalars(select(CareerActivity)).all()
    members = {m.student_id for m in school_class.members}
    assert {e.student_id for e in entries} == members  # the class's three, not the no-show
    assert all(e.direction == "excursions" and e.booking_id == trip.id for e in entries)
    # A correction takes the hours back.
    client.post(f"/employer/bookings/{trip.id}/attendance", data={"came": "no"})
    assert db.session.scalar(select(func.count()).select_from(CareerActivity)) == 0


@pytest.mark.parametrize("came", ["", "maybe", "yes\u202e"])
def test_an_absurd_answer_is_refused(plant, came):
    client, session, trip, *_ = plant
    _start(session)
    assert (
        client.post(f"/employer/bookings/{trip.id}/attendance", data={"came": came}).status_code
        == 400
    )


def test_staff_awaiting_approval_and_other_enterprises_see_nothing(any_db_app, plant, make):
    _, session, trip, *_ = plant
    for employer in (make.employer(session.tour.enterprise, state="pending"), make.employer()):
        client = any_db_app.test_client()
        AuthActions(client).login(employer)
        assert client.get(f"/employer/sessions/{session.id}").status_code == 404
        assert session.tour.title not in client.get("/employer/sessions").get_data(as_text=True)
        assert (
            client.post(
                f"/employer/bookings/{trip.id}/attendance", data={"came": "yes"}
            ).status_code
            == 404
        )


def test_for_a_class_the_employer_says_how_many_came(plant):
    from services.employer_stats import enterprise_stats
    from services.report_period import parse_period

    client, session, trip, _visit, _school_class = plant
    _start(session)
    url = f"/employer/bookings/{trip.id}/attendance"
    for bad in ("4", "0", "abc", "٣"):  # 3 were booked
        assert client.post(url, data={"came": "yes", "students_came": bad}).status_code == 303
        db.session.expire_all()
        assert db.session.get(type(trip), trip.id).state == "confirmed", bad
    page = client.get(f"/employer/sessions/{session.id}").get_data(as_text=True)
    assert "Сколько пришло — от 1 до 3" in page or "целым числом" in page
    assert client.post(url, data={"came": "yes", "students_came": "2"}).status_code == 303
    db.session.expire_all()
    fresh = db.session.get(type(trip), trip.id)
    assert (fresh.state, fresh.students_came) == ("attended", 2)
    stats = enterprise_stats(session.tour.enterprise, parse_period({}, local_now().date()))
    month = next(m for m in stats.months if m.students)
    assert month.students == 2  # the two who came, not the three booked
    assert (stats.attendance.part, stats.attendance.whole) == (2, 3)
    # A correction of the count keeps the visit marked.
    client.post(url, data={"came": "yes", "students_came": "3"})
    db.session.expire_all()
    assert db.session.get(type(trip), trip.id).students_came == 3
