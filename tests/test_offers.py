"""Offers after a visit: an employer posts one, regional staff let it out, it reaches exactly
the students who came on its tours, asked for offers and are old enough; they answer it, and
the employer invites or declines — seeing a student's e-mail only with consent. SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from extensions import db
from models import (
    Booking,
    ClassMembership,
    Notification,
    TourSession,
    User,
    Vacancy,
    VacancyDelivery,
    VacancyResponse,
)
from models._common import local_now
from services import booking as booking_service
from services import offers
from tests.helpers import AuthActions, Factory, outbox

CONTACT = ("account", "counsellor", "booking", "employer_contact")
GOOD_OFFER = {
    "kind": "internship",
    "title": "Летняя стажировка в сборочном цехе",
    "description": "Две недели рядом с наставником: сборка кондиционеров, проверка узлов.",
    "town": "Киржач",
    "min_age": "16",
    "hours_per_week": "20",
    "schedule": "пн–пт, с 9 до 13",
    "salary_min": "15000",
    "salary_max": "20000",
    "minor_conditions": "Сборка узлов под присмотром наставника, без тяжестей.",
    "not_harmful": "y",
    "official_url": "",
    "closes_on": "",
}


@pytest.fixture
def make(any_db_app):
    return Factory()


def _born(age: int) -> int:
    """A birth year whose youngest possible age (birthday still to come) is ``age``."""
    return date.today().year - age - 1


def _attend(booking) -> None:
    """Move the booking's session into the past and mark it attended."""
    session = db.session.get(TourSession, booking.session_id)
    session.starts_at = local_now() - timedelta(hours=3)
    session.booking_closes_at = session.starts_at
    db.session.commit()
    booking_service.mark_attendance(booking, None, True)


@pytest.fixture
def plant(any_db_app, make):
    """An enterprise with two tours, its employer, and students who did and did not come."""
    enterprise = make.enterprise(name="Завод «Климат»", town="Киржач")
    employer = make.employer(enterprise)
    tour = make.tour(enterprise=enterprise, min_age=None, group_max=30, adults_per_students=10)
    other_tour = make.tour(enterprise=enterprise, min_age=None)
    session = make.session(tour=tour, capacity=30)
    other_session = make.session(tour=other_tour, capacity=30)
    people = {}

    def student(name, age=16, opt_in=True, consents=CONTACT, **fields):
        user = make.user(
            "student",
            display_name=name,
            email=f"{name.lower()}@example.com",
            birth_year=_born(age),
            consents=consents,
            **fields,
        )
        user.offers_opt_in = opt_in
        db.session.commit()
        people[name] = user
        return user

    came = {
        "Аня": student("Аня"),
        "Боря": student("Боря", opt_in=False),
        "Вера": student("Вера", age=14),
        "Гоша": student("Гоша", consents=("account", "booking")),
    }
    for user in came.values():
        booking_service.book_student(user, session.id)
    student("Дима")  # booked but did not come
    no_show = booking_service.book_student(people["Дима"], session.id).booking
    student("Егор")  # came on the other tour only
    elsewhere = booking_service.book_student(people["Егор"], other_session.id).booking
    counsellor = make.user("counsellor")
    school_class = make.school_class(counsellor, name="9 Б")
    member = student("Женя")  # came with the class
    db.session.add(ClassMembership(school_class=school_class, student=member))
    db.session.commit()
    booking_service.book_class(counsellor, school_class, session.id, 5, 1)
    for booking in db.session.scalars(select(Booking).where(Booking.session_id == session.id)):
        if booking.id != no_show.id:
            _attend(booking)
    booking_service.mark_attendance(no_show, None, False)
    _attend(elsewhere)
    return {
        "enterprise": enterprise,
        "employer": employer,
        "tour": tour,
        "other_tour": other_tour,
        "people": people,
        "admin": make.user("admin"),
    }


def _client(app, user):
    client = app.test_client()
    AuthActions(client).login(user)
    return client


def _post_offer(client, tour, **changes):
    data = GOOD_OFFER | {"tours": str(tour.id)} | changes
    return client.post("/employer/offers/new", data=data)


def _approved_offer(app, plant, **changes) -> Vacancy:
    employer = _client(app, plant["employer"])
    assert _post_offer(employer, plant["tour"], **changes).status_code == 303
    offer = db.session.scalars(select(Vacancy).order_by(Vacancy.id.desc())).first()
    admin = _client(app, plant["admin"])
    answer = admin.post(f"/admin/offers/{offer.id}", data={"decision": "approve"})
    assert answer.status_code == 303
    db.session.expire_all()
    return db.session.get(Vacancy, offer.id)


