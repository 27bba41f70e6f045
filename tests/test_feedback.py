"""Feedback after a visit: only an attended booking, once, by its visitor (the student who
booked alone, the counsellor of a class); the enterprise reads averages and comments without
names, may report a comment, and regional staff hide or keep it; counsellors read the
enterprise's ratings before booking. SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from extensions import db
from models import AuditEntry, Booking, ClassMembership, Feedback, TourSession
from models._common import local_now
from services import booking as booking_service
from services import feedback as feedback_service
from services import privacy
from services.feedback import FeedbackRefused
from tests.helpers import AuthActions, Factory

GOOD = {"rating": "4", "liked": "Цех сборки", "to_change": "Больше времени", "interest": "yes"}


@pytest.fixture
def make(any_db_app):
    return Factory()


def _client(app, user):
    client = app.test_client()
    AuthActions(client).login(user)
    return client


def _visit(booking: Booking, came: bool = True) -> Booking:
    """Move the booking's session into the past and mark who came, as its enterprise would."""
    session = db.session.get(TourSession, booking.session_id)
    session.starts_at = local_now() - timedelta(hours=2)
    session.booking_closes_at = session.starts_at
    db.session.commit()
    employer = session.tour.enterprise.staff[0].user
    return booking_service.mark_attendance(
        db.session.get(Booking, booking.id), employer, attended=came
    )


@pytest.fixture
def plant(any_db_app, make):
    """An enterprise with its employer and a tour; a student's visit and a class trip to it
    (neither marked yet); the counsellor's class holds the student."""
    enterprise = make.enterprise(name="Завод «Пример»")
    employer = make.employer(enterprise)
    tour = make.tour(enterprise=enterprise, title="Сборка котлов", min_age=None, group_max=30)
    student = make.user("student", display_name="Кот_Матроскин")
    counsellor = make.user("counsellor", display_name="Ольга Петровна")
    school_class = make.school_class(counsellor, name="8 Б")
    db.session.add(ClassMembership(school_class=school_class, student=student))
    db.session.commit()
    visit = booking_service.book_student(student, make.session(tour=tour).id).booking
    trip = booking_service.book_class(
        counsellor, school_class, make.session(tour=tour).id, 5, 1
    ).booking
    return {
        "enterprise": enterprise,
        "employer": employer,
        "tour": tour,
        "student": student,
        "counsellor": counsellor,
        "school_class": school_class,
        "visit": visit,
        "trip": trip,
    }


def _count(model=Feedback) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


# --- who may rate, and when -------------------------------------------------------------------


@pytest.mark.parametrize("state", ["confirmed", "no_show"])
def test_only_an_attended_visit_can_be_rated(any_db_app, plant, state):
    visit = plant["visit"]
    if state == "no_show":
        _visit(visit, came=False)
    client = _client(any_db_app, plant["student"])
    page = client.get(f"/me/visits/{visit.id}/feedback")
    assert page.status_code == 200
    assert "после неё, когда предприятие отметит" in page.get_data(as_text=True)
    assert 'name="rating"' not in page.get_data(as_text=True)
    response = client.post(f"/me/visits/{visit.id}/feedback", data=GOOD)
    assert response.status_code == 303
    assert _count() == 0
    with pytest.raises(FeedbackRefused) as refused:
        feedback_service.give(db.session.get(Booking, visit.id), plant["student"], 5)
    assert refused.value.code == "not_attended"


