"""The employer's half of the loop, on a phone and at a desk: the employer puts a series of
sessions on the calendar, a counsellor books one for a class, the day comes and the employer
marks that the class came, posts an internship, regional staff publish it, a student of that
class (who asked for offers) finds it first on /vacancies and answers, and the employer reads
the answer — every page fitting the screen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import SchoolClass, TourProgramme, TourSession, User
from models._common import local_now

pytestmark = pytest.mark.browser

# Each run has its own enterprise, tour, class and student, so the two share the demo server.
RUNS = [
    {
        "width": 360,
        "mobile": True,
        "enterprise": "mobilnye-doma",
        "tour": "mobilnye-doma-ot-chertezha-do-modulya",
        "class": "DEMO28B",
        "student": "student16@demo.local",
        "title": "Стажировка для школьников: сборка каркаса",
    },
    {
        "width": 1280,
        "mobile": False,
        "enterprise": "zavod-imeni-degtyareva",
        "tour": "zid-muzey-istorii-zavoda",
        "class": "DEMO29V",
        "student": "student17@demo.local",
        "title": "Летняя стажировка в музее завода",
    },
]


def _fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") == width, page.url


def _sign_in(page, email):
    page.context.clear_cookies()
    page.goto("/auth/login")
    page.get_by_label("Электронная почта").fill(email)
    page.get_by_label("Пароль").fill("demo-password")
    page.get_by_role("button", name="Войти").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("run", RUNS, ids=["phone-360", "desktop"])
def test_a_series_a_class_visit_an_internship_and_a_students_answer(
    browser, live_server, live_application, run
):
    width = run["width"]
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": width, "height": 800},
        is_mobile=run["mobile"],
        has_touch=run["mobile"],
        locale="ru-RU",
    )
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))

    # The student asks for offers from the enterprises they visit.
    _sign_in(page, run["student"])
    page.goto("/me/")
    page.get_by_role("button", name="Присылать предложения").click()
    page.get_by_text("Будем присылать предложения").wait_for()
    _fits(page, width)

    # The employer: every Saturday at 15:45 for three weeks (holidays are skipped).
    _sign_in(page, f"employer@{run['enterprise']}.demo.local")
    page.goto("/employer/")
    page.get_by_role("link", name="Сеансы, записи и отметка посещений").click()
    page.get_by_role("button", name="Поставить сеансы").click()
    with live_application.app_context():
        programme = db.session.scalar(
            select(TourProgramme).where(TourProgramme.slug == run["tour"])
        )
        tour_id, tour_title = programme.id, programme.title
    page.get_by_label("Экскурсия").select_option(str(tour_id))
    page.get_by_label("Серия по дням недели").check()
    first = local_now().date() + timedelta(days=1)
    page.get_by_label("Дата (для серии — первый день)").fill(first.isoformat())
    page.get_by_label("Время начала").fill("15:45")
    page.get_by_label("суббота").check()
    page.get_by_label("Сколько недель (для серии)").fill("3")
    page.get_by_label("Мест на сеансе").fill("20")
    _fits(page, width)
    page.get_by_role("button", name="Поставить в расписание").click()
    page.get_by_text("Поставлено сеансов:").wait_for()
    _fits(page, width)
    with live_application.app_context():
        session = db.session.scalars(
            select(TourSession)
            .where(TourSession.tour_id == tour_id, TourSession.starts_at > local_now())
            .where(TourSession.capacity == 20)
            .order_by(TourSession.starts_at)
        ).first()
        assert session.starts_at.weekday() == 5 and session.starts_at.hour == 15
        session_id = session.id
        school_class = db.session.scalar(
            select(SchoolClass).where(SchoolClass.join_code == run["class"])
        )
        class_id, class_name = school_class.id, school_class.name
        counsellor = school_class.counsellor.email

    # The counsellor books that Saturday for the class.
    _sign_in(page, counsellor)
    page.goto(f"/counsellor/classes/{class_id}/sessions/{session_id}/book")
    page.get_by_label("Сколько учеников поедет").fill("10")
    page.get_by_label("Сколько взрослых с ними").fill("2")
    page.get_by_label("Пешком").check()
    page.get_by_role("button", name="Записать класс").click()
    page.get_by_role("heading", name=f"Поездка класса {class_name}").wait_for()
    _fits(page, width)

    # The day comes (the clock is moved, not waited for).
    with live_application.app_context():
        fresh = db.session.get(TourSession, session_id)
        fresh.starts_at = local_now() - timedelta(hours=2)
        fresh.booking_closes_at = fresh.starts_at
        db.session.commit()

    # The employer marks that the class came, then posts an internship after that tour.
    _sign_in(page, f"employer@{run['enterprise']}.demo.local")
    page.goto(f"/employer/sessions/{session_id}")
    row = page.get_by_role("row").filter(has_text=class_name)
    row.get_by_role("button", name="Пришли", exact=True).click()
    page.get_by_text("Отмечено: пришли.").wait_for()
    _fits(page, width)
    page.goto("/employer/offers")
    page.get_by_role("button", name="Новое предложение").click()
    page.get_by_label("Что предлагаете").select_option("internship")
    page.get_by_label("Название").fill(run["title"])
    page.get_by_label("Что делать, чему научат, что нужно уметь").fill(
        "Две недели рядом с наставником: смотрите, помогаете, пробуете сами."
    )
    page.get_by_label("Город").fill("Киржач")
    page.get_by_label("С какого возраста").fill("14")
    page.get_by_label("Часов в неделю").fill("12")
    page.get_by_label("Почему работа подходит несовершеннолетним").fill(
        "Лёгкий труд в учебном классе под присмотром наставника, без тяжестей и станков."
    )
    page.get_by_label("Работа не вредная").check()
    page.get_by_label("Для 14–15 лет").check()
    page.get_by_label("После каких экскурсий предлагать").select_option(str(tour_id))
    _fits(page, width)
    page.get_by_role("button", name="Отправить на проверку").click()
    page.get_by_text("Предложение отправлено на проверку координатору.").wait_for()
    offer_url = page.url

    # Regional staff publish it.
    _sign_in(page, "admin@demo.local")
    page.goto("/admin/offers")
    card = page.locator("article").filter(has_text=run["title"])
    card.get_by_role("button", name="Опубликовать").click()
    page.get_by_text("Предложение опубликовано.").wait_for()
    _fits(page, width)

    # The student finds it first, marked as theirs, and answers.
    _sign_in(page, run["student"])
    page.goto("/vacancies")
    first_offer = page.locator("ul.result-list > li").first
    assert run["title"] in first_offer.inner_text()
    assert "Для вас — после экскурсии" in first_offer.inner_text()
    _fits(page, width)
    first_offer.get_by_role("link", name=run["title"]).click()
    assert tour_title in page.locator("main").inner_text()
    page.get_by_label("Коротко о себе").fill("Был на экскурсии с классом, хочу попробовать летом.")
    page.get_by_role("button", name="Отправить отклик").click()
    page.get_by_text("Отклик отправлен.").wait_for()
    _fits(page, width)

    # The employer reads the answer.
    _sign_in(page, f"employer@{run['enterprise']}.demo.local")
    page.goto(offer_url)
    answers = page.locator("#responses-h + ul")
    with live_application.app_context():
        name = db.session.scalar(select(User.display_name).where(User.email == run["student"]))
    assert name in answers.inner_text()
    assert "хочу попробовать летом" in answers.inner_text()
    _fits(page, width)
    assert errors == []
    context.close()