def _delivered(offer) -> set[str]:
    rows = db.session.scalars(
        select(VacancyDelivery.student_id).where(VacancyDelivery.vacancy_id == offer.id)
    ).all()
    return {db.session.get(User, i).display_name for i in rows}


def test_an_offer_waits_for_moderation_before_anyone_sees_it(any_db_app, plant):
    employer = _client(any_db_app, plant["employer"])
    assert _post_offer(employer, plant["tour"]).status_code == 303
    offer = db.session.scalars(select(Vacancy)).one()
    assert offer.moderation_state == "pending" and offer.town == "Киржач"
    public = any_db_app.test_client()
    assert offer.title not in public.get("/vacancies").get_data(as_text=True)
    assert public.get(f"/vacancies/{offer.id}").status_code == 404
    assert _delivered(offer) == set()
    queue = _client(any_db_app, plant["admin"]).get("/admin/offers").get_data(as_text=True)
    assert offer.title in queue


def test_approval_sends_it_to_exactly_the_visitors_who_asked_and_are_old_enough(any_db_app, plant):
    offer = _approved_offer(any_db_app, plant)
    # Аня came and asked; Женя came with the class and asked. Боря did not ask for offers,
    # Вера is 14 (the offer is from 16), Дима did not come, Егор came on another tour.
    assert _delivered(offer) == {"Аня", "Женя", "Гоша"}
    anya = plant["people"]["Аня"]
    note = db.session.scalars(
        select(Notification).where(
            Notification.user_id == anya.id, Notification.kind == "offer.new"
        )
    ).one()
    assert note.link == f"/vacancies/{offer.id}"
    assert any(offer.title in mail.body for mail in outbox(any_db_app) if mail.to == anya.email)
    # The employer is told it went out, and a second sweep sends nothing twice.
    assert offers.deliver_offers() == 0
    assert db.session.scalar(select(func.count(VacancyDelivery.id))) == 3


def test_a_visit_marked_later_brings_the_open_offer_to_that_visitor(any_db_app, plant, make):
    offer = _approved_offer(any_db_app, plant)
    late = make.user("student", display_name="Зоя", birth_year=_born(17), consents=CONTACT)
    late.offers_opt_in = True
    db.session.commit()
    session = make.session(tour=plant["tour"], capacity=10)
    booking = booking_service.book_student(late, session.id).booking
    _attend(booking)
    assert "Зоя" in _delivered(offer)


def test_the_visitor_sees_it_first_and_only_offers_for_their_age(any_db_app, plant, make):
    older = make.tour(enterprise=plant["enterprise"], min_age=None)
    adult_offer = _approved_offer(
        any_db_app,
        plant,
        title="Вакансия сборщика для взрослых",
        kind="job",
        min_age="18",
        minor_conditions="",
        not_harmful="",
        tours=str(older.id),
    )
    for _ in range(2):
        _approved_offer(any_db_app, plant | {"tour": older}, title="Практика для всех с 16")
    offer = _approved_offer(any_db_app, plant)
    anya = _client(any_db_app, plant["people"]["Аня"])
    page = anya.get("/vacancies").get_data(as_text=True)
    assert page.index(offer.title) < page.index("Практика для всех с 16")
    assert "Для вас — после экскурсии" in page
    assert adult_offer.title not in page  # Аня is 16
    assert anya.get(f"/vacancies/{adult_offer.id}").status_code == 200
    assert "пока не подходит" in anya.get(f"/vacancies/{adult_offer.id}").get_data(as_text=True)
    visitor = any_db_app.test_client()
    everything = visitor.get("/vacancies").get_data(as_text=True)
    assert adult_offer.title in everything and "Для вас" not in everything
    assert adult_offer.title not in visitor.get("/vacancies?age=15").get_data(as_text=True)
    assert adult_offer.title in visitor.get("/vacancies?age=18&kind=job").get_data(as_text=True)
    assert offer.title not in visitor.get("/vacancies?kind=job").get_data(as_text=True)
    assert offer.title in visitor.get("/vacancies?town=Киржач").get_data(as_text=True)
    assert offer.title not in visitor.get("/vacancies?town=Ковров").get_data(as_text=True)


@pytest.mark.parametrize(
    "query",
    [
        "kind=<script>",
        "age=abc",
        "age=٣",
        "age=-1",
        "age=99999999999",
        "town=" + "я" * 500,
        "profession=%00",
        "page=abc",
        "kind=job&kind=internship",
    ],
)
def test_filters_it_cannot_read_are_dropped_not_a_500(any_db_app, plant, query):
    response = any_db_app.test_client().get(f"/vacancies?{query}")
    assert response.status_code == (400 if "%00" in query else 200)  # NUL: the request guard
    assert "<script>" not in response.get_data(as_text=True).split("</h1>")[1].split("<form")[0]