def test_a_student_rates_an_attended_visit_once(any_db_app, plant):
    visit = _visit(plant["visit"])
    client = _client(any_db_app, plant["student"])
    listing = client.get("/me/visits").get_data(as_text=True)
    assert "Оценить экскурсию" in listing and f"/me/visits/{visit.id}/feedback" in listing
    form = client.get(f"/me/visits/{visit.id}/feedback").get_data(as_text=True)
    assert 'name="rating"' in form and "Что бы вы изменили" in form

    response = client.post(f"/me/visits/{visit.id}/feedback", data=GOOD)
    assert response.status_code == 303 and response.location.endswith("/me/visits")
    saved = db.session.scalars(select(Feedback)).one()
    assert (saved.rating, saved.comment, saved.to_change) == (4, "Цех сборки", "Больше времени")
    assert saved.interest_changed is True and saved.author_id == plant["student"].id
    listing = client.get("/me/visits").get_data(as_text=True)
    assert "Ваш отзыв: 4 из 5" in listing and "Оценить экскурсию" not in listing

    again = client.post(
        f"/me/visits/{visit.id}/feedback", data=GOOD | {"rating": "1"}, follow_redirects=True
    )
    assert "оценить её можно один раз" in again.get_data(as_text=True)
    assert _count() == 1 and db.session.scalars(select(Feedback.rating)).one() == 4


def test_a_class_trip_is_rated_by_its_counsellor(any_db_app, plant):
    trip = _visit(plant["trip"])
    client = _client(any_db_app, plant["counsellor"])
    assert "Оценить экскурсию" in client.get(f"/counsellor/trips/{trip.id}").get_data(as_text=True)
    response = client.post(
        f"/counsellor/trips/{trip.id}/feedback", data={"rating": "5", "interest": "unsure"}
    )
    assert response.status_code == 303
    assert response.location.endswith(f"/counsellor/trips/{trip.id}")
    saved = db.session.scalars(select(Feedback)).one()
    assert (saved.rating, saved.comment, saved.interest_changed) == (5, "", None)
    page = client.get(f"/counsellor/trips/{trip.id}").get_data(as_text=True)
    assert "Ваш отзыв: 5 из 5" in page


def test_each_booking_has_one_author(any_db_app, plant, make):
    visit, trip = _visit(plant["visit"]), _visit(plant["trip"])
    # The class's student did not book the trip; the counsellor did not book the visit.
    for booking, user in (
        (trip, plant["student"]),
        (visit, plant["counsellor"]),
        (visit, make.user("student")),
    ):
        with pytest.raises(FeedbackRefused) as refused:
            feedback_service.give(booking, user, 5)
        assert refused.value.code == "not_yours"
    assert _count() == 0


def test_others_get_404(any_db_app, plant, make):
    visit, trip = _visit(plant["visit"]), _visit(plant["trip"])
    student = _client(any_db_app, make.user("student"))
    counsellor = _client(any_db_app, make.user("counsellor"))
    for client, url in (
        (student, f"/me/visits/{visit.id}/feedback"),
        (student, f"/me/visits/{trip.id}/feedback"),  # a class booking is not a student's own
        (counsellor, f"/counsellor/trips/{trip.id}/feedback"),
        (counsellor, f"/counsellor/trips/{visit.id}/feedback"),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, data=GOOD).status_code == 404
    assert _count() == 0


def test_a_double_submit_that_slips_past_the_check_is_refused(any_db_app, plant, monkeypatch):
    visit = _visit(plant["visit"])
    feedback_service.give(visit, plant["student"], 3)
    # As if a second request had checked before the first one wrote: the database says no.
    monkeypatch.setattr(feedback_service, "feedback_of", lambda booking: None)
    with pytest.raises(FeedbackRefused) as refused:
        feedback_service.give(db.session.get(Booking, visit.id), plant["student"], 5)
    assert refused.value.code == "already_given"
    assert db.session.scalars(select(Feedback.rating)).all() == [3]


