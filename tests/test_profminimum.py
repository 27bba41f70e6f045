"""The «Профминимум» record: a visit marked attended enters itself, the counsellor enters the
rest for the class or a few students, totals stand against the school's level, and the XLSX
and CSV exports carry the same numbers — on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from extensions import db
from models import CareerActivity, ClassMembership, TourSession
from models._common import local_now
from models.profminimum import school_year
from services import booking as booking_service
from services import profminimum
from services.booking import BookingRefused
from tests.helpers import AuthActions, Factory


@pytest.fixture
def make(any_db_app):
    return Factory()


@pytest.fixture
def client(any_db_app):
    return any_db_app.test_client()


@pytest.fixture
def world(make):
    """A counsellor's class of three and a class trip of 100 minutes on a session just past."""
    counsellor = make.user("counsellor")
    school_class = make.school_class(counsellor, grade=8)
    students = [make.user("student", display_name=f"Ученик {n}") for n in (1, 2, 3)]
    for student in students:
        db.session.add(ClassMembership(school_class=school_class, student=student))
    db.session.commit()
    tour = make.tour(title="Цех сборки", duration_minutes=100, group_max=30, min_age=None)
    session = make.session(tour=tour, capacity=30)
    trip = booking_service.book_class(counsellor, school_class, session.id, 3, 1).booking
    _happened(session)
    return counsellor, school_class, students, trip


def _happened(session):
    """Move the session to an hour ago (the visit took place)."""
    past = local_now() - timedelta(hours=1)
    db.session.execute(
        update(TourSession)
        .where(TourSession.id == session.id)
        .values(starts_at=past, booking_closes_at=past)
    )
    db.session.commit()
    db.session.expire_all()


def _entries(student):
    return db.session.scalars(
        select(CareerActivity).where(CareerActivity.student_id == student.id)
    ).all()


def test_academic_hours_are_45_minutes_to_the_nearest_half():
    assert profminimum.academic_hours(45) == 1
    assert profminimum.academic_hours(90) == 2
    assert profminimum.academic_hours(100) == Decimal("2")  # 2.22 → 2
    assert profminimum.academic_hours(120) == Decimal("2.5")  # 2.67 → 2.5
    assert profminimum.academic_hours(20) == 1  # never less than one


def test_school_years_run_from_september():
    assert school_year(date(2026, 9, 1)) == 2026
    assert school_year(date(2027, 8, 31)) == 2026
    assert school_year(date(2026, 8, 31)) == 2025


def test_attendance_enters_the_visit_for_the_classs_students_once(world, make):
    _, _, students, trip = world
    employer = make.user("employer")
    booking_service.mark_attendance(trip, employer, attended=True)
    booking_service.mark_attendance(trip, employer, attended=True)  # marked twice: one entry
    for student in students:
        [entry] = _entries(student)
        assert (entry.direction, entry.hours, entry.booking_id) == ("excursions", 2, trip.id)
        assert "Цех сборки" in entry.title
        assert entry.held_on == trip.session.starts_at.date()
    booking_service.mark_attendance(trip, employer, attended=False)  # corrected: did not come
    assert all(_entries(s) == [] for s in students)
    db.session.expire_all()
    assert trip.state == "no_show"


def test_a_students_own_visit_enters_for_that_student_alone(make):
    student = make.user("student")
    other = make.user("student")
    tour = make.tour(duration_minutes=90, min_age=None)
    session = make.session(tour=tour)
    visit = booking_service.book_student(student, session.id).booking
    _happened(session)
    booking_service.mark_attendance(visit, make.user("employer"), attended=True)
    assert [e.hours for e in _entries(student)] == [2] and _entries(other) == []


def test_attendance_cannot_be_marked_before_the_visit_or_for_a_waiting_booking(make):
    counsellor = make.user("counsellor")
    school_class = make.school_class(counsellor)
    session = make.session(tour=make.tour(min_age=None, group_max=30), capacity=30)
    trip = booking_service.book_class(counsellor, school_class, session.id, 5, 1).booking
    with pytest.raises(BookingRefused) as refused:
        booking_service.mark_attendance(trip, counsellor, attended=True)
    assert refused.value.code == "not_changeable"


