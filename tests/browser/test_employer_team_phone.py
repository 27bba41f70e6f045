"""The team and programme pages at a phone's width: nothing scrolls sideways at 320 and 360 px,
the invitation page fits too, the professions' search box filters the check boxes (with
JavaScript; without it the groups open one by one), and axe-core finds no violations."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import outbox

pytestmark = pytest.mark.browser

EMPLOYER = "employer@rusklimat-iksel.demo.local"
PAGES = [
    "/employer/team",
    "/employer/programmes",
    "/employer/programmes/new",
    "/employer/programmes/1/edit",
]


AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")


def _signed_in(browser, live_server, width, email=EMPLOYER, **extra):
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": width, "height": 740},
        is_mobile=True,
        has_touch=True,
        locale="ru-RU",
        **extra,
    )
    page = context.new_page()
    page.goto("/auth/login")
    page.get_by_label("Электронная почта").fill(email)
    page.get_by_label("Пароль").fill("demo-password")
    page.get_by_role("button", name="Войти").click()
    page.get_by_role("button", name="Выйти", exact=True).wait_for()
    return context, page


def _fits(page, width: int, path: str) -> None:
    geometry = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert geometry == {"scroll": width, "inner": width}, f"{path} scrolls sideways: {geometry}"


@pytest.mark.parametrize("width", [320, 360])
def test_team_and_programme_pages_fit_a_phone(browser, live_server, width):
    context, page = _signed_in(browser, live_server, width)
    for path in PAGES:
        response = page.goto(path)
        assert response.status == 200, path
        _fits(page, width, path)
    context.close()


def test_the_profession_search_filters_the_boxes(browser, live_server):
    context, page = _signed_in(browser, live_server, 360)
    page.goto("/employer/programmes/new")
    search = page.get_by_label("Найти профессию")
    search.fill("свар")
    shown = page.locator("#professions-box details label:visible").all_inner_texts()
    assert shown and all("свар" in text.lower() for text in shown)
    search.fill("")
    assert page.locator("#professions-box details:visible").count() > 1
    context.close()


@pytest.mark.parametrize("width", [320, 360])
def test_the_invitation_page_fits_a_phone(browser, live_server, live_application, width):
    context, page = _signed_in(browser, live_server, width)
    page.goto("/employer/team")
    email = f"novyy-sotrudnik-{width}@example.com"
    page.get_by_label("Электронная почта сотрудника").fill(email)
    page.get_by_label("Должность").fill("Инженер по охране труда")
    page.get_by_role("button", name="Отправить приглашение").click()
    page.get_by_text(f"Приглашение отправлено на {email}").wait_for()
    _fits(page, width, "/employer/team")
    mail = [m for m in outbox(live_application) if m.to == email][-1]
    link = re.search(r"(/employer/invite/\S+)", mail.body).group(1)
    visitor = context.browser.new_context(
        base_url=live_server, viewport={"width": width, "height": 740}, locale="ru-RU"
    )
    tab = visitor.new_page()
    assert tab.goto(link).status == 200
    _fits(tab, width, link)
    visitor.close()
    context.close()


def test_the_pages_and_a_form_with_errors_have_no_axe_violations(browser, live_server):
    # The site's CSP forbids inline scripts, so this context lets axe in.
    context, page = _signed_in(browser, live_server, 360, bypass_csp=True)
    axe = (
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => `${v.id} (${v.impact}): ${v.nodes[0].target.join(' ')}`)"
    )
    for path in [*PAGES, "errors"]:
        if path == "errors":
            page.goto("/employer/programmes/new")
            page.get_by_role("button", name="Отправить на проверку").click()
            page.get_by_text("Проверьте поля, отмеченные ниже.").wait_for()
        else:
            page.goto(path)
        page.add_script_tag(content=AXE)
        assert page.evaluate(axe) == [], path
    context.close()
