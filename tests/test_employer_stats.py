"""An employer's statistics: visitors per month, classes and schools reached, attendance,
feedback, offers, responses and the step from a visit to a response, for a period of months;
the page (plain and htmx), its CSV, the period filter with hostile values, and the rule that a
share behind fewer than five students is not shown. SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest

from extensions import db
from models import (
    Booking,
    ClassMembership,
    Enterprise,
    Feedback,
    TourSession,
    User,
    Vacancy,
    VacancyResponse,
)
from models._common import local_now
from services import booking as booking_service
from services.employer_stats import enterprise_stats
from services.report_period import MAX_MONTHS, Period, parse_period
from tests.helpers import AuthActions, Factory

# Last year: always in the past, and the months below are always inside one calendar year.
Y = local_now().year - 1


@pytest.fixture
def make(any_db_app):
    return Factory()


def _held(session: TourSession, when: datetime, employer: User, marks) -> None:
    """Move the session to ``when`` (in the past), then mark each (booking, came) pair."""
    fresh = db.session.get(TourSession, session.id)
    fresh.starts_at = when
    fresh.booking_closes_at = when
    db.session.commit()
    for booking, came in marks:
        booking_service.mark_attendance(booking, employer, came)


def _vacancy(enterprise: Enterprise, kind: str, published: datetime | None, state="approved"):
    vacancy = Vacancy(
        enterprise=enterprise,
        kind=kind,
        title=f"{kind} {published}",
        description="…",
        moderation_state=state,
        published_at=published,
    )
    db.session.add(vacancy)
    db.session.commit()
    return vacancy


def _respond(student: User, vacancy: Vacancy, state: str, created_utc: datetime) -> None:
    db.session.add(
        VacancyResponse(vacancy=vacancy, student=student, state=state, created_at=created_utc)
    )
    db.session.commit()


def _rate(booking: Booking, author: User, rating: int, hidden: bool = False) -> None:
    db.session.add(Feedback(booking=booking, author=author, rating=rating, hidden=hidden))
    db.session.commit()


@dataclass
class Plant:
    """The enterprise under test, its signed-in staff member, and the other enterprise."""

    client: object
    enterprise: Enterprise
    employer: User
    other: Enterprise
    other_employer: User


@pytest.fixture
def plant(any_db_app, make):
    """Hand-counted visits of last year's October to December (times are local):

    - 15 Oct: student i4 alone, came.
    - 10 Nov 10:00: class A (20 students + 2 adults; members m1–m4 on the site) came;
      students i1 and i2 alone came.
    - 5 Dec: class B (10 + 1; member b1) did not come; class C (5 + 1, nobody joined on the
      site) came; i3 came; i5 booked and was never marked.
    - 20 Dec: class C (5 + 1) came again. Classes A and C are of one school, B of another.

    Feedback: A 5, i1 4, i3 2 (hidden by moderation), i4 1. Offers (published, UTC): V1 job
    1 Nov; V2 internship 30 Nov 22:00 UTC = 1 Dec 01:00 local; V3 pending; V4 job of
    September; V5 rejected. Responses (UTC): m1→V1 sent 10 Nov 08:00 (11:00 local, after the
    visit); m2→V1 viewed 10 Nov 06:30 (before it); i1→V4 invited 1 Dec; i2→V1 withdrawn;
    b1→V2 declined. Another enterprise had class D and i3, and i3 answered its offer.
    """
    enterprise = make.enterprise(name="Завод «Пример»")
    employer = make.employer(enterprise)
    tour = make.tour(enterprise=enterprise, min_age=None, group_max=30, adults_per_students=10)
    sessions = [make.session(tour=tour, capacity=40) for _ in range(4)]
    counsellor = make.user("counsellor")
    class_a = make.school_class(counsellor, name="8 А")
    class_c = make.school_class(counsellor, name="8 В")  # the same counsellor's school
    class_b = make.school_class(make.user("counsellor"), name="9 Б")
    assert class_a.school_id == class_c.school_id != class_b.school_id
    m = [make.user("student") for _ in range(4)]
    b1 = make.user("student")
    db.session.add_all([ClassMembership(school_class=class_a, student=s) for s in m])
    db.session.add(ClassMembership(school_class=class_b, student=b1))
    db.session.commit()
    i1, i2, i3, i4, i5 = (make.user("student") for _ in range(5))

    def alone(student, session):
        return booking_service.book_student(student, session.id).booking

    def trip(school_class, session, students, adults):
        return booking_service.book_class(
            school_class.counsellor, school_class, session.id, students, adults
        ).booking

    v_i4 = alone(i4, sessions[0])
    v_a, v_i1, v_i2 = (
        trip(class_a, sessions[1], 20, 2),
        alone(i1, sessions[1]),
        alone(i2, sessions[1]),
    )
    v_b, v_c, v_i3 = (
        trip(class_b, sessions[2], 10, 1),
        trip(class_c, sessions[2], 5, 1),
        alone(i3, sessions[2]),
    )
    alone(i5, sessions[2])
    v_c2 = trip(class_c, sessions[3], 5, 1)
    _held(sessions[0], datetime(Y, 10, 15, 10), employer, [(v_i4, True)])
    _held(sessions[1], datetime(Y, 11, 10, 10), employer, [(v_a, True), (v_i1, True), (v_i2, True)])
    _held(sessions[2], datetime(Y, 12, 5, 11), employer, [(v_b, False), (v_c, True), (v_i3, True)])
    _held(sessions[3], datetime(Y, 12, 20, 10), employer, [(v_c2, True)])

    _rate(v_a, counsellor, 5)
    _rate(v_i1, i1, 4)
    _rate(v_i3, i3, 2, hidden=True)
    _rate(v_i4, i4, 1)

    v1 = _vacancy(enterprise, "job", datetime(Y, 11, 1, 9))
    v2 = _vacancy(enterprise, "internship", datetime(Y, 11, 30, 22))
    _vacancy(enterprise, "practice", None, state="pending")
    v4 = _vacancy(enterprise, "job", datetime(Y, 9, 1, 9))
    _vacancy(enterprise, "practice", datetime(Y, 11, 5, 9), state="rejected")
    _respond(m[0], v1, "sent", datetime(Y, 11, 10, 8))
    _respond(m[1], v1, "viewed", datetime(Y, 11, 10, 6, 30))
    _respond(i1, v4, "invited", datetime(Y, 12, 1, 12))
    _respond(i2, v1, "withdrawn", datetime(Y, 11, 11, 12))
    _respond(b1, v2, "declined", datetime(Y, 12, 6, 12))

    other = make.enterprise(name="Другой завод")
    other_employer = make.employer(other)
    other_tour = make.tour(enterprise=other, min_age=None, group_max=30)
    other_session = make.session(tour=other_tour, capacity=40)
    class_d = make.school_class(make.user("counsellor"), name="10 Д")
    db.session.add(ClassMembership(school_class=class_d, student=make.user("student")))
    db.session.commit()
    v_d = trip(class_d, other_session, 6, 1)
    v_other_i3 = alone(i3, other_session)
    _held(other_session, datetime(Y, 11, 12, 10), other_employer, [(v_d, True), (v_other_i3, True)])
    _rate(v_other_i3, i3, 1)
    _respond(i3, _vacancy(other, "job", datetime(Y, 11, 20, 9)), "sent", datetime(Y, 12, 10, 9))

    client = any_db_app.test_client()
    AuthActions(client).login(employer)
    return Plant(client, enterprise, employer, other, other_employer)


def _months(first: int, last: int) -> Period:
    return Period(date(Y, first, 1), date(Y, last, 1))


# --- the figures ------------------------------------------------------------------------------


def test_every_figure_of_november_and_december(plant):
    stats = enterprise_stats(plant.enterprise, _months(11, 12))
    assert [(m.month, m.students, m.adults) for m in stats.months] == [
        (date(Y, 11, 1), 22, 2),
        (date(Y, 12, 1), 11, 2),
    ]
    assert [(m.attendance.part, m.attendance.whole) for m in stats.months] == [(22, 22), (11, 21)]
    assert [m.attendance.percent for m in stats.months] == [100, 52]
    assert (stats.students, stats.adults) == (33, 4)
    # Weighted by students: 33 of the 43 marked students came (the unmarked booking is out).
    assert (stats.attendance.part, stats.attendance.whole, stats.attendance.percent) == (33, 43, 77)
    reach = stats.reach
    assert (reach.class_visits, reach.classes, reach.schools) == (3, 2, 1)
    feedback = stats.feedback
    assert (feedback.count, feedback.hidden) == (3, 1)
    assert feedback.by_rating == {5: 1, 4: 1, 3: 0, 2: 1, 1: 0}
    assert feedback.average == pytest.approx(11 / 3)
    assert stats.offers == {
        "job": 1,
        "internship": 1,
        "summer_job": 0,
        "practice": 0,
        "target_training": 0,
    }
    assert stats.responses == {"sent": 1, "viewed": 1, "invited": 0, "declined": 1}
    # i1, i2, i3 alone and m1–m4 of class A came; m1 (after the visit, once the UTC moment is
    # read as local time) and i1 (to an offer of September) answered afterwards.
    assert (stats.conversion.part, stats.conversion.whole) == (2, 7)
    assert stats.conversion.percent == 29 and stats.conversion.shown


def test_a_shorter_period_counts_only_its_months(plant):
    december = enterprise_stats(plant.enterprise, _months(12, 12))
    assert (december.students, december.adults) == (11, 2)
    assert (december.reach.class_visits, december.reach.classes, december.reach.schools) == (
        2,
        1,
        1,
    )
    assert (december.feedback.count, december.feedback.hidden, december.feedback.average) == (
        1,
        1,
        2,
    )
    # Published at 22:00 UTC on 30 November: 1 December in the region.
    assert december.offers["internship"] == 1 and december.offers["job"] == 0
    assert december.responses == {"sent": 0, "viewed": 0, "invited": 0, "declined": 1}
    assert (december.conversion.whole, december.conversion.shown) == (1, False)
    november = enterprise_stats(plant.enterprise, _months(11, 11))
    assert november.offers["job"] == 1 and november.offers["internship"] == 0
    assert november.responses == {"sent": 1, "viewed": 1, "invited": 0, "declined": 0}


def test_months_without_visits_show_as_zero(plant):
    stats = enterprise_stats(plant.enterprise, _months(1, 12))
    assert len(stats.months) == 12
    assert [m.students for m in stats.months] == [0] * 9 + [1, 22, 11]
    assert stats.months[0].attendance.percent is None  # nothing marked


def test_another_enterprise_is_never_counted(plant):
    other = enterprise_stats(plant.other, _months(10, 12))
    assert (other.students, other.adults) == (7, 1)
    assert (other.reach.classes, other.feedback.count) == (1, 1)
    assert other.offers["job"] == 1 and sum(other.responses.values()) == 1
    # i3 and class D's one member came; i3 answered this enterprise's offer afterwards.
    assert (other.conversion.part, other.conversion.whole) == (1, 2)
    page = plant.client.get(f"/employer/stats?from={Y}-10&to={Y}-12").get_data(as_text=True)
    assert "Другой завод" not in page


def test_sessions_not_started_yet_are_not_counted(plant):
    before = enterprise_stats(plant.enterprise, _months(11, 12), now=datetime(Y, 11, 10, 9))
    assert before.students == 0 and before.attendance.whole == 0
    assert before.conversion.whole == 0


# --- the page ---------------------------------------------------------------------------------


def test_the_page_shows_every_figure_with_its_table(plant):
    response = plant.client.get(f"/employer/stats?from={Y}-11&to={Y}-12")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<html" in page and "Завод «Пример»" in page
    for text in ("77&nbsp;%", "33 из 43", "29&nbsp;%", "2 из 7", "3,7"):
        assert text in page, text
    assert "Классов: <strong>2</strong> · школ: <strong>1</strong>" in page
    assert "Посещений классами: 3" in page and "Скрыто модератором: 1." in page
    assert f"ноябрь {Y}" in page and f"декабрь {Y}" in page
    assert page.count('class="table-scroll"') == 4  # visitors, feedback, offers, responses
    assert 'data-chart="bar"' in page and "chart.umd.min.js" in page
    assert f'href="/employer/stats.csv?from={Y}-11&amp;to={Y}-12"' in page
    assert "класс считается по числу учеников в записи" in page


def test_an_htmx_request_gets_the_figures_alone(plant):
    response = plant.client.get(
        f"/employer/stats?from={Y}-12&to={Y}-11", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<html" not in page and "33 из 43" in page
    assert 'hx-swap-oob="true"' in page  # the period line outside the swapped box
    assert "HX-Request" in response.headers["Vary"]
    assert response.headers["HX-Push-Url"] == f"/employer/stats?from={Y}-11&to={Y}-12"


def test_few_students_show_as_fewer_than_five(plant):
    page = plant.client.get(f"/employer/stats?from={Y}-10&to={Y}-10").get_data(as_text=True)
    # One student came in October: both the attendance and the conversion are held back.
    assert page.count("меньше 5") >= 3
    assert "100&nbsp;%" not in page and "0&nbsp;%" not in page
    assert "1 из 1" not in page and "0 из 1" not in page


def test_start_after_end_is_swapped_with_a_note(plant):
    page = plant.client.get(f"/employer/stats?from={Y}-12&to={Y}-11").get_data(as_text=True)
    assert "месяцы поменяны местами" in page and "33 из 43" in page


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ("from=2026-13", "Начало периода не распознано"),
        ("from=abc", "Начало периода не распознано"),
        ("to=9999-99", "Конец периода не распознан"),
        ("to=9999-12", "Конец периода не распознан"),
        ("from=1812-09", "Начало периода не распознано"),
        ("from=" + "2025-01" * 3000, "Начало периода не распознано"),
        ("to=" + "9" * 20000, "Конец периода не распознан"),
        ("from=%D9%A2%D9%A0%D9%A2%D9%A5-%D9%A0%D9%A1", "Начало периода не распознано"),
        ("from=2025-1", "Начало периода не распознано"),
        ("from=2025-01&from=2025-02&to=2025-02%27%3B--", "Конец периода не распознан"),
        ("from=2001-01&to=2025-01", "сокращён до последних 36"),
    ],
)
def test_hostile_period_values_are_dropped_with_a_note(any_db_app, make, query, note):
    client = any_db_app.test_client()
    AuthActions(client).login(make.employer())
    assert client.get(f"/employer/stats.csv?{query}").status_code == 200
    response = client.get(f"/employer/stats?{query}")
    assert response.status_code == 200 and note in response.get_data(as_text=True)
    fragment = client.get(f"/employer/stats?{query}", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and note in fragment.get_data(as_text=True)


def test_staff_without_an_approved_link_get_404(any_db_app, plant, make):
    client = any_db_app.test_client()
    AuthActions(client).login(make.employer(plant.enterprise, state="pending"))
    assert client.get("/employer/stats").status_code == 404
    assert client.get("/employer/stats.csv").status_code == 404


def test_the_default_period_is_the_last_twelve_months(any_db_app, make):
    enterprise = make.enterprise()
    employer = make.employer(enterprise)
    tour = make.tour(enterprise=enterprise, min_age=None)
    recent, old = make.session(tour=tour), make.session(tour=tour)
    came = [booking_service.book_student(make.user("student"), s.id).booking for s in (recent, old)]
    _held(recent, local_now() - timedelta(hours=2), employer, [(came[0], True)])
    _held(old, local_now() - timedelta(days=400), employer, [(came[1], True)])
    client = any_db_app.test_client()
    AuthActions(client).login(employer)
    page = client.get("/employer/stats", headers={"HX-Request": "true"}).get_data(as_text=True)
    total = page[page.index("<tfoot>") :]
    assert "<td>1</td>" in total and "<td>2</td>" not in total


# --- the CSV ----------------------------------------------------------------------------------


def _sections(body: bytes) -> dict[str, list[list[str]]]:
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    sections, current = {}, None
    for row in rows:
        if not row:
            current = None
        elif current is None:
            current = sections.setdefault(row[0], [])
        else:
            current.append(row)
    return sections


def test_the_csv_has_a_section_per_figure(plant):
    response = plant.client.get(f"/employer/stats.csv?from={Y}-11&to={Y}-12")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="statistika-{Y}-11-{Y}-12.csv"'
    )
    s = _sections(response.data)
    assert s["Статистика предприятия"] == [
        ["Предприятие", "С месяца", "По месяц"],
        ["Завод «Пример»", f"{Y}-11", f"{Y}-12"],
    ]
    assert s["Посетители по месяцам"] == [
        ["Месяц", "Учеников пришло", "Взрослых пришло", "Посещаемость учеников, %"],
        [f"{Y}-11", "22", "2", "100"],
        [f"{Y}-12", "11", "2", "52"],
        ["Всего", "33", "4", "77"],
    ]
    assert s["Классы и школы"] == [["Посещений классами", "Классов", "Школ"], ["3", "2", "1"]]
    assert s["Посещаемость (по ученикам)"][1] == ["33", "43", "77"]
    assert s["Отзывы"][1:] == [
        ["5", "1"],
        ["4", "1"],
        ["3", "0"],
        ["2", "1"],
        ["1", "0"],
        ["Всего", "3"],
        ["Из них скрыты модератором", "1"],
        ["Средняя оценка", "3,7"],
    ]
    assert s["Опубликованные предложения"][1:] == [
        ["Вакансия", "1"],
        ["Стажировка", "1"],
        ["Летняя работа", "0"],
        ["Производственная практика", "0"],
        ["Целевое обучение", "0"],
        ["Всего", "2"],
    ]
    assert s["Отклики на эти предложения (без отозванных)"][1:] == [
        ["Новый", "1"],
        ["Просмотрен", "1"],
        ["Приглашение", "0"],
        ["Отказ", "1"],
        ["Всего", "3"],
    ]
    assert s["Переход от посещения к отклику"] == [
        ["Откликнулись после посещения", "Учеников посетили", "Доля, %"],
        ["2", "7", "29"],
    ]


def test_the_csv_holds_back_small_shares_too(plant):
    s = _sections(plant.client.get(f"/employer/stats.csv?from={Y}-10&to={Y}-10").data)
    assert s["Посетители по месяцам"][1] == [f"{Y}-10", "1", "0", "меньше 5"]
    assert s["Посещаемость (по ученикам)"][1] == ["", "меньше 5", "меньше 5"]
    assert s["Переход от посещения к отклику"][1] == ["", "меньше 5", "меньше 5"]


# --- the period alone -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "first", "last", "notes"),
    [
        ({}, date(2025, 4, 1), date(2026, 3, 1), ()),
        ({"from": "2025-11"}, date(2025, 11, 1), date(2026, 3, 1), ()),
        ({"to": "2025-06"}, date(2024, 7, 1), date(2025, 6, 1), ()),
        ({"from": "2027-02"}, date(2027, 2, 1), date(2027, 2, 1), ()),
        ({"from": "2026-02", "to": "2025-11"}, date(2025, 11, 1), date(2026, 2, 1), ("swapped",)),
        ({"from": "abc", "to": "2025-13"}, date(2025, 4, 1), date(2026, 3, 1), None),
        ({"from": "2001-01", "to": "2026-03"}, date(2023, 4, 1), date(2026, 3, 1), ("shortened",)),
    ],
)
def test_parse_period(args, first, last, notes):
    period = parse_period(args, date(2026, 3, 15))
    assert (period.first, period.last) == (first, last)
    if notes is None:
        assert set(period.notes) == {"from_unreadable", "to_unreadable"}
    else:
        assert period.notes == notes
    assert len(period.months) <= MAX_MONTHS


def test_a_period_in_utc_follows_the_region_clock():
    since, until = Period(date(2025, 12, 1), date(2025, 12, 1)).utc_bounds()
    assert (since, until) == (datetime(2025, 11, 30, 21), datetime(2025, 12, 31, 21))
