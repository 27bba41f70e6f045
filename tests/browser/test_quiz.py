"""The interest test in a real browser: screens swap in place, back and forth keep answers."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def _answer_screen(page, choice: str):
    """The first statement of a screen (area R) gets ``choice``; the others «Скорее нет»."""
    for n, fieldset in enumerate(page.locator("#quiz fieldset.quiz-item").all()):
        fieldset.get_by_label(choice if n == 0 else "Скорее нет").check()


def test_short_test_to_results_without_page_loads(page):
    page.goto("/quiz")
    page.get_by_role("button", name="Начать").click()
    page.wait_for_url("**/quiz/step/1")
    page.evaluate("window.__sameDocument = true")
    _answer_screen(page, "Очень нравится")
    page.get_by_role("button", name="Дальше →").click()
    page.wait_for_url("**/quiz/step/2")
    assert page.evaluate("window.__sameDocument") is True
    assert page.locator("#quiz h2").inner_text() == "Шаг 2 из 6"
    # Focus moved to the new screen's heading for keyboard and screen-reader users.
    assert page.evaluate("document.activeElement.id") == "quiz-step-title"

    page.get_by_role("button", name="← Назад").click()
    page.wait_for_url("**/quiz/step/1")
    assert page.locator("#quiz input[type=radio]:checked").count() == 6

    page.get_by_role("button", name="Дальше →").click()
    page.wait_for_url("**/quiz/step/2")
    for step in range(2, 6):
        _answer_screen(page, "Скорее да" if step % 2 else "Скорее нет")
        page.get_by_role("button", name="Дальше →").click()
        page.wait_for_url(f"**/quiz/step/{step + 1}")
    page.get_by_label("физика").check()
    page.get_by_label("Что вы любите делать?").fill("люблю собирать электронику")
    page.get_by_role("button", name="Показать результат").click()
    page.wait_for_url("**/recommendations")
    assert page.get_by_role("heading", name="Профессии для вас").is_visible()
    page.wait_for_function(
        "() => document.querySelector('canvas[data-chart]').dataset.drawn === '1'"
    )
    assert page.console_errors == []


def test_missing_answers_are_shown_at_each_statement(page):
    page.goto("/quiz")
    page.get_by_role("button", name="Начать").click()
    page.wait_for_url("**/quiz/step/1")
    page.locator("#quiz fieldset.quiz-item").first.get_by_label("Не знаю").check()
    page.get_by_role("button", name="Дальше →").click()
    page.get_by_text("Выберите ответ.").first.wait_for()
    assert page.get_by_text("Выберите ответ.").count() == 5
    assert page.url.endswith("/quiz/step/1")