def test_the_class_view_totals_hours_against_the_level(world, client):
    counsellor, school_class, students, trip = world
    booking_service.mark_attendance(trip, counsellor, attended=True)  # 2 h each
    AuthActions(client).login(counsellor)
    today = local_now().date()
    response = client.post(
        f"/counsellor/classes/{school_class.id}/hours",
        data={
            "title": "Урок «Россия — мои горизонты»",
            "direction": "horizons",
            "held_on": today.isoformat(),
            "hours": "38",
            "students": [students[0].id, students[1].id],
        },
    )
    assert response.status_code == 303
    ledger = profminimum.class_ledger(school_class, school_year(today))
    totals = {row.name: row.total for row in ledger.rows}
    assert totals == {"Ученик 1": 40, "Ученик 2": 40, "Ученик 3": 2}
    assert ledger.needed == 40 and [r.name for r in ledger.below] == ["Ученик 3"]
    profminimum.set_level(school_class.school, school_year(today), "main", counsellor)
    ledger = profminimum.class_ledger(school_class, school_year(today))
    assert ledger.needed == 60 and len(ledger.below) == 3
    page = client.get(f"/counsellor/classes/{school_class.id}/hours").get_data(as_text=True)
    assert "Ниже уровня: 3 из 3" in page and "Основной — 60 ч" in page


def test_hours_take_a_comma_and_bad_input_is_refused_with_nothing_written(world, client):
    counsellor, school_class, students, _ = world
    AuthActions(client).login(counsellor)
    url = f"/counsellor/classes/{school_class.id}/hours"
    base = {
        "title": "Профпроба",
        "direction": "trials",
        "held_on": local_now().date().isoformat(),
        "students": [students[2].id],
    }
    assert client.post(url, data=base | {"hours": "1,5"}).status_code == 303
    assert [e.hours for e in _entries(students[2])] == [Decimal("1.5")]
    for bad in (
        {"hours": "0"},
        {"hours": "41"},
        {"hours": "1,25"},
        {"hours": "много"},
        {"direction": "sleeping"},
        {"held_on": "31.02.2026"},
        {"students": []},
        {"students": [999999]},
        {"title": ""},
    ):
        response = client.post(url, data=base | {"hours": "2"} | bad)
        assert response.status_code == 422, bad
    assert len(_entries(students[2])) == 1


def test_another_classs_student_cannot_be_entered(world, make, client):
    counsellor, school_class, _, _ = world
    stranger = make.user("student")
    AuthActions(client).login(counsellor)
    response = client.post(
        f"/counsellor/classes/{school_class.id}/hours",
        data={
            "title": "Встреча",
            "direction": "meetings",
            "held_on": local_now().date().isoformat(),
            "hours": "1",
            "students": [stranger.id],
        },
    )
    assert response.status_code == 422 and _entries(stranger) == []


def test_an_entry_is_removed_from_the_students_page(world, client):
    counsellor, school_class, students, trip = world
    booking_service.mark_attendance(trip, counsellor, attended=True)
    [entry] = _entries(students[2])
    AuthActions(client).login(counsellor)
    page = client.get(f"/counsellor/classes/{school_class.id}/hours/{students[2].id}")
    assert "по отметке предприятия" in page.get_data(as_text=True)
    response = client.post(f"/counsellor/classes/{school_class.id}/hours/entries/{entry.id}/delete")
    assert response.status_code == 303 and _entries(students[2]) == []


def test_the_exports_carry_the_class_view(world, client):
    counsellor, school_class, _, trip = world
    booking_service.mark_attendance(trip, counsellor, attended=True)
    AuthActions(client).login(counsellor)
    year = school_year(local_now().date())
    book = load_workbook(
        io.BytesIO(client.get(f"/counsellor/classes/{school_class.id}/hours.xlsx").data)
    )
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header[:7] == [
        "Ученик",
        "Класс",
        "Учебный год",
        "Уровень",
        "Нужно часов",
        "Всего часов",
        "Не хватает часов",
    ]
    assert "Экскурсии на предприятия" in header and len(header) == 7 + 8
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [r[0] for r in rows] == ["Ученик 1", "Ученик 2", "Ученик 3"]
    excursions = header.index("Экскурсии на предприятия")
    assert rows[0][4:7] == [40, 2.0, 38.0] and rows[0][excursions] == 2.0
    assert rows[0][2] == f"{year}/{(year + 1) % 100:02d}"
    text = client.get(f"/counsellor/classes/{school_class.id}/hours.csv").data.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert lines[0] == header and lines[1][5:7] == ["2,0", "38,0"]