def test_two_submits_at_once_store_one_feedback_and_no_500(shared_db_app):
    make = Factory()
    enterprise = make.enterprise()
    make.employer(enterprise)
    student = make.user("student")
    tour = make.tour(enterprise=enterprise, min_age=None)
    visit = _visit(booking_service.book_student(student, make.session(tour=tour).id).booking)
    url = f"/me/visits/{visit.id}/feedback"
    clients = [_client(shared_db_app, student) for _ in range(4)]
    # End the test's own transaction: on SQLite it would hold the lock the requests wait for.
    db.session.remove()
    start = threading.Barrier(len(clients))
    statuses = []

    def submit(client):
        start.wait()
        statuses.append(client.post(url, data=GOOD).status_code)

    threads = [threading.Thread(target=submit, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [303] * len(clients)
    db.session.expire_all()
    assert _count() == 1


# --- hostile input ----------------------------------------------------------------------------


@pytest.mark.parametrize("rating", ["6", "0", "abc", "-1", "4.5", None])
def test_a_rating_outside_1_to_5_is_refused_in_russian(any_db_app, plant, rating):
    visit = _visit(plant["visit"])
    data = {k: v for k, v in (GOOD | {"rating": rating}).items() if v is not None}
    response = _client(any_db_app, plant["student"]).post(
        f"/me/visits/{visit.id}/feedback", data=data
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Поставьте оценку от 1 до 5." in page and 'aria-invalid="true"' in page
    assert _count() == 0


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("liked", "Отлично\u202eьсолавон", "Уберите невидимые и управляющие символы"),
        ("to_change", "Ничего\u2066\u2069", "Уберите невидимые и управляющие символы"),
        ("liked", "а" * 5000, "Не длиннее 1000 знаков."),
        ("to_change", "б" * 1001, "Не длиннее 1000 знаков."),
        ("interest", "maybe", "Выберите один ответ."),
    ],
)
def test_hostile_text_is_refused_and_nothing_is_written(any_db_app, plant, field, text, message):
    trip = _visit(plant["trip"])
    response = _client(any_db_app, plant["counsellor"]).post(
        f"/counsellor/trips/{trip.id}/feedback", data=GOOD | {field: text}
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count() == 0


def test_a_plain_form_post_with_errors_comes_back_as_a_fragment_for_htmx(any_db_app, plant):
    visit = _visit(plant["visit"])
    client = _client(any_db_app, plant["student"])
    url = f"/me/visits/{visit.id}/feedback"
    bad = client.post(url, data={"liked": "x"}, headers={"HX-Request": "true"})
    assert bad.status_code == 422 and "HX-Request" in bad.headers["Vary"]
    assert "<html" not in bad.get_data(as_text=True) and 'id="rate"' in bad.get_data(as_text=True)
    good = client.post(url, data=GOOD, headers={"HX-Request": "true"})
    assert good.status_code == 200 and good.headers["HX-Redirect"] == "/me/visits"


# --- what the enterprise and counsellors read -------------------------------------------------


def _rated(make, plant, ratings, tour=None, **texts):
    """One attended individual visit per rating, each rated by its own student."""
    made = []
    for rating in ratings:
        student = make.user("student")
        session = make.session(tour=tour or plant["tour"])
        visit = _visit(booking_service.book_student(student, session.id).booking)
        made.append(feedback_service.give(visit, student, rating, **texts))
    return made


def test_averages_and_spread_on_a_known_set(any_db_app, plant, make):
    other_tour = make.tour(enterprise=plant["enterprise"], title="Литейный цех", min_age=None)
    _rated(make, plant, [5, 4, 4, 1])  # «Сборка котлов»: 14 / 4 = 3.5
    _rated(make, plant, [3], tour=other_tour)  # «Литейный цех»: 3
    elsewhere = make.enterprise()
    make.employer(elsewhere)
    _rated(make, plant, [1], tour=make.tour(enterprise=elsewhere, min_age=None))  # not counted
    overall = feedback_service.summary(plant["enterprise"].id)
    assert (overall.count, overall.average) == (5, pytest.approx(3.4))
    assert overall.distribution == {1: 1, 2: 0, 3: 1, 4: 2, 5: 1}

    page = _client(any_db_app, plant["employer"]).get("/employer/feedback").get_data(as_text=True)
    assert "Средняя оценка: 3,4 из 5" in page and "5 отзывов" in page
    literal, assembly = page.index("Литейный цех"), page.index("Сборка котлов")
    assert "Средняя оценка: 3,0 из 5" in page[literal:assembly]
    assert "Средняя оценка: 3,5 из 5" in page[assembly:]
    # The chart and its table carry the same numbers, 5 down to 1.
    assert 'data-chart-series=\'[{"label": "Отзывов", "values": [1, 2, 1, 0, 1]}]\'' in page
    assert '<th scope="row">4 из 5</th><td>2</td>' in page


def test_comments_never_name_their_authors(any_db_app, plant, make):
    student, counsellor = plant["student"], plant["counsellor"]
    feedback_service.give(_visit(plant["visit"]), student, 5, liked="Роботы-сварщики")
    feedback_service.give(_visit(plant["trip"]), counsellor, 4, to_change="Меньше лекций")
    employer_page = _client(any_db_app, plant["employer"]).get("/employer/feedback")
    other_class = make.school_class(counsellor, name="9 В")
    session = make.session(tour=plant["tour"])
    book_page = _client(any_db_app, counsellor).get(
        f"/counsellor/classes/{other_class.id}/sessions/{session.id}/book"
    )
    month = local_now().strftime("%Y")
    for page in (employer_page.get_data(as_text=True), book_page.get_data(as_text=True)):
        assert "Роботы-сварщики" in page and "Меньше лекций" in page
        assert "ученик" in page and "педагог класса" in page and month in page
        assert student.display_name not in page and student.email not in page
    assert "Средняя оценка: 4,5 из 5" in book_page.get_data(as_text=True)


def test_hidden_feedback_counts_but_its_text_is_not_shown(any_db_app, plant, make):
    kept, hidden = _rated(make, plant, [5, 1], liked="Видно всем")
    hidden.comment = "Грубость про экскурсовода"
    db.session.commit()
    feedback_service.report(hidden, plant["employer"], "Оскорбление")
    feedback_service.decide(hidden, "hide", make.user("admin"))
    assert feedback_service.summary(plant["enterprise"].id).average == pytest.approx(3.0)
    page = _client(any_db_app, plant["employer"]).get("/employer/feedback").get_data(as_text=True)
    assert "Грубость" not in page and "Видно всем" in page and "скрыт модератором" in page
    assert "Средняя оценка: 3,0 из 5" in page
    comments = feedback_service.summary(plant["enterprise"].id).comments
    assert [c.id for c in comments] == [kept.id]


def test_html_in_comments_is_shown_as_text(any_db_app, plant, make):
    _rated(make, plant, [2], liked='<script>alert("x")</script>', to_change="<b>жирно</b>")
    client = _client(any_db_app, plant["employer"])
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get("/employer/feedback", headers=headers)
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
        assert "<script>alert" not in page and "<b>жирно</b>" not in page
        assert "&lt;b&gt;жирно&lt;/b&gt;" in page


# --- reports and moderation -------------------------------------------------------------------


def test_only_the_enterprises_own_staff_report_its_feedback(any_db_app, plant, make):
    (feedback,) = _rated(make, plant, [1], liked="Скучно")
    url = f"/employer/feedback/{feedback.id}/report"
    stranger = _client(any_db_app, make.employer(make.enterprise()))
    assert stranger.post(url, data={"reason": "Неправда"}).status_code == 404
    assert "Скучно" not in stranger.get("/employer/feedback").get_data(as_text=True)
    pending = _client(any_db_app, make.employer(plant["enterprise"], state="pending"))
    assert pending.get("/employer/feedback").status_code == 404
    assert pending.post(url, data={"reason": "Неправда"}).status_code == 404
    db.session.expire_all()
    assert feedback.reported_at is None and not _audit("feedback.report")
    with pytest.raises(FeedbackRefused):
        feedback_service.report(feedback, make.employer(make.enterprise()), "Неправда")

    own = _client(any_db_app, plant["employer"])
    assert own.post(url, data={"reason": "Имя экскурсовода и телефон"}).status_code == 303
    db.session.expire_all()
    assert feedback.reported_at is not None and feedback.report_reason.startswith("Имя")
    (entry,) = _audit("feedback.report")
    assert entry.object_id == feedback.id and entry.actor_id == plant["employer"].id
    page = own.get("/employer/feedback").get_data(as_text=True)
    assert "ждёт решения" in page


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Напишите, что не так с отзывом."),
        ("   ", "Напишите, что не так с отзывом."),
        ("ж" * 301, "Не длиннее 300 знаков."),
        ("Спам\u200b", "Уберите невидимые и управляющие символы"),
    ],
)
def test_a_report_needs_a_plain_reason(any_db_app, plant, make, reason, message):
    (feedback,) = _rated(make, plant, [1], liked="Скучно")
    response = _client(any_db_app, plant["employer"]).post(
        f"/employer/feedback/{feedback.id}/report", data={"reason": reason}
    )
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    db.session.expire_all()
    assert feedback.reported_at is None