def test_a_student_responds_withdraws_and_sees_the_answer(any_db_app, plant):
    offer = _approved_offer(any_db_app, plant)
    anya_user = plant["people"]["Аня"]
    anya = _client(any_db_app, anya_user)
    sent = anya.post(f"/vacancies/{offer.id}/respond", data={"message": "Хочу летом, пн–пт."})
    assert sent.status_code == 303
    again = anya.post(f"/vacancies/{offer.id}/respond", data={"message": "Ещё раз"})
    assert again.status_code == 409 and "Ваш отклик: Новый" in again.get_data(as_text=True)
    employer = _client(any_db_app, plant["employer"])
    page = employer.get(f"/employer/offers/{offer.id}").get_data(as_text=True)
    assert "Аня" in page and "Хочу летом" in page
    assert anya_user.email in page  # she and a parent consented to share it
    response = db.session.scalars(select(VacancyResponse)).one()
    assert response.state == "viewed"
    assert (
        employer.post(
            f"/employer/responses/{response.id}", data={"decision": "invited"}
        ).status_code
        == 303
    )
    mine = anya.get("/me/responses").get_data(as_text=True)
    assert "Приглашение" in mine and offer.title in mine
    assert db.session.scalars(
        select(Notification).where(
            Notification.user_id == anya_user.id, Notification.kind == "response.invited"
        )
    ).one()
    assert anya.post(f"/me/responses/{response.id}/withdraw").status_code == 303
    db.session.expire_all()
    assert db.session.get(VacancyResponse, response.id).state == "withdrawn"
    refused = employer.post(f"/employer/responses/{response.id}", data={"decision": "declined"})
    assert refused.status_code == 303
    db.session.expire_all()
    assert db.session.get(VacancyResponse, response.id).state == "withdrawn"
    # Withdrawn, she may answer again.
    assert (
        anya.post(
            f"/vacancies/{offer.id}/respond", data={"message": "Передумала обратно"}
        ).status_code
        == 303
    )


def test_the_employer_sees_an_email_only_with_consent(any_db_app, plant):
    offer = _approved_offer(any_db_app, plant)
    gosha = plant["people"]["Гоша"]  # no consent to share his e-mail
    client = _client(any_db_app, gosha)
    assert (
        client.post(f"/vacancies/{offer.id}/respond", data={"message": "Интересно!"}).status_code
        == 303
    )
    page = _client(any_db_app, plant["employer"]).get(f"/employer/offers/{offer.id}")
    text = page.get_data(as_text=True)
    assert "Гоша" in text and gosha.email not in text
    assert "не дал согласия показывать e-mail" in text
    # Withdrawing the consent hides an e-mail the employer could see before.
    from services import consent

    anya = plant["people"]["Аня"]
    _client(any_db_app, anya).post(f"/vacancies/{offer.id}/respond", data={"message": "Да"})
    employer = _client(any_db_app, plant["employer"])
    assert anya.email in employer.get(f"/employer/offers/{offer.id}").get_data(as_text=True)
    consent.withdraw(anya, "employer_contact", "parent")
    assert anya.email not in employer.get(f"/employer/offers/{offer.id}").get_data(as_text=True)


def test_too_young_cannot_respond(any_db_app, plant):
    offer = _approved_offer(any_db_app, plant)
    vera = _client(any_db_app, plant["people"]["Вера"])  # 14; the offer is from 16
    answer = vera.post(f"/vacancies/{offer.id}/respond", data={"message": "Можно мне?"})
    assert answer.status_code == 422
    assert db.session.scalar(select(func.count(VacancyResponse.id))) == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"min_age": "15", "hours_per_week": "30", "light_work": "y"}, "не больше 24 часов"),
        ({"min_age": "16", "hours_per_week": "36"}, "не больше 35 часов"),
        ({"min_age": "16", "minor_conditions": ""}, "почему работа им подходит"),
        ({"min_age": "17", "not_harmful": ""}, "вредную или опасную"),
        ({"min_age": "14", "hours_per_week": "10"}, "лёгкий труд"),
        ({"min_age": "13"}, "от 14 до 99"),
        ({"min_age": "abc"}, "Неверное целое число"),
        ({"salary_min": "30000", "salary_max": "20000"}, "не меньше, чем «от»"),
        ({"kind": "target_training"}, "trudvsem.ru"),
        (
            {"kind": "target_training", "official_url": "https://evil.example/trudvsem.ru"},
            "trudvsem.ru",
        ),
        ({"official_url": "javascript:alert(1)"}, "trudvsem.ru"),
        ({"closes_on": "2001-01-01"}, "от сегодняшней"),
        ({"closes_on": "9999-12-31"}, "от сегодняшней"),
        ({"title": "Стажировка\u202eакчер"}, "невидимые"),
        ({"description": "я" * 6000}, "до 5000"),
        ({"kind": "slavery"}, "Выберите из списка"),
        ({"tours": "999999"}, "Выберите из списка"),
        ({"hours_per_week": "NaN"}, "от 1 до 40"),
    ],
)
def test_the_form_refuses_in_russian_and_writes_nothing(any_db_app, plant, changes, message):
    employer = _client(any_db_app, plant["employer"])
    answer = _post_offer(employer, plant["tour"], **changes)
    assert answer.status_code == 422
    assert message in answer.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Vacancy.id))) == 0


