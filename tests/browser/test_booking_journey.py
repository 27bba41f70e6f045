"""A student on a phone: takes the test, books a recommended tour, finds it in «Мои экскурсии»,
puts it in a calendar and cancels it; on a tour's page the seats change as they book."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from icalendar import Calendar

pytestmark = pytest.mark.browser


def _phone(browser, live_server, **extra):
    return browser.new_context(
        base_url=live_server,
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        locale="ru-RU",
        **extra,
    )


def _sign_in(page, email):
    page.goto("/auth/login")
    page.get_by_label("Электронная почта").fill(email)
    page.get_by_label("Пароль").fill("demo-password")
    page.get_by_role("button", name="Войти").click()
    page.get_by_role("button", name="Выйти", exact=True).wait_for()


def _take_the_short_test(page):
    page.goto("/quiz")
    page.get_by_role("button", name="Начать").click()
    for step in range(1, 6):
        page.wait_for_url(f"**/quiz/step/{step}")
        for n, item in enumerate(page.locator("#quiz fieldset.quiz-item").all()):
            item.get_by_label("Очень нравится" if n == 0 else "Скорее нет").check()
        page.get_by_role("button", name="Дальше →").click()
    page.wait_for_url("**/quiz/step/6")
    page.get_by_label("физика").check()
    page.get_by_label("Что вы любите делать? Напишите своими словами").fill(
        "люблю варить металл и собирать станки"
    )
    page.get_by_role("button", name="Показать результат").click()
    page.wait_for_url("**/recommendations")


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") == 360


def test_a_student_books_a_recommended_tour_and_cancels_it(browser, live_server):
    context = _phone(browser, live_server, accept_downloads=True)
    page = context.new_page()
    _sign_in(page, "student03@demo.local")
    _take_the_short_test(page)
    _no_sideways_scroll(page)
    tours = page.locator("section[aria-labelledby=tours-h] ol > li")
    assert tours.count() > 0
    booked_title = None
    for n in range(tours.count()):  # a tour may refuse (its grade rule); it says why
        item = tours.nth(n)
        item.get_by_role("button", name="Записаться").click()
        item.locator("[role=status]").wait_for()
        if "Вы записаны" in item.inner_text():
            booked_title = item.get_by_role("heading").inner_text()
            break
        assert item.locator(".error-message").inner_text().strip()
    assert booked_title, "no recommended tour could be booked"

    page.get_by_role("link", name="Мои экскурсии").first.click()
    page.wait_for_url("**/me/visits")
    _no_sideways_scroll(page)
    upcoming = page.locator("section[aria-labelledby=upcoming-h]")
    assert booked_title in upcoming.inner_text() and "Вы записаны." in upcoming.inner_text()

    with page.expect_download() as download:
        upcoming.get_by_role("link", name="Добавить в календарь (.ics)").first.click()
    calendar = Calendar.from_ical(Path(download.value.path()).read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == f"Экскурсия: {booked_title}"
    assert str(event["DTSTART"].dt.tzinfo) == "Europe/Moscow"
    assert calendar.walk("VTIMEZONE") and str(event["LOCATION"])

    upcoming.get_by_role("button", name="Отменить запись").first.click()
    page.get_by_text("Запись отменена.").first.wait_for()
    past = page.locator("section[aria-labelledby=past-h]")
    assert booked_title in past.inner_text()
    context.close()


def test_seats_on_the_tour_page_change_as_a_student_books(browser, live_server):
    context = _phone(browser, live_server)
    page = context.new_page()
    _sign_in(page, "student06@demo.local")
    page.goto("/tours")
    page.locator("#tour-list h2 a").first.click()
    rows = page.locator("#sessions tbody tr")
    row = rows.filter(has=page.get_by_role("button", name="Записаться")).first
    date = row.locator("time").get_attribute("datetime")
    before = int(re.match(r"(\d+) из", row.locator("td").nth(1).inner_text()).group(1))
    page.evaluate("window.__samePage = true")
    row.get_by_role("button", name="Записаться").click()
    page.locator("#sessions [role=status]").wait_for()
    assert page.evaluate("window.__samePage") is True  # swapped in place, no page load
    row = page.locator("#sessions tbody tr").filter(has=page.locator(f"time[datetime='{date}']"))
    status = page.locator("#sessions [role=status]").inner_text()
    if "Вы записаны" in status:
        assert row.get_by_text("Вы записаны").is_visible()
        after = int(re.match(r"(\d+) из|", row.locator("td").nth(1).inner_text()).group(1) or 0)
        assert after == before - 1
    else:  # refused by the programme's rules: the reason is shown, nothing changed
        assert page.locator("#sessions .error-message").inner_text().strip()
    _no_sideways_scroll(page)
    context.close()


def test_booking_works_with_javascript_off(browser, live_server):
    context = _phone(browser, live_server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/auth/login")
    page.get_by_label("Электронная почта").fill("student09@demo.local")
    page.get_by_label("Пароль").fill("demo-password")
    page.get_by_role("button", name="Войти").click()
    page.goto("/tours")
    page.locator("#tour-list h2 a").nth(1).click()
    page.locator("#sessions").get_by_role("button", name="Записаться").first.click()
    message = page.locator(".flash").first
    message.wait_for()
    assert "Вы записаны" in message.inner_text() or "класса" in message.inner_text()
    context.close()