def test_regional_staff_keep_or_hide_reported_feedback(any_db_app, plant, make):
    first, second = _rated(make, plant, [2, 1], liked="Текст отзыва")
    employer, admin = plant["employer"], make.user("admin")
    for feedback in (first, second):
        feedback_service.report(feedback, employer, f"Жалоба {feedback.id}")
    client = _client(any_db_app, admin)
    queue = client.get("/admin/feedback").get_data(as_text=True)
    assert f"Жалоба {first.id}" in queue and f"Жалоба {second.id}" in queue

    assert client.post(f"/admin/feedback/{first.id}", data={"decision": "keep"}).status_code == 303
    assert client.post(f"/admin/feedback/{second.id}", data={"decision": "hide"}).status_code == 303
    assert client.post(f"/admin/feedback/{second.id}", data={"decision": "drop"}).status_code == 400
    db.session.expire_all()
    assert (first.reported_at, first.report_reason, first.hidden) == (None, "", False)
    assert second.hidden and second.reported_at is not None
    (kept,) = _audit("feedback.keep")
    (hid,) = _audit("feedback.hide")
    assert (kept.object_id, kept.actor_id, kept.details["reason"]) == (
        first.id,
        admin.id,
        f"Жалоба {first.id}",
    )
    assert (hid.object_id, hid.actor_id) == (second.id, admin.id)
    assert "Жалоб нет." in client.get("/admin/feedback").get_data(as_text=True)
    # A decision on feedback no longer waiting is refused, not applied twice.
    again = client.post(
        f"/admin/feedback/{first.id}", data={"decision": "hide"}, follow_redirects=True
    )
    assert "уже не ждёт решения" in again.get_data(as_text=True)
    db.session.expire_all()
    assert not first.hidden