def test_target_training_with_the_official_link_is_accepted(any_db_app, plant):
    employer = _client(any_db_app, plant["employer"])
    answer = _post_offer(
        employer,
        plant["tour"],
        kind="target_training",
        min_age="17",
        official_url="https://trudvsem.ru/vacancy/card/1234",
    )
    assert answer.status_code == 303


def test_a_rejected_offer_tells_the_employer_why(any_db_app, plant):
    employer = _client(any_db_app, plant["employer"])
    _post_offer(employer, plant["tour"])
    offer = db.session.scalars(select(Vacancy)).one()
    admin = _client(any_db_app, plant["admin"])
    assert admin.post(f"/admin/offers/{offer.id}", data={"decision": "reject"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Vacancy, offer.id).moderation_state == "pending"  # a reason is needed
    admin.post(f"/admin/offers/{offer.id}", data={"decision": "reject", "reason": "Укажите оплату"})
    page = employer.get(f"/employer/offers/{offer.id}").get_data(as_text=True)
    assert "Укажите оплату" in page
    assert _delivered(offer) == set()


def test_an_edited_offer_leaves_the_list_until_approved_again(any_db_app, plant):
    offer = _approved_offer(any_db_app, plant)
    employer = _client(any_db_app, plant["employer"])
    data = GOOD_OFFER | {"tours": str(plant["tour"].id), "title": "Стажировка: новое название"}
    assert employer.post(f"/employer/offers/{offer.id}/edit", data=data).status_code == 303
    visitor = any_db_app.test_client()
    assert "новое название" not in visitor.get("/vacancies").get_data(as_text=True)
    assert visitor.get(f"/vacancies/{offer.id}").status_code == 404


def test_another_enterprise_reaches_none_of_it(any_db_app, plant, make):
    offer = _approved_offer(any_db_app, plant)
    _client(any_db_app, plant["people"]["Аня"]).post(
        f"/vacancies/{offer.id}/respond", data={"message": "Да"}
    )
    response = db.session.scalars(select(VacancyResponse)).one()
    stranger = _client(any_db_app, make.employer(make.enterprise()))
    for path in (f"/employer/offers/{offer.id}", f"/employer/offers/{offer.id}/edit"):
        assert stranger.get(path).status_code == 404
    for path, data in (
        (f"/employer/offers/{offer.id}/edit", GOOD_OFFER),
        (f"/employer/offers/{offer.id}/close", {}),
        (f"/employer/responses/{response.id}", {"decision": "declined"}),
    ):
        assert stranger.post(path, data=data).status_code == 404
    db.session.expire_all()
    assert db.session.get(Vacancy, offer.id).is_open
    assert db.session.get(VacancyResponse, response.id).state == "sent"
    other_student = _client(any_db_app, plant["people"]["Боря"])
    assert other_student.post(f"/me/responses/{response.id}/withdraw").status_code == 404


def test_the_student_chooses_whether_offers_come(any_db_app, plant):
    borya = plant["people"]["Боря"]
    client = _client(any_db_app, borya)
    assert "Присылать предложения" in client.get("/me/").get_data(as_text=True)
    assert client.post("/me/offers", data={"wanted": "yes"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(type(borya), borya.id).offers_opt_in
    offer = _approved_offer(any_db_app, plant)
    assert "Боря" in _delivered(offer)


def test_pages_answer_plain_and_htmx(any_db_app, plant):
    offer = _approved_offer(any_db_app, plant)
    employer = _client(any_db_app, plant["employer"])
    anya = _client(any_db_app, plant["people"]["Аня"])
    for client, path in (
        (employer, "/employer/offers"),
        (employer, "/employer/offers/new"),
        (employer, f"/employer/offers/{offer.id}"),
        (anya, "/vacancies"),
        (anya, f"/vacancies/{offer.id}"),
        (anya, "/me/responses"),
    ):
        for headers in ({}, {"HX-Request": "true"}):
            assert client.get(path, headers=headers).status_code == 200, path
