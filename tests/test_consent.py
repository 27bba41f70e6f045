"""Consent per purpose, as the people concerned meet it: a 12-year-old registers and waits for
a parent's link; the parent decides each purpose; a 15-year-old decides for themselves;
withdrawing stops the processing at once; links expire, are used once and can be renewed;
export and deletion leave nothing that names the child. SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import String, Text, func, select

from extensions import db
from models import Booking, ClassMembership, Consent, InterestProfile, ParentRequest, User
from models._common import utcnow
from services import booking as booking_service
from services import class_planner
from services.booking import BookingRefused
from tests.helpers import AuthActions, Factory, outbox

YEAR = date.today().year
PHRASE = "зелёный трактор едет домой"


@pytest.fixture
def make(any_db_app):
    return Factory()


@pytest.fixture
def client(any_db_app):
    return any_db_app.test_client()


def _register(client, birth_year, **extra):
    data = {
        "email": "kid@example.com",
        "display_name": "Тимур",
        "password": PHRASE,
        "confirm": PHRASE,
        "birth_year": birth_year,
        "grade": 6,
    } | extra
    response = client.post("/auth/register/student", data=data)
    if response.status_code == 200:  # «Проверьте почту»: then sign in, as the page says
        client.post("/auth/login", data={"email": data["email"], "password": PHRASE})
    return response


def _parent_link(app, to="mama@example.com") -> str:
    mail = [m for m in outbox(app) if m.to == to][-1]
    assert "согласие" in mail.subject
    return re.search(r"(/consent/\S+)", mail.body).group(1)


def _student(email="kid@example.com") -> User:
    return db.session.scalar(select(User).where(User.email == email))


def _answer(client, link, **answers):
    return client.post(link, data=answers)


# --- under 14 ----------------------------------------------------------------------------------


def test_a_12_year_old_waits_for_the_parent_who_decides_each_purpose(any_db_app, client, make):
    assert _register(client, YEAR - 12).status_code == 422  # no parent's address
    assert _register(client, YEAR - 12, parent_email="kid@example.com").status_code == 422
    assert _register(client, YEAR - 12, parent_email="Mama@Example.com").status_code == 200
    student = _student()
    assert student.consent_state == "pending"
    assert db.session.scalar(select(func.count()).select_from(Consent)) == 0

    # Limited meanwhile: the test and saved professions work; booking and a class do not.
    session = make.session(tour=make.tour(min_age=None))
    with pytest.raises(BookingRefused) as refused:
        booking_service.book_student(student, session.id)
    assert refused.value.code == "consent_needed_parent"
    school_class = make.school_class()
    joined = client.post("/me/classes/join", data={"code": school_class.join_code})
    assert joined.status_code == 422 and "после согласия" in joined.get_data(as_text=True)
    assert client.get("/quiz").status_code == 200
    # The student cannot decide for themselves under 14.
    client.post("/me/privacy/booking/give")
    assert db.session.scalar(select(func.count()).select_from(Consent)) == 0

    link = _parent_link(any_db_app)
    parent = any_db_app.test_client()  # the parent's own browser, signed in as nobody
    page = parent.get(link).get_data(as_text=True)
    assert "Тимур" in page and "Согласие на обработку данных для учётной записи" in page
    for purpose in ("account", "counsellor", "booking"):
        assert f'name="{purpose}"' in page
    assert 'name="employer_contact"' not in page
    half = _answer(parent, link, account="yes")
    assert half.status_code == 422 and "Выберите ответ" in half.get_data(as_text=True)
    done = _answer(parent, link, account="yes", counsellor="no", booking="yes")
    assert done.status_code == 200 and "Решение сохранено" in done.get_data(as_text=True)

    db.session.expire_all()
    rows = db.session.scalars(select(Consent).order_by(Consent.purpose)).all()
    assert [(c.purpose, c.granted, c.given_by) for c in rows] == [
        ("account", True, "parent"),
        ("booking", True, "parent"),
        ("counsellor", False, "parent"),
    ]
    assert all(c.version == "2026-12" and c.request_id for c in rows)
    assert _student().consent_state == "granted"
    assert booking_service.book_student(_student(), session.id).created
    assert client.post("/me/classes/join", data={"code": school_class.join_code}).status_code == 303


def test_a_used_link_takes_no_second_answer_and_a_new_one_can_be_sent(any_db_app, client):
    _register(client, YEAR - 12, parent_email="papa@example.com")
    link = _parent_link(any_db_app, "papa@example.com")
    parent = any_db_app.test_client()
    _answer(parent, link, account="yes", counsellor="yes", booking="no")
    again = parent.get(link)
    assert again.status_code == 410 and "уже приняли решение" in again.get_data(as_text=True)
    assert _answer(parent, link, account="no", counsellor="no", booking="yes").status_code == 410
    assert _student().consent_state == "granted"  # the second answer changed nothing
    renewed = parent.post(f"{link}/renew")
    assert renewed.status_code == 200
    fresh = _parent_link(any_db_app, "papa@example.com")
    assert fresh != link
    assert _answer(parent, fresh, account="yes", counsellor="yes", booking="yes").status_code == 200


def test_an_expired_link_says_so_and_can_be_renewed(any_db_app, client):
    _register(client, YEAR - 12, parent_email="mama@example.com")
    link = _parent_link(any_db_app)
    request = db.session.scalars(select(ParentRequest)).one()
    request.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    parent = any_db_app.test_client()
    page = parent.get(link)
    assert page.status_code == 410 and "7 дней" in page.get_data(as_text=True)
    assert parent.get(f"{link}/export.json").status_code == 410
    parent.post(f"{link}/renew")
    assert parent.get(_parent_link(any_db_app)).status_code == 200


def test_a_forged_or_tampered_link_leads_nowhere(any_db_app, client):
    _register(client, YEAR - 12, parent_email="mama@example.com")
    link = _parent_link(any_db_app)
    parent = any_db_app.test_client()
    assert parent.get(link[:-2] + "xx").status_code == 404
    assert parent.get("/consent/eyJyIjoxLCJuIjoiMCJ9.abc").status_code == 404


# --- 14 to 17 --------------------------------------------------------------------------------


def test_a_15_year_old_decides_and_withdrawing_booking_cancels_the_visit(any_db_app, client, make):
    _register(client, YEAR - 16, grade=9)
    student = _student()
    decision = db.session.scalars(select(Consent)).one()
    assert (decision.purpose, decision.given_by, decision.granted) == ("account", "student", True)
    session = make.session(tour=make.tour(min_age=None), capacity=5)
    refused = client.post(f"/sessions/{session.id}/book", follow_redirects=True)
    assert "дайте согласие" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Booking)) == 0
    assert client.post("/me/privacy/booking/give").status_code == 303
    assert client.post(f"/sessions/{session.id}/book").status_code in (200, 303)
    visit = db.session.scalars(select(Booking)).one()
    assert visit.state == "confirmed"

    client.post("/me/privacy/booking/withdraw")
    db.session.expire_all()
    visit = db.session.get(Booking, visit.id)
    assert (visit.state, visit.cancel_reason) == ("cancelled", "consent_withdrawn")
    assert db.session.get(type(session), session.id).seats_booked == 0
    with pytest.raises(BookingRefused):
        booking_service.book_student(db.session.get(User, student.id), session.id)


def test_contact_for_employers_needs_a_parent_under_18(any_db_app, client):
    from services import consent

    _register(client, YEAR - 16, grade=9)
    client.post("/me/privacy/employer_contact/give")
    assert not consent.allows(_student(), "employer_contact")
    page = client.get("/me/privacy").get_data(as_text=True)
    assert "Это решение принимает родитель" in page
    client.post("/me/privacy/parent", data={"parent_email": "mama@example.com"})
    link = _parent_link(any_db_app)
    parent = any_db_app.test_client()
    form = parent.get(link).get_data(as_text=True)
    assert 'name="employer_contact"' in form and 'name="account"' not in form
    _answer(parent, link, employer_contact="yes")
    assert consent.allows(_student(), "employer_contact")


def test_withdrawing_sharing_takes_the_student_out_of_the_class_picture_at_once(make, any_db_app):
    school_class = make.school_class()
    students = [make.user("student") for _ in range(5)]
    for student in students:
        db.session.add(ClassMembership(school_class=school_class, student=student))
        db.session.add(
            InterestProfile(
                user=student, riasec={"R": 0.9, "I": 0.4, "A": 0.1, "S": 0.1, "E": 0.2, "C": 0.5}
            )
        )
    db.session.commit()
    assert class_planner.class_picture(school_class).riasec_means is not None
    client = any_db_app.test_client()
    AuthActions(client).login(students[0])
    client.post("/me/privacy/counsellor/withdraw")
    picture = class_planner.class_picture(school_class)
    assert picture.shared == 4 and picture.riasec_means is None


def test_names_with_invisible_or_bidi_characters_are_refused(client):
    for name in ("Ти\u200bмур", "\u202eрумиТ", "Тимур\x07"):
        response = _register(client, YEAR - 16, display_name=name)
        assert response.status_code == 422 and "невидимые" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


# --- the data and its deletion ---------------------------------------------------------------


def _text_columns():
    for mapper in db.Model.registry.mappers:
        table = mapper.local_table
        columns = [c for c in table.columns if isinstance(c.type, String | Text)]
        if columns:
            yield table, columns


def _anywhere(value: str) -> list[str]:
    """Every table.column whose text holds ``value`` (JSON columns are read as text)."""
    found = []
    for mapper in db.Model.registry.mappers:
        table = mapper.local_table
        for row in db.session.execute(select(table)).mappings():
            for key, cell in row.items():
                if (
                    cell is not None
                    and value.lower() in json.dumps(cell, ensure_ascii=False, default=str).lower()
                ):
                    found.append(f"{table.name}.{key}")
    return found


def test_export_holds_the_students_data_and_deletion_leaves_nothing_that_names_them(
    any_db_app, client, make
):
    _register(client, YEAR - 16, grade=9, display_name="Зарина", email="zarina.k@example.com")
    student = _student("zarina.k@example.com")
    client.post("/me/privacy/booking/give")
    client.post("/me/privacy/counsellor/give")
    school_class = make.school_class()
    client.post("/me/classes/join", data={"code": school_class.join_code})
    db.session.add(
        InterestProfile(user=student, riasec={"R": 0.5}, interests="хочу варить металл на верфи")
    )
    db.session.commit()
    past = make.session(tour=make.tour(min_age=None), starts_at=utcnow() + timedelta(days=3))
    visit = booking_service.book_student(student, past.id).booking
    upcoming = make.session(tour=make.tour(min_age=None))
    booking_service.book_student(db.session.get(User, student.id), upcoming.id)

    data = client.get("/me/privacy/export.json")
    assert data.headers["Content-Disposition"].startswith("attachment")
    exported = data.json
    assert (
        exported["account"]["display_name"] == "Зарина"
        and exported["account"]["birth_year"] == YEAR - 16
    )
    assert exported["interest_tests"][0]["in_your_words"] == "хочу варить металл на верфи"
    assert {c["purpose"] for c in exported["consents"]} == {"account", "booking", "counsellor"}
    assert exported["classes"] and len(exported["bookings"]) == 2

    wrong = client.post("/me/privacy/delete", data={"password": "not-it"})
    assert wrong.status_code == 422 and _student("zarina.k@example.com") is not None
    gone = client.post("/me/privacy/delete", data={"password": PHRASE})
    assert gone.status_code == 303
    db.session.expire_all()
    assert _student("zarina.k@example.com") is None
    for value in ("Зарина", "zarina.k@example.com", "варить металл"):
        assert _anywhere(value) == [], value
    assert (
        db.session.scalar(
            select(func.count()).select_from(User).where(User.birth_year == YEAR - 16)
        )
        == 0
    )
    # What stays: the visits, anonymous; the upcoming one cancelled, its seat free again.
    left = {b.session_id: b for b in db.session.scalars(select(Booking))}
    assert left[visit.session_id].booked_by_id is None
    assert (
        left[upcoming.id].state == "cancelled"
        and left[upcoming.id].cancel_reason == "account_deleted"
    )
    assert AuthActions(client).login("zarina.k@example.com", PHRASE).status_code == 422


def test_a_parent_downloads_the_data_and_deletes_the_account_by_the_link(any_db_app, client):
    _register(client, YEAR - 12, parent_email="mama@example.com")
    link = _parent_link(any_db_app)
    parent = any_db_app.test_client()
    exported = parent.get(f"{link}/export.json").json
    assert exported["account"]["display_name"] == "Тимур"
    assert exported["parent_links"][0]["sent_to"] == "mama@example.com"
    assert parent.post(f"{link}/delete").status_code == 303  # not confirmed: nothing happens
    assert _student() is not None
    assert parent.post(f"{link}/delete", data={"confirm": "yes"}).status_code == 200
    db.session.expire_all()
    assert _student() is None
    for value in ("Тимур", "kid@example.com", "mama@example.com"):
        assert _anywhere(value) == [], value


# --- the published rules -----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/about/privacy", "/about/recommendations"])
def test_the_privacy_and_recommendation_rules_are_published_in_both_languages(client, path):
    ru = client.get(path).get_data(as_text=True)
    en = client.get(path + "?lang=en").get_data(as_text=True)
    assert 'lang="ru"' in ru and 'lang="en"' in en
    if path == "/about/privacy":
        assert "Сколько хранится" in ru and "How long" in en
    else:
        assert "Что не учитывается никогда" in ru and "never" in en


def test_withdrawing_the_account_consent_takes_the_student_out_of_the_class(
    any_db_app, client, make
):
    counsellor = make.user("counsellor")
    school_class = make.school_class(counsellor)
    _register(client, YEAR - 16, grade=9, display_name="Лейла")
    assert client.post("/me/classes/join", data={"code": school_class.join_code}).status_code == 303
    teacher = any_db_app.test_client()
    AuthActions(teacher).login(counsellor)
    assert "Лейла" in teacher.get(f"/counsellor/classes/{school_class.id}").get_data(as_text=True)
    client.post("/me/privacy/account/withdraw")
    assert _student().consent_state == "withdrawn"
    assert "Лейла" not in teacher.get(f"/counsellor/classes/{school_class.id}").get_data(
        as_text=True
    )
    joined = client.post("/me/classes/join", data={"code": school_class.join_code})
    assert joined.status_code == 422
