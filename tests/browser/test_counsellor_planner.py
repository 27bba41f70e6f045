"""A counsellor, on a phone and at a desk: opens the class, sees its interests in aggregate,
picks a recommended tour, books a session for the class, downloads the trip sheet and the
order draft — every page fitting the screen."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from docx import Document

pytestmark = pytest.mark.browser

# (width, mobile emulation, which recommended tour to pick): the two runs share the demo
# server, so the desk books another tour than the phone did.
RUNS = [(360, True, 0), (1280, False, 1)]


def _fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") == width, page.url


@pytest.mark.parametrize(("width", "mobile", "pick"), RUNS, ids=["phone-360", "desktop"])
def test_a_counsellor_books_a_recommended_tour_for_the_class_and_gets_the_papers(
    browser, live_server, width, mobile, pick
):
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": width, "height": 800},
        is_mobile=mobile,
        has_touch=mobile,
        locale="ru-RU",
        accept_downloads=True,
    )
    page = context.new_page()
    errors = []
    # The refused form comes back as a 422 on purpose; Chromium logs that as an error.
    page.on(
        "console",
        lambda m: m.type == "error" and "status of 422" not in m.text and errors.append(m.text),
    )
    page.goto("/auth/login")
    page.get_by_label("Электронная почта").fill("counsellor1@demo.local")
    page.get_by_label("Пароль").fill("demo-password")
    page.get_by_role("button", name="Войти").click()
    page.get_by_role("link", name="Мои классы").first.click()

    # The class: joined and expected apart, the picture as a chart and a table.
    page.get_by_role("link", name="8 Б").click()
    page.get_by_role("heading", name="Класс 8 Б").wait_for()
    assert "Вступили: 12" in page.locator(".class-counts").inner_text()
    page.locator("figure.chart.drawn canvas#class-riasec").wait_for()
    table = page.get_by_role("table").filter(has_text="Самая сильная у")
    assert "меньше 5" in table.inner_text()  # small counts are held back
    _fits(page, width)

    # The planner: tours ranked for the class; pick one, then one of its dates.
    page.get_by_role("button", name="Подобрать экскурсии для класса").click()
    page.get_by_role("heading", name="Подходящие экскурсии").wait_for()
    _fits(page, width)
    tour = page.locator("ol.recommendations > li").nth(pick)
    title = tour.locator("h3 a").inner_text()
    assert "Подходит ученикам:" in tour.inner_text()
    tour.locator(".session-choices a").first.click()

    # The booking form starts with the class's students and the adults the rule asks.
    page.get_by_role("heading", name="Записать класс 8 Б").wait_for()
    assert page.get_by_label("Сколько учеников поедет").input_value() == "12"
    _fits(page, width)
    page.get_by_label("Сколько взрослых с ними").fill("0")
    page.get_by_label("Пешком").check()
    page.get_by_role("button", name="Записать класс").click()
    error = page.locator("#adults-error")
    error.wait_for()
    assert "Нужен один взрослый" in error.inner_text()  # next to the field it concerns
    page.get_by_label("Сколько взрослых с ними").fill("2")
    page.get_by_label("Сопровождающие взрослые").fill("Петрова Ольга Ивановна\nСидоров И. П.")
    page.get_by_role("button", name="Записать класс").click()

    # The trip: booked, with the school's papers.
    page.get_by_role("heading", name="Поездка класса 8 Б").wait_for()
    assert "Записаны" in page.locator(".trip-state").inner_text()
    assert title in page.locator("main").inner_text()
    _fits(page, width)
    trip_url = page.url
    page.get_by_role("link", name="Памятка поездки (для печати)").click()
    page.get_by_role("heading", name="Памятка поездки").wait_for()
    assert "Петрова Ольга Ивановна" in page.locator("article.paper").inner_text()
    assert page.get_by_role("button", name="Распечатать").is_visible()
    _fits(page, width)
    page.emulate_media(media="print")
    assert not page.locator("header.site-header").is_visible()  # on paper: the paper alone
    page.emulate_media(media="screen")

    for paper in ("consent", "briefing"):
        page.goto(f"{trip_url}/{paper}")
        _fits(page, width)

    page.goto(trip_url)
    with page.expect_download() as download:
        page.get_by_role("link", name="Проект приказа об экскурсии (DOCX)").click()
    saved = Path(download.value.path())
    assert re.fullmatch(r"prikaz-\d{4}-\d{2}-\d{2}\.docx", download.value.suggested_filename)
    text = "\n".join(p.text for p in Document(io.BytesIO(saved.read_bytes())).paragraphs)
    assert "ПРИКАЗ" in text and f"«{title}»" in text and "Петрова Ольга Ивановна" in text
    assert errors == []
    context.close()
