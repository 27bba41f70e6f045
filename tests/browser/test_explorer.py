"""Active search in a real browser: results change as you type, the back button restores them."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def _first_titles(page, n=3):
    return page.locator("#results h2 a").all_inner_texts()[:n]


def test_typing_updates_results_without_a_page_load_and_back_restores(page):
    page.goto("/professions")
    page.evaluate("window.__sameDocument = true")  # lost if the browser loads a new page
    before = _first_titles(page)

    page.locator("#q").press_sequentially("сварка", delay=30)
    page.wait_for_url("**/professions?q=*")
    page.locator("#results").get_by_role("link", name="Сварщик").wait_for()
    assert page.evaluate("window.__sameDocument") is True
    assert "q=%D1%81%D0%B2%D0%B0%D1%80%D0%BA%D0%B0" in page.url
    assert page.locator("#live").inner_text().startswith("Найден")

    page.locator("#q").fill("повар")
    page.locator("#q").dispatch_event("input")
    page.locator("#results").get_by_role("link", name="Повар", exact=True).wait_for()
    assert page.locator("#q").input_value() == "повар"  # the snapshot did not touch the box

    page.go_back()
    page.locator("#results").get_by_role("link", name="Сварщик").wait_for()
    assert page.locator("#q").input_value() == "сварка"
    page.go_back()
    page.wait_for_function("() => !location.search")
    page.locator("#results h2 a").first.wait_for()
    assert _first_titles(page) == before


def test_a_copied_search_link_opens_as_a_full_page(page, live_server):
    page.goto("/professions?q=%D0%BF%D0%BE%D0%B2%D0%B0%D1%80&sphere=food")
    assert page.locator("h1").inner_text() == "Профессии"
    assert page.locator("#q").input_value() == "повар"
    assert page.locator("select[name=sphere]").input_value() == "food"
    assert page.locator("#results").get_by_role("link", name="Повар", exact=True).is_visible()


def test_show_more_appends_the_next_page(page):
    page.goto("/professions?sort=title")
    assert page.locator("#result-list > li").count() == 20
    page.get_by_role("button", name="Показать ещё").click()
    page.wait_for_function("() => document.querySelectorAll('#result-list > li').length === 40")
    assert "Страница 2" in page.locator("#pager").inner_text()


def test_filters_apply_on_change(page):
    page.goto("/professions")
    page.get_by_text("Фильтры и сортировка").click()
    page.locator("select[name=demand]").select_option("low")
    page.wait_for_url("**demand=low**")
    assert page.locator("#results .badge").first.inner_text() == "низкий спрос"


def test_compare_page_draws_the_chart(page):
    page.goto("/professions/compare?p=tokar&p=programmist")
    page.wait_for_function(
        "() => document.querySelector('canvas[data-chart]').dataset.drawn === '1'"
    )
    assert page.console_errors == []


def test_search_works_with_javascript_off(browser, live_server):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    tab = context.new_page()
    tab.goto("/professions")
    tab.locator("#q").fill("сварка")
    tab.get_by_role("button", name="Найти").click()
    tab.wait_for_url("**q=**")
    assert "Сварщик" in tab.locator("#results").inner_text()
    context.close()
