"""Every page type at a phone's width (320 and 360 px, with and without mobile emulation) and at
a desktop's: nothing scrolls sideways, the navigation is all there, tap targets are big enough,
and the explorer's search box works when typed into key by key."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# (width, mobile emulation): a phone as Chromium emulates it (the layout viewport grows to fit
# content that overflows, so overflow shows as innerWidth > width), a plain narrow window, and a
# desktop.
VIEWPORTS = [(320, True), (360, True), (360, False), (1280, False)]
VIEWPORT_IDS = [f"{w}{'-mobile' if m else ''}" for w, m in VIEWPORTS]

PUBLIC_PAGES = [
    "/",
    "/professions",
    "/professions?q=сварка&sphere=industry&demand=high&subject=physics",
    "/professions/svarshchik",
    "/professions/compare?p=tokar&p=programmist&p=povar",
    "/professions/compare",
    "/professions/saved",
    "/quiz",
    "/recommendations",
    "/enterprises",
    "/enterprises/rusklimat-iksel",
    "/tours",
    "/tours?page=2",
    "/tours?seats=20&grade=8&price=free&date_from=2026-01-01",
    "/tours/1",
    "/tours/1/sessions",
    "/vacancies",
    "/vacancies/1",
    "/vacancies?kind=internship&age=15&town=Киржач",
    "/auth/login",
    "/auth/register",
    "/auth/register/student",
    "/auth/register/employer",
    "/auth/reset",
    "/about/data",
    "/no-such-page",
]
# Each role's own pages, opened after signing in through the form.
SIGNED_IN_PAGES = {
    "student01@demo.local": [
        "/me/",
        "/professions/svarshchik",
        "/tours/1",
        "/me/visits",
        "/me/responses",
        "/vacancies",
        "/vacancies/1",
        "/auth/account",
    ],
    "counsellor1@demo.local": [
        "/counsellor/",
        "/notifications",
        "/counsellor/classes/2",
        "/counsellor/classes/2/tours",
        "/counsellor/classes/2/hours",
        "/counsellor/classes/2/hours/1",
    ],
    "employer@rusklimat-iksel.demo.local": [
        "/employer/",
        "/employer/sessions",
        "/employer/sessions/new",
        "/employer/offers",
        "/employer/offers/new",
        "/employer/offers/1",
        "/employer/programmes",
        "/employer/programmes/new",
        "/employer/profile",
        "/employer/team",
        "/employer/feedback",
        "/employer/stats",
    ],
    "admin@demo.local": ["/admin/", "/admin/offers", "/admin/revisions", "/admin/feedback"],
}
NAV_LINKS = {
    "ru": ("Основная навигация", ["Профессии", "Тест", "Экскурсии", "Предприятия", "Вакансии"]),
    "en": ("Main navigation", ["Professions", "Test", "Tours", "Enterprises", "Vacancies"]),
}

# Interactive elements outside running text: each must offer a 24 × 24 px target (a check box
# or radio button counts with its label, which takes the tap too).
TARGETS_JS = """
() => {
  const small = [];
  const seen = new Set();
  const candidates = document.querySelectorAll(
    'header a, nav a, button, select, summary, input:not([type=hidden]), [role=button], .pager a');
  for (const el of candidates) {
    let box = el;
    const label = el.closest('label');
    if ((el.type === 'checkbox' || el.type === 'radio') && label) box = label;
    if (seen.has(box)) continue;
    seen.add(box);
    const r = box.getBoundingClientRect();
    const style = getComputedStyle(box);
    if (r.width === 0 || style.visibility === 'hidden' || style.display === 'none') continue;
    const text = (box.innerText || box.name || '').trim().slice(0, 30);
    const size = `${Math.round(r.width)}×${Math.round(r.height)}`;
    if (r.width < 24 || r.height < 24) small.push(`${box.tagName.toLowerCase()} "${text}" ${size}`);
  }
  return small;
}
"""


def _context(browser, live_server, width, mobile, **extra):
    return browser.new_context(
        base_url=live_server,
        viewport={"width": width, "height": 740},
        is_mobile=mobile,
        has_touch=mobile,
        locale="ru-RU",
        **extra,
    )


def _check_layout(page, width: int, path: str, lang: str = "ru") -> None:
    page.goto(path)
    geometry = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert geometry == {"scroll": width, "inner": width}, f"{path} scrolls sideways: {geometry}"
    label, names = NAV_LINKS[lang]
    nav = page.get_by_role("navigation", name=label)
    for name in names:
        link = nav.get_by_role("link", name=name, exact=True)
        assert link.is_visible(), f"{path}: «{name}» is hidden"
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{path}: «{name}» off screen"
    assert page.evaluate(TARGETS_JS) == [], f"{path}: tap targets under 24 × 24 px"


@pytest.mark.parametrize(("width", "mobile"), VIEWPORTS, ids=VIEWPORT_IDS)
def test_public_pages_fit_the_screen(browser, live_server, width, mobile):
    context = _context(browser, live_server, width, mobile)
    page = context.new_page()
    for path in PUBLIC_PAGES:
        _check_layout(page, width, path)
        account = page.get_by_role("navigation", name="Учётная запись и язык")
        for name in ("Войти", "Регистрация", "English"):
            assert account.get_by_role("link", name=name).is_visible(), f"{path}: «{name}»"
    # The English pages have longer words in places; they must fit as well.
    for path in ("/?lang=en", "/professions", "/professions/svarshchik", "/tours"):
        _check_layout(page, width, path, lang="en")
        account = page.get_by_role("navigation", name="Account and language")
        for name in ("Log in", "Sign up", "Русский"):
            assert account.get_by_role("link", name=name).is_visible(), f"{path}: «{name}»"
    context.close()


@pytest.mark.parametrize(("width", "mobile"), VIEWPORTS, ids=VIEWPORT_IDS)
@pytest.mark.parametrize("email", sorted(SIGNED_IN_PAGES))
def test_signed_in_pages_fit_the_screen(browser, live_server, width, mobile, email):
    context = _context(browser, live_server, width, mobile)
    page = context.new_page()
    page.goto("/auth/login")
    page.get_by_label("Электронная почта").fill(email)
    page.get_by_label("Пароль").fill("demo-password")
    page.get_by_role("button", name="Войти").click()
    page.get_by_role("button", name="Выйти", exact=True).wait_for()
    for path in SIGNED_IN_PAGES[email]:
        _check_layout(page, width, path)
        assert page.get_by_role("button", name="Выйти", exact=True).is_visible()
    context.close()


@pytest.mark.parametrize("mobile", [True, False], ids=["mobile", "narrow"])
def test_explorer_filters_open_stack_and_fit(browser, live_server, mobile):
    context = _context(browser, live_server, 360, mobile)
    page = context.new_page()
    page.goto("/professions")
    page.get_by_text("Фильтры и сортировка").click()
    search = page.locator("#q").bounding_box()
    assert search["width"] >= 200, "the search box keeps most of the row"
    for name in ("sphere", "education", "demand", "riasec", "sort"):
        box = page.locator(f"select[name={name}]").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert page.evaluate("document.documentElement.scrollWidth") == 360
    context.close()


@pytest.mark.parametrize("mobile", [True, False], ids=["mobile", "narrow"])
def test_typing_svar_key_by_key_at_360_finds_the_welder(browser, live_server, mobile):
    context = _context(browser, live_server, 360, mobile)
    page = context.new_page()
    page.goto("/professions")
    box = page.locator("#q")
    assert box.bounding_box()["width"] >= 200
    box.click()
    for key in "свар":
        page.keyboard.type(key, delay=80)
    assert box.input_value() == "свар"
    page.wait_for_url("**/professions?q=%D1%81%D0%B2%D0%B0%D1%80*")
    page.locator("#results").get_by_role("link", name="Сварщик").wait_for()
    assert page.locator("#results h2 a").first.inner_text() == "Сварщик"
    context.close()


def test_typing_svar_with_javascript_off_at_360(browser, live_server):
    context = _context(browser, live_server, 360, True, java_script_enabled=False)
    page = context.new_page()
    page.goto("/professions")
    page.locator("#q").click()
    for key in "свар":
        page.keyboard.type(key, delay=50)
    assert page.locator("#q").input_value() == "свар"
    page.keyboard.press("Enter")
    page.wait_for_url("**q=**")
    assert page.locator("#results h2 a").first.inner_text() == "Сварщик"
    context.close()


def test_a_wide_table_says_it_scrolls_and_scrolls_in_its_box(browser, live_server):
    context = _context(browser, live_server, 360, True)
    page = context.new_page()
    page.goto("/professions/compare?p=tokar&p=programmist&p=povar")
    assert page.get_by_text("Таблица шире экрана — прокрутите её вбок →").is_visible()
    scroller = page.get_by_role("region", name="Сравнение профессий")
    sizes = scroller.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert sizes[0] > sizes[1]  # the table is wider than its box, and the box fits the screen
    scroller.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.table-scroll').scrollLeft > 0")
    # At a desktop width the same table fits and the line is gone.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.wait_for_function("() => document.querySelector('.scroll-hint').hidden")
    context.close()


def test_the_quiz_scale_is_one_row_of_five_on_a_phone(browser, live_server):
    context = _context(browser, live_server, 320, True)
    page = context.new_page()
    page.goto("/quiz")
    page.get_by_role("button", name="Начать").click()
    page.wait_for_url("**/quiz/step/1")
    first = page.locator("fieldset.quiz-item").first
    tops = first.locator(".scale label").evaluate_all(
        "labels => labels.map(l => Math.round(l.getBoundingClientRect().top))"
    )
    assert len(tops) == 5 and len(set(tops)) == 1, f"the five answers wrap: {tops}"
    context.close()


def test_the_focused_skip_link_does_not_cover_the_brand(browser, live_server):
    context = _context(browser, live_server, 360, True)
    page = context.new_page()
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Перейти к содержанию").bounding_box()
    brand = page.get_by_role("link", name="Профмаршрут", exact=True).bounding_box()
    assert skip["y"] + skip["height"] <= brand["y"], "the skip link overlaps the brand"
    context.close()


def test_long_words_in_titles_do_not_break(browser, live_server, seeded_db_file):
    import sqlite3

    title = "Сварка и неразрушающий контроль"
    with sqlite3.connect(seeded_db_file) as conn:
        (tour_id,) = conn.execute(
            "SELECT id FROM tour_programmes WHERE title = ?", (title,)
        ).fetchone()
    context = _context(browser, live_server, 320, True)
    page = context.new_page()
    page.goto(f"/tours/{tour_id}")
    heading = page.get_by_role("heading", level=1)
    # One line per word at most: a word split across lines would make the heading taller
    # than its words laid out one per line.
    lines = heading.evaluate(
        "h => Math.round(h.getBoundingClientRect().height"
        " / parseFloat(getComputedStyle(h).lineHeight))"
    )
    words = len(heading.inner_text().split())
    assert lines <= words
    width = heading.evaluate(
        "h => { const r = document.createRange(); r.selectNodeContents(h); "
        "return Math.max(...[...r.getClientRects()].map(x => x.width)); }"
    )
    assert width <= 320 - 32
    context.close()


def test_without_javascript_no_empty_chart_box(browser, live_server):
    context = _context(browser, live_server, 360, True, java_script_enabled=False)
    page = context.new_page()
    page.goto("/professions/compare?p=tokar&p=povar")
    assert not page.locator("figure.chart").is_visible()
    assert page.get_by_role("region", name="Сравнение профессий").is_visible()
    context.close()
