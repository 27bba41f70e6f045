"""axe-core finds no accessibility violations on the main pages, signed out and signed in."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
PUBLIC_PAGES = [
    "/",
    "/professions",
    "/professions?q=сварка&demand=high",
    "/professions/svarshchik",
    "/professions/compare?p=tokar&p=povar",
    "/enterprises",
    "/enterprises/rusklimat-iksel",
    "/tours",
    "/tours/1",
    "/vacancies",
    "/vacancies/1",
    "/quiz",
    "/recommendations",
    "/auth/login",
    "/auth/register/student",
    "/auth/reset",
    "/about/data",
    "/?lang=en",
]


@pytest.fixture
def axe_page(browser, live_server):
    # The site's CSP forbids inline scripts, so the test context lets axe in.
    context = browser.new_context(base_url=live_server, bypass_csp=True, locale="ru-RU")
    page = context.new_page()
    yield page
    context.close()


def violations(page) -> list[str]:
    page.add_script_tag(content=AXE)
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => `${v.id} (${v.impact}): ${v.nodes[0].target.join(' ')}`)"
    )
    return found


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_have_no_violations(axe_page, path):
    axe_page.goto(path)
    assert violations(axe_page) == []


def test_forms_with_errors_and_signed_in_pages_have_no_violations(axe_page):
    axe_page.goto("/auth/register/student")
    axe_page.get_by_role("button", name="Создать учётную запись").click()
    axe_page.get_by_text("Обязательное поле.").first.wait_for()
    assert violations(axe_page) == []
    axe_page.goto("/auth/login")
    axe_page.get_by_label("Электронная почта").fill("counsellor1@demo.local")
    axe_page.get_by_label("Пароль").fill("demo-password")
    axe_page.get_by_role("button", name="Войти").click()
    axe_page.get_by_role("heading", name="Мои классы").wait_for()
    assert violations(axe_page) == []
    axe_page.goto("/quiz")
    axe_page.get_by_role("button", name="Начать").click()
    axe_page.wait_for_url("**/quiz/step/1")
    assert violations(axe_page) == []
    axe_page.goto("/notifications")
    assert violations(axe_page) == []
    axe_page.goto("/auth/account")
    axe_page.get_by_role("button", name="Сменить пароль").click()  # the form with its errors
    axe_page.get_by_text("Обязательное поле.").first.wait_for()
    assert violations(axe_page) == []


def test_a_students_booking_pages_have_no_violations(axe_page):
    axe_page.goto("/auth/login")
    axe_page.get_by_label("Электронная почта").fill("student12@demo.local")
    axe_page.get_by_label("Пароль").fill("demo-password")
    axe_page.get_by_role("button", name="Войти").click()
    axe_page.goto("/tours/1")
    assert violations(axe_page) == []
    button = axe_page.locator("#sessions").get_by_role("button").first
    button.click()
    axe_page.locator("#sessions [role=status]").wait_for()
    assert violations(axe_page) == []  # after the htmx swap
    axe_page.goto("/me/visits")
    assert violations(axe_page) == []


def test_the_counsellors_planner_pages_have_no_violations(axe_page):
    axe_page.goto("/auth/login")
    axe_page.get_by_label("Электронная почта").fill("counsellor1@demo.local")
    axe_page.get_by_label("Пароль").fill("demo-password")
    axe_page.get_by_role("button", name="Войти").click()
    axe_page.get_by_role("heading", name="Мои классы").wait_for()
    for path in (
        "/counsellor/classes/2",
        "/counsellor/classes/2/tours",
        "/counsellor/classes/2/hours",
        "/tours?seats=20&grade=8",
    ):
        axe_page.goto(path)
        assert violations(axe_page) == [], path
    axe_page.goto("/counsellor/classes/2/tours")
    axe_page.locator(".session-choices a").first.click()
    axe_page.get_by_role("heading", name="Записать класс 8 Б").wait_for()
    assert violations(axe_page) == []
    axe_page.get_by_label("Сколько учеников поедет").fill("21")
    axe_page.get_by_label("Сколько взрослых с ними").fill("0")
    axe_page.get_by_label("Автобусом (заказной или школьный)").check()
    axe_page.get_by_role("button", name="Записать класс").click()
    axe_page.locator("#bus-warning").wait_for()
    assert violations(axe_page) == []  # the refused form with its errors and the bus warning


EMPLOYER_PAGES = [
    "/employer/",
    "/employer/sessions",
    "/employer/sessions/new",
    "/employer/offers",
    "/employer/offers/1",
    "/employer/programmes",
    "/employer/profile",
    "/employer/team",
    "/employer/feedback",
    "/employer/stats",
]


def test_an_employers_pages_and_forms_with_errors_have_no_violations(axe_page):
    axe_page.goto("/auth/login")
    axe_page.get_by_label("Электронная почта").fill("employer@rusklimat-iksel.demo.local")
    axe_page.get_by_label("Пароль").fill("demo-password")
    axe_page.get_by_role("button", name="Войти").click()
    axe_page.wait_for_url("**/employer/")
    for path in EMPLOYER_PAGES:
        axe_page.goto(path)
        assert violations(axe_page) == [], path
    axe_page.goto("/employer/offers/new")
    axe_page.get_by_role("button", name="Отправить на проверку").click()
    axe_page.get_by_text("Проверьте поля, отмеченные ниже.").wait_for()
    assert violations(axe_page) == []
    axe_page.goto("/employer/sessions/new")
    axe_page.get_by_role("button", name="Поставить в расписание").click()
    axe_page.locator(".field-error").first.wait_for()
    assert violations(axe_page) == []
