"""The profession explorer: morphology, filters, URL round trip, bad input, shortlist, compare."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from extensions import db
from models import Profession, ShortlistEntry

TITLE_RE = re.compile(r'<h2 class="h4"><a href="/professions/([^"]+)"')


def _slugs(response) -> list[str]:
    return TITLE_RE.findall(response.get_data(as_text=True))


def _fragment(client, url):
    return client.get(url, headers={"HX-Request": "true"})


@pytest.mark.parametrize("query", ["сварка", "сварщика", "свар", "СВАРЩИК", "Сварщиком"])
def test_russian_morphology_finds_the_welder(seeded_client, query):
    assert "svarshchik" in _slugs(seeded_client.get(f"/professions?q={query}"))


def test_yo_and_e_are_the_same(seeded_client):
    with_yo = _slugs(seeded_client.get("/professions?q=электромонтёр"))
    without = _slugs(seeded_client.get("/professions?q=электромонтер"))
    assert "elektromonter" in with_yo and with_yo == without


def test_title_match_ranks_first(seeded_client):
    assert _slugs(seeded_client.get("/professions?q=токарь"))[0] == "tokar"


def test_short_word_does_not_match_unrelated_roots(seeded_client, seeded_app):
    slugs = _slugs(seeded_client.get("/professions?q=дети&sort=title&page=1"))
    titles = {p.slug: p.title for p in db.session.scalars(select(Profession))}
    assert slugs and not any("Деталь" in titles[s] for s in slugs)


def test_words_all_must_match_else_partial_note(seeded_client):
    both = _slugs(seeded_client.get("/professions?q=инженер+робот"))
    assert "inzhener-robototekhnik" in both
    page = seeded_client.get("/professions?q=сварка+кондитерская+ыыыы").get_data(as_text=True)
    assert "показаны подходящие хотя бы под одно" in page


@pytest.mark.parametrize(
    ("args", "check"),
    [
        ("sphere=food", lambda p: p.sphere.slug == "food"),
        ("demand=low", lambda p: p.demand == "low"),
        ("education=university", lambda p: "university" in p.education_levels),
        ("education=on_the_job", lambda p: "on_the_job" in p.education_levels),
        ("riasec=A", lambda p: "A" in sorted(p.riasec, key=p.riasec.get)[-2:]),
        ("subject=chemistry", lambda p: "chemistry" in p.subjects),
        ("subject=physics&subject=drawing", lambda p: {"physics", "drawing"} <= set(p.subjects)),
    ],
)
def test_each_filter_keeps_only_matching_professions(seeded_client, seeded_app, args, check):
    response = seeded_client.get(f"/professions?{args}&sort=title")
    slugs = _slugs(response)
    assert slugs, "the filter should leave something in the demo catalogue"
    for slug in slugs:
        assert check(db.session.scalar(select(Profession).where(Profession.slug == slug)))
    total = int(re.search(r"Найден\w* (\d+)", response.get_data(as_text=True)).group(1))
    everyone = db.session.scalars(select(Profession)).all()
    assert total == sum(1 for p in everyone if check(p))


def test_sort_by_salary_and_by_demand(seeded_client, seeded_app):
    by_salary = _slugs(seeded_client.get("/professions?sort=salary"))
    maxima = [
        db.session.scalar(select(Profession.salary_max).where(Profession.slug == s))
        for s in by_salary
    ]
    assert maxima == sorted(maxima, reverse=True)
    by_demand = _slugs(seeded_client.get("/professions?q=инженер&sort=demand"))
    levels = [
        db.session.scalar(select(Profession.demand).where(Profession.slug == s)) for s in by_demand
    ]
    order = {"high": 0, "medium": 1, "low": 2}
    assert [order[x] for x in levels] == sorted(order[x] for x in levels)


def test_fragment_and_full_page_for_one_url_show_the_same_results(seeded_client):
    url = "/professions?q=инженер&sphere=climate-energy&sort=salary&page=1"
    page = seeded_client.get(url)
    fragment = _fragment(seeded_client, url)
    assert _slugs(page) == _slugs(fragment) and _slugs(page)
    assert "<html" in page.get_data(as_text=True)
    assert "<html" not in fragment.get_data(as_text=True)
    assert "HX-Request" in page.headers["Vary"] and "HX-Request" in fragment.headers["Vary"]
    # The count is announced in the live region that the first page already has.
    assert 'id="live" hx-swap-oob="innerHTML"' in fragment.get_data(as_text=True)


def test_filters_stay_selected_in_the_page_for_a_copied_link(seeded_client):
    page = seeded_client.get("/professions?sphere=food&demand=high&subject=chemistry&q=технолог")
    body = page.get_data(as_text=True)
    assert 'value="food" selected' in body and 'value="high" selected' in body
    assert 'value="chemistry" checked' in body and 'value="технолог"' in body


def test_pages_and_show_more(seeded_client):
    first = _slugs(seeded_client.get("/professions?sort=title"))
    second = _slugs(seeded_client.get("/professions?sort=title&page=2"))
    assert len(first) == 20 and not set(first) & set(second)
    more = _fragment(seeded_client, "/professions?sort=title&page=2&more=1")
    body = more.get_data(as_text=True)
    assert _slugs(more) == second
    assert '<nav id="pager"' in body and 'hx-swap-oob="true"' in body and "<ul" not in body[:20]


@pytest.mark.parametrize("page", ["²", "-1", "abc", "1e3", "٣", ""])
def test_odd_page_numbers_show_the_first_page(seeded_client, page):
    response = seeded_client.get("/professions", query_string={"page": page, "sort": "title"})
    assert response.status_code == 200
    assert _slugs(response) == _slugs(seeded_client.get("/professions?sort=title"))


@pytest.mark.parametrize("page", ["999", "99999999999999"])
def test_page_past_the_end_shows_the_last_page_with_a_note(seeded_client, page):
    response = seeded_client.get(f"/professions?q=сварка&page={page}")
    assert response.status_code == 200
    assert "Такой страницы нет — показана последняя." in response.get_data(as_text=True)
    assert _slugs(response)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "а" * 10_000,
        "'; DROP TABLE professions; --",
        "<img src=x onerror=alert(1)>",
        "🔧🔥 сварка 🔥",
        "svarka сварка ΣΩ 焊工",
        "%ff%fe",
        "%",
        "_",
    ],
)
def test_any_query_gives_a_normal_page_and_fragment(seeded_client, query):
    page = seeded_client.get("/professions", query_string={"q": query})
    fragment = _fragment(seeded_client, "/professions?" + f"q={query}")
    for response in (page, fragment):
        assert response.status_code == 200
        assert "<img src=x" not in response.get_data(as_text=True)  # user text is escaped
    if "<" in query or "'" in query:  # the search box shows it back, escaped
        assert str(escape(query)) in page.get_data(as_text=True)
    # Nothing was dropped or changed: the catalogue still holds every profession.
    assert db.session.scalar(select(func.count(Profession.id))) >= 200


@pytest.mark.parametrize(
    ("args", "name"),
    [
        ("sphere=space", "sphere"),
        ("demand=huge", "demand"),
        ("riasec=Z", "riasec"),
        ("subject=alchemy", "subject"),
        ("education=hogwarts", "education"),
    ],
)
def test_unknown_filter_values_are_ignored_with_a_visible_note(seeded_client, args, name):
    response = seeded_client.get(f"/professions?{args}")
    assert response.status_code == 200
    assert f"Фильтр «{name}»" in response.get_data(as_text=True)
    assert len(_slugs(response)) == 20  # nothing filtered out


def test_result_lines_show_demand_salary_education_and_tours(seeded_client):
    body = seeded_client.get("/professions?q=сварщик").get_data(as_text=True)
    line = body[body.index('href="/professions/svarshchik"') :]
    line = line[: line.index("</li>")]
    assert "спрос" in line and "₽" in line and "колледж" in line
    assert re.search(r"\d+ экскурси", line)


def test_search_index_follows_catalogue_changes(seeded_client, seeded_app):
    welder = db.session.scalar(select(Profession).where(Profession.slug == "svarshchik"))
    assert "svarshchik" in _slugs(seeded_client.get("/professions?q=сварщик"))
    welder.title = "Мастер сварки металлоконструкций"
    db.session.commit()
    body = seeded_client.get("/professions?q=металлоконструкций").get_data(as_text=True)
    assert "Мастер сварки металлоконструкций" in body


# --- shortlist and compare -------------------------------------------------------------------


def test_visitor_saves_in_session_and_keeps_it_on_login(seeded_client, seeded_app):
    seeded_client.post("/professions/tokar/save")
    seeded_client.post("/professions/svarshchik/save", headers={"HX-Request": "true"})
    saved = seeded_client.get("/professions/saved").get_data(as_text=True)
    assert "Токарь" in saved and "Сварщик" in saved and "пока открыт браузер" in saved
    seeded_client.post(
        "/auth/login", data={"email": "student01@demo.local", "password": "demo-password"}
    )
    titles = [
        e.profession.title
        for e in db.session.scalars(select(ShortlistEntry).order_by(ShortlistEntry.id))
    ]
    assert titles == ["Токарь", "Сварщик"]
    assert "Токарь" in seeded_client.get("/professions/saved").get_data(as_text=True)


def test_student_toggles_a_saved_profession(client, auth, make):
    student = make.user("student")
    profession = make.profession(title="Мехатроник", slug="mekhatronik")
    auth.login(student)
    response = client.post("/professions/mekhatronik/save", headers={"HX-Request": "true"})
    assert "В избранном" in response.get_data(as_text=True)
    assert db.session.scalar(select(ShortlistEntry.profession_id)) == profession.id
    response = client.post("/professions/mekhatronik/save", data={"next": "/professions"})
    assert response.status_code == 303 and response.location.endswith("/professions")
    assert db.session.scalar(select(ShortlistEntry.id)) is None


def test_compare_up_to_three_side_by_side(seeded_client):
    for slug in ("tokar", "svarshchik", "programmist", "povar"):
        last = seeded_client.post(f"/professions/{slug}/compare", headers={"HX-Request": "true"})
    assert "«Токарь» убрана из сравнения" in last.get_data(as_text=True)
    page = seeded_client.get("/professions/compare").get_data(as_text=True)
    assert "Токарь" not in page  # the oldest made room for the fourth
    for title in ("Сварщик", "Программист", "Повар"):
        assert title in page
    assert 'data-chart="radar"' in page and "<table" in page  # the chart has its numbers beside
    linked = seeded_client.get("/professions/compare?p=tokar&p=kontroler-otk").get_data(
        as_text=True
    )
    assert "Токарь" in linked and "Контролёр ОТК" in linked and "Повар" not in linked


def test_counsellor_cannot_keep_a_shortlist_but_can_compare(client, auth, make):
    make.profession(slug="tokar", title="Токарь")
    auth.login(make.user("counsellor"))
    assert client.post("/professions/tokar/save").status_code == 403
    assert client.post("/professions/tokar/compare").status_code == 303


def test_result_lines_follow_the_language(seeded_client):
    russian = _fragment(seeded_client, "/professions?q=сварщик").get_data(as_text=True)
    english = _fragment(seeded_client, "/professions?q=сварщик&lang=en").get_data(as_text=True)
    assert "высокий спрос" in russian and "high demand" not in russian
    assert "high demand" in english and "высокий спрос" not in english
    assert re.search(r"\d+ tours?\b", english)


def test_tour_counts_on_lines_follow_new_sessions(client, make):
    from datetime import datetime, timedelta

    profession = make.profession(title="Стеклодув", slug="steklodov")
    tour = make.tour()
    assert "экскурсий пока нет" in _fragment(client, "/professions?q=стеклодув").get_data(
        as_text=True
    )
    tour.professions.append(profession)
    make.session(tour=tour, starts_at=datetime.now() + timedelta(days=3))
    assert "1 экскурсия" in _fragment(client, "/professions?q=стеклодув").get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "slug"), [("welder", "svarshchik"), ("programmer", "programmist")]
)
def test_english_searches_find_professions_by_their_onet_titles(seeded_client, query, slug):
    """The search box's own examples in English: the O*NET title is searched and shown."""
    page = seeded_client.get(f"/professions?q={query}&lang=en").get_data(as_text=True)
    top = page.split('id="result-list"', 1)[1].split("</ul>", 1)[0].split("<li>")[1:4]
    assert any(f"/professions/{slug}" in item for item in top)
    assert all('<small class="title-en">(' in item for item in top)
    api = seeded_client.get(f"/api/v1/professions?q={query}").json
    assert slug in [item["slug"] for item in api["items"][:3]]
    assert all(item["title_en"] for item in api["items"][:3])
    detail = seeded_client.get(f"/professions/{slug}?lang=en").get_data(as_text=True)
    assert "In O*NET:" in detail
