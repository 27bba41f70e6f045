"""A person with a real browser: the home page, the language switch, signing in and out."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_home_page_loads_with_styles_and_htmx_and_no_console_errors(page):
    page.goto("/")
    assert page.locator("h1").inner_text().startswith("Найди профессию")
    assert page.evaluate("typeof window.htmx") == "object"
    # Pico's styles applied: the body font is not the browser default serif.
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != "serif"
    assert page.console_errors == []


def test_language_switch_to_english_and_back(page):
    page.goto("/professions")
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Professions"
    page.get_by_role("link", name="Русский").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Профессии"


def test_counsellor_signs_in_sees_classes_and_signs_out(page):
    page.goto("/auth/login")
    page.get_by_label("Электронная почта").fill("counsellor1@demo.local")
    page.get_by_label("Пароль").fill("demo-password")
    page.get_by_role("button", name="Войти").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Мои классы"
    assert page.get_by_text("DEMO17A").is_visible()
    page.get_by_role("button", name="Выйти", exact=True).click()
    assert page.get_by_text("Вы вышли из учётной записи.").is_visible()


def test_skip_link_moves_focus_to_main(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
