"""The interest test: plain and htmx flows, back and forth, resume, results, keeping them."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from extensions import db
from models import InterestProfile, User

ITEM_RE = re.compile(r'name="(a_[RIASEC]\d\d)"')
YEAR = 2026


def _items(page: str) -> list[str]:
    return sorted(set(ITEM_RE.findall(page)))


def _answer(client, step: int, value_for, headers=None, go="next"):
    page = client.get(f"/quiz/step/{step}").get_data(as_text=True)
    data = {name: value_for(name[2]) for name in _items(page)} | {"go": go}
    return client.post(f"/quiz/step/{step}", data=data, headers=headers or {})


def _take(client, value_for, extras=None, length="short"):
    client.post("/quiz/start", data={"length": length})
    steps = 5 if length == "short" else 10
    for step in range(1, steps + 1):
        assert _answer(client, step, value_for).status_code == 303
    extras = {"subjects": ["physics", "technology"], "interests": "", "age": "15"} | (extras or {})
    return client.post(f"/quiz/step/{steps + 1}", data=extras | {"go": "next"})


def realistic(area: str) -> int:
    return {"R": 5, "I": 4, "A": 2, "S": 1, "E": 2, "C": 3}[area]


def test_short_form_has_30_statements_on_five_screens_plus_one(seeded_client):
    seeded_client.post("/quiz/start", data={"length": "short"})
    seen = []
    for step in range(1, 6):
        page = seeded_client.get(f"/quiz/step/{step}").get_data(as_text=True)
        items = _items(page)
        assert {name[2] for name in items} == set("RIASEC")  # every screen mixes all areas
        assert f"Шаг {step} из 6" in page and "<progress" in page
        seen += items
    assert len(set(seen)) == 30
    last = seeded_client.get("/quiz/step/6").get_data(as_text=True)
    assert "Какие школьные предметы вам нравятся?" in last and "Что вы любите делать?" in last


def test_full_form_has_60_statements(seeded_client):
    seeded_client.post("/quiz/start", data={"length": "full"})
    seen = set()
    for step in range(1, 11):
        seen |= set(_items(seeded_client.get(f"/quiz/step/{step}").get_data(as_text=True)))
    assert len(seen) == 60


def test_plain_flow_gives_a_profile_and_recommendations_with_reasons(seeded_client):
    response = _take(seeded_client, realistic, {"interests": "люблю чинить технику и паять"})
    assert response.status_code == 303 and response.location.endswith("/recommendations")
    page = seeded_client.get("/recommendations").get_data(as_text=True)
    assert "Ваш профиль интересов" in page and 'data-chart="radar"' in page
    assert "Практик (R)" in page and "100%" in page  # R answered 5 everywhere
    assert "Профессии для вас" in page and "Почему:" in page
    assert "Экскурсии, где это можно увидеть" in page
    assert "Зарегистрируйтесь, чтобы сохранить его" in page


def test_htmx_flow_swaps_screens_and_pushes_the_url(seeded_client):
    seeded_client.post("/quiz/start", data={"length": "short"})
    hx = {"HX-Request": "true"}
    response = _answer(seeded_client, 1, realistic, headers=hx)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert response.headers["HX-Push-Url"] == "/quiz/step/2"
    assert "Шаг 2 из 6" in body and "autofocus" in body
    for step in range(2, 6):
        _answer(seeded_client, step, realistic, headers=hx)
    done = seeded_client.post("/quiz/step/6", data={"subjects": ["math"], "go": "next"}, headers=hx)
    assert done.status_code == 200 and done.headers["HX-Redirect"] == "/recommendations"


def test_back_and_forth_keeps_answers(seeded_client):
    seeded_client.post("/quiz/start", data={"length": "short"})
    _answer(seeded_client, 1, lambda a: 4)
    page = seeded_client.get("/quiz/step/1").get_data(as_text=True)
    assert len(re.findall(r'<input checked id="a_[RIASEC]\d\d-3"', page)) == 6  # "4" = 4th
    # Going back from screen 2 with half of it answered keeps that half too.
    items = _items(seeded_client.get("/quiz/step/2").get_data(as_text=True))
    seeded_client.post("/quiz/step/2", data={items[0]: "2", "go": "back"})
    page = seeded_client.get("/quiz/step/2").get_data(as_text=True)
    assert f'checked id="{items[0]}-1"' in page


def test_unanswered_statements_are_marked_and_block_moving_on(seeded_client):
    seeded_client.post("/quiz/start", data={"length": "short"})
    items = _items(seeded_client.get("/quiz/step/1").get_data(as_text=True))
    response = seeded_client.post("/quiz/step/1", data={items[0]: "3", "go": "next"})
    assert response.status_code == 422
    assert response.get_data(as_text=True).count("Выберите ответ.") == 5


def test_the_test_is_resumable_from_the_intro(seeded_client):
    seeded_client.post("/quiz/start", data={"length": "short"})
    _answer(seeded_client, 1, realistic)
    assert "Продолжить начатый тест" in seeded_client.get("/quiz").get_data(as_text=True)


def test_all_same_answers_get_a_clear_message_not_matches(seeded_client):
    _take(seeded_client, lambda area: 3, {"subjects": [], "interests": ""})
    page = seeded_client.get("/recommendations").get_data(as_text=True)
    assert "Вы ответили на все утверждения одинаково" in page
    assert "Профессии для вас" not in page


def test_all_same_answers_with_subjects_recommend_from_subjects_only(seeded_client):
    _take(seeded_client, lambda area: 5, {"subjects": ["biology", "chemistry"]})
    page = seeded_client.get("/recommendations").get_data(as_text=True)
    assert "Вы ответили на все утверждения одинаково" in page
    assert "Профессии для вас" in page
    assert "совпадает с вашим интересом" not in page  # no RIASEC reason from a flat profile


def test_visitor_keeps_the_result_by_registering(seeded_client, seeded_app):
    _take(seeded_client, realistic, {"interests": "люблю животных"})
    seeded_client.post(
        "/auth/register/student",
        data={
            "email": "new@example.com",
            "display_name": "Оля",
            "password": "long-password-1",
            "confirm": "long-password-1",
            "birth_year": YEAR - 15,
            "grade": 9,
        },
    )
    # Signing in to the new account (as «Проверьте почту» says) keeps the visitor's result.
    seeded_client.post(
        "/auth/login", data={"email": "new@example.com", "password": "long-password-1"}
    )
    saved = db.session.scalar(
        select(InterestProfile).join(User).where(User.email == "new@example.com")
    )
    assert saved is not None and saved.interests == "люблю животных"
    assert saved.riasec["R"] == 1.0 and saved.subjects == ["physics", "technology"]
    page = seeded_client.get("/recommendations").get_data(as_text=True)
    assert "Профессии для вас" in page and "Зарегистрируйтесь" not in page


def test_a_signed_in_student_result_is_saved_at_once(seeded_client, seeded_app):
    seeded_client.post(
        "/auth/login", data={"email": "student05@demo.local", "password": "demo-password"}
    )
    _take(seeded_client, realistic)
    assert db.session.scalar(select(InterestProfile.user_id)) is not None


def test_a_students_profile_keeps_its_history_and_says_what_moved(seeded_client, seeded_app):
    """Each finished test is kept; the page says when the profile was last updated, lists the
    earlier tests with what was written, and names the areas that moved."""
    seeded_client.post(
        "/auth/login", data={"email": "student05@demo.local", "password": "demo-password"}
    )
    student = db.session.scalar(select(User).where(User.email == "student05@demo.local"))
    earlier = len(db.session.scalars(select(InterestProfile).filter_by(user_id=student.id)).all())
    _take(seeded_client, realistic, {"interests": "сварка"})
    page = seeded_client.get("/recommendations").get_data(as_text=True)
    assert "Профиль обновлён:" in page

    def artistic(area: str) -> int:
        return {"R": 1, "I": 2, "A": 5, "S": 3, "E": 2, "C": 1}[area]

    _take(seeded_client, artistic, {"interests": "рисую аниме"})
    page = seeded_client.get("/recommendations").get_data(as_text=True)
    assert f"Как менялся ваш профиль (тестов: {earlier + 2})" in page
    assert "«сварка»" in page and "«рисую аниме»" in page
    # R went from 100 % to 0 %, A from 25 % to 100 %.
    assert "техника и работа руками 100% → 0%" in page and "творчество 25% → 100%" in page
    english = seeded_client.get("/recommendations?lang=en").get_data(as_text=True)
    assert f"How your profile has changed (tests: {earlier + 2})" in english
    assert "machines and working with your hands 100% → 0%" in english


def test_recommendations_without_a_test_invite_to_take_it(client):
    page = client.get("/recommendations").get_data(as_text=True)
    assert "пройдите короткий тест интересов" in page


@pytest.mark.parametrize("step", [0, 7, 99999999999])
def test_steps_out_of_range_are_404(seeded_client, step):
    seeded_client.post("/quiz/start", data={"length": "short"})
    assert seeded_client.get(f"/quiz/step/{step}").status_code == 404


def test_unknown_form_length_is_refused_with_the_form(client):
    response = client.post("/quiz/start", data={"length": "huge"})
    assert response.status_code == 422 and "Вариант теста" in response.get_data(as_text=True)


def test_bad_answer_values_are_ignored(seeded_client):
    seeded_client.post("/quiz/start", data={"length": "short"})
    items = _items(seeded_client.get("/quiz/step/1").get_data(as_text=True))
    response = seeded_client.post("/quiz/step/1", data={i: "9" for i in items} | {"go": "next"})
    assert response.status_code == 422  # "Not a valid choice" at each field; nothing stored
    assert "checked" not in seeded_client.get("/quiz/step/1").get_data(as_text=True)


def test_scoring_rescales_each_areas_mean_answer():
    from services.quiz import Item, score

    items = [Item("R01", "R", "…"), Item("R02", "R", "…"), Item("I01", "I", "…")]
    result = score({"R01": 5, "R02": 3, "I01": 1}, items)
    assert result["R"] == 0.75 and result["I"] == 0.0
    assert result["A"] == 0.0  # no answers in an area count as no interest shown


def _recommended(page: str) -> list[str]:
    listing = page.split('<ol class="recommendations">', 1)[1].split("</ol>", 1)[0]
    return re.findall(r'<h3 class="h4"><a href="/professions/([a-z0-9-]+)"', listing)


def test_not_interested_sets_a_profession_aside_and_brings_another(seeded_client):
    """«Не интересно» removes the profession, brings another into the list, and can be undone;
    a form without a known slug is refused (400) and changes nothing."""
    _take(seeded_client, realistic, {"interests": "люблю чинить технику и паять"})
    before = _recommended(seeded_client.get("/recommendations").get_data(as_text=True))
    assert len(before) == 10
    gone = before[0]
    response = seeded_client.post("/recommendations/dismiss", data={"slug": gone})
    assert response.status_code == 303
    assert response.location.split("#")[0] == f"/recommendations?set_aside={gone}"
    page = seeded_client.get(response.location).get_data(as_text=True)
    after = _recommended(page)
    assert gone not in after and len(after) == 10 and set(after) - set(before)
    assert "больше не показываем" in page and "Вы убрали: 1" in page
    assert "Можно не отвечать" in page  # the optional why, asked once
    assert (
        seeded_client.post("/recommendations/dismiss", data={"slug": "no-such"}).status_code == 400
    )
    assert seeded_client.post("/recommendations/dismiss", data={}).status_code == 400
    seeded_client.post("/recommendations/restore", data={"slug": gone})
    page = seeded_client.get("/recommendations").get_data(as_text=True)
    assert _recommended(page) == before and "Вы убрали" not in page
