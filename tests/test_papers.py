"""The school's papers come from the booking: the DOCX files open and hold its facts, the
printable pages say what a trip sheet, a consent form and a briefing list must, the .ics
parses, the CSV has its columns."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from docx import Document
from icalendar import Calendar

from extensions import db
from models import ClassMembership
from models._common import local_now
from services import booking as booking_service
from tests.helpers import AuthActions, Factory


@pytest.fixture
def make(app):
    return Factory()


@pytest.fixture
def trip(make, client):
    """A confirmed class trip by bus with two named escorts, and its counsellor signed in."""
    counsellor = make.user("counsellor", display_name="Мария Ивановна")
    enterprise = make.enterprise(
        name="Завод «Техмаш»",
        address="г. Ковров, ул. Социалистическая, 26",
        contact="Анна Смирнова, +7 900 000-00-00",
        visiting_rules="Вход по списку группы.",
    )
    tour = make.tour(
        enterprise=enterprise,
        title="Как делают станки",
        duration_minutes=90,
        group_max=30,
        min_age=None,
        meeting_point="Проходная № 2",
        what_to_bring=["Закрытая обувь", "Блокнот"],
        safety_rules=["Каска обязательна", "Не подходить к станкам"],
    )
    starts = (local_now() + timedelta(days=9)).replace(hour=10, minute=0, second=0, microsecond=0)
    session = make.session(tour=tour, starts_at=starts, capacity=30)
    school_class = make.school_class(counsellor, name="8 Б", grade=8)
    for name in ("Аня", "Борис"):
        db.session.add(
            ClassMembership(school_class=school_class, student=make.user(display_name=name))
        )
    db.session.commit()
    outcome = booking_service.book_class(
        counsellor,
        school_class,
        session.id,
        21,
        3,
        transport="bus",
        escorts=["Петрова Ольга Ивановна", "Сидоров Иван Петрович"],
    )
    AuthActions(client).login(counsellor)
    return outcome.booking


def _docx(response) -> tuple[str, list[list[list[str]]]]:
    document = Document(io.BytesIO(response.data))
    text = "\n".join(p.text for p in document.paragraphs)
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    return text, tables


def test_the_order_draft_opens_and_holds_the_bookings_facts(trip, client):
    response = client.get(f"/counsellor/trips/{trip.id}/order.docx")
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    assert "attachment" in response.headers["Content-Disposition"]
    text, _ = _docx(response)
    day = trip.session.starts_at
    for fact in (
        "ПРИКАЗ",
        "8 Б класса",
        "Завод «Техмаш»",
        "«Как делают станки»",
        "г. Ковров, ул. Социалистическая, 26",
        "Проходная № 2",
        f"{day.day} ",
        "10:00–11:30",
        "в количестве 21 человек",
        "руководителем группы: Петрова Ольга Ивановна",
        "Сидоров Иван Петрович",
        "инструктаж",
        "согласия родителей",
        "№ 1527",  # by bus: the transport rule is in the order
        "ПРИКАЗЫВАЮ",
    ):
        assert fact in text, fact


def test_the_participant_list_has_the_columns_the_school_fills_in(trip, client):
    _, tables = _docx(client.get(f"/counsellor/trips/{trip.id}/participants.docx"))
    students, adults = tables
    assert students[0] == [
        "№",
        "ФИО обучающегося",
        "Дата рождения",
        "Телефон родителя (законного представителя)",
    ]
    assert len(students) == 1 + 21  # a row per student booked
    assert [row[1] for row in students[1:3]] == ["Аня", "Борис"]  # names known, to complete
    assert all(row[2] == row[3] == "" for row in students[1:])  # never stored by the site
    assert adults[0] == ["№", "ФИО", "Телефон"] and adults[1][1] == "Петрова Ольга Ивановна"
    assert len(adults) == 1 + 3


def test_the_trip_sheet_says_where_when_what_to_bring_and_whom_to_call(trip, client):
    page = client.get(f"/counsellor/trips/{trip.id}/sheet").get_data(as_text=True)
    for fact in (
        "Памятка поездки",
        "Проходная № 2",
        "10:00–11:30 (90 мин)",
        "Закрытая обувь",
        "Каска обязательна",
        "Анна Смирнова, +7 900 000-00-00",
        "Петрова Ольга Ивановна, Сидоров Иван Петрович",
        "Вход по списку группы.",
        "data-print",
    ):
        assert fact in page, fact


def test_the_consent_form_is_one_page_per_student(trip, client):
    page = client.get(f"/counsellor/trips/{trip.id}/consent").get_data(as_text=True)
    assert page.count('class="paper-sheet"') == 21
    assert "даю согласие на участие моего ребёнка в экскурсии «Как делают станки»" in page


def test_the_briefing_list_has_its_topics_and_a_line_per_student(trip, client):
    page = client.get(f"/counsellor/trips/{trip.id}/briefing").get_data(as_text=True)
    assert "Журнал инструктажа" in page and "эвакуация" in page
    assert "На предприятии: Не подходить к станкам." in page
    assert page.count("<tr><td>") == 21


def test_a_trip_on_the_waiting_list_has_no_papers_yet(make, trip, client):
    session = trip.session
    school_class = make.school_class(trip.booked_by, grade=8)
    waiting = booking_service.book_class(
        trip.booked_by, school_class, session.id, 10, 1, waitlist=True
    ).booking
    assert waiting.state == "waitlisted"
    response = client.get(f"/counsellor/trips/{waiting.id}/order.docx")
    assert response.status_code == 303 and response.location.endswith(f"/trips/{waiting.id}")
    assert "Документы для школы" not in client.get(f"/counsellor/trips/{waiting.id}").get_data(
        as_text=True
    )


def test_the_class_trips_as_one_calendar_and_as_csv(make, trip, client):
    school_class = trip.school_class
    other = make.session(tour=trip.session.tour, starts_at=trip.session.starts_at + timedelta(1))
    cancelled = booking_service.book_class(trip.booked_by, school_class, other.id, 5, 1).booking
    booking_service.cancel(cancelled, trip.booked_by)
    body = client.get(f"/counsellor/classes/{school_class.id}/trips.ics").data
    calendar = Calendar.from_ical(body)
    events = calendar.walk("VEVENT")
    assert len(events) == 1  # the cancelled trip is not in the calendar
    event = events[0]
    assert str(event["summary"]) == "Экскурсия: Как делают станки"
    assert event.decoded("dtstart").replace(tzinfo=None) == trip.session.starts_at
    assert "Проходная № 2" in str(event["location"])
    assert str(event["status"]) == "CONFIRMED"
    text = client.get(f"/counsellor/classes/{school_class.id}/trips.csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == [
        "Дата",
        "Начало",
        "Окончание",
        "Экскурсия",
        "Предприятие",
        "Место сбора",
        "Учеников",
        "Взрослых",
        "Состояние",
    ]
    first = rows[1]
    assert first[0] == trip.session.starts_at.date().isoformat()
    assert first[1:3] == ["10:00", "11:30"] and first[6:9] == ["21", "3", "Записаны"]
    assert rows[2][8] == "Отменена"