# --- pages both ways, and the student's data --------------------------------------------------


def test_feedback_pages_answer_htmx_with_their_fragment(any_db_app, plant, make):
    visit, trip = _visit(plant["visit"]), _visit(plant["trip"])
    feedback_service.give(visit, plant["student"], 4, liked="Понравилось")
    feedback_service.report(feedback_service.feedback_of(visit), plant["employer"], "Проверьте")
    pages = [
        (plant["student"], f"/me/visits/{visit.id}/feedback", "Ваш отзыв: 4 из 5"),
        (plant["counsellor"], f"/counsellor/trips/{trip.id}/feedback", 'name="rating"'),
        (plant["employer"], "/employer/feedback", "Понравилось"),
        (make.user("admin"), "/admin/feedback", "Проверьте"),
    ]
    for user, url, text in pages:
        client = _client(any_db_app, user)
        page = client.get(url)
        assert page.status_code == 200 and "<html" in page.get_data(as_text=True)
        assert text in page.get_data(as_text=True)
        part = client.get(url, headers={"HX-Request": "true"})
        assert part.status_code == 200 and "HX-Request" in part.headers["Vary"]
        assert "<html" not in part.get_data(as_text=True) and text in part.get_data(as_text=True)


def test_the_students_data_holds_what_to_change_and_deletion_blanks_it(any_db_app, plant):
    student = plant["student"]
    visit = _visit(plant["visit"])
    feedback_service.give(
        visit, student, 4, liked="Станки", to_change="Дольше", interest_changed=True
    )
    (exported,) = privacy.export(student)["feedback"]
    assert (exported["comment"], exported["to_change"], exported["rating"]) == (
        "Станки",
        "Дольше",
        4,
    )
    privacy.delete_student(student, "student")
    db.session.expire_all()
    left = db.session.scalars(select(Feedback)).one()
    assert (left.author_id, left.comment, left.to_change, left.rating) == (None, "", "", 4)
