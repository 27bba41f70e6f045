"""Hostile and absurd input gets a clear 4xx, never a 500 — on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from extensions import db
from models import InterestProfile, SchoolClass, User
from tests.helpers import PASSWORD

SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options")


@pytest.mark.parametrize(
    "path",
    [
        "/professions/svarshchik?slug=x",
        "/tours/1?tour_id=5",
        "/?_method=POST",
        "/?_external=1&_scheme=javascript&_anchor=x",
        "/professions?endpoint=x&values=y",
        "/enterprises/rusklimat-iksel?slug=other&lang=en",
        "/no-such-page?slug=x&_method=POST",
    ],
)
def test_query_arguments_named_like_url_variables_do_not_break_pages(seeded_client, path):
    response = seeded_client.get(path)
    assert response.status_code in (200, 404)
    page = response.get_data(as_text=True)
    assert "<html" in page and "lang=" in page  # the styled page, language switch included
    for header in SECURITY_HEADERS:
        assert header in response.headers
    # The language switch keeps the page itself, not the hostile arguments' idea of it.
    if response.status_code == 200:
        assert 'hreflang="en"' in page or 'hreflang="ru"' in page


def test_language_switch_keeps_the_page_and_its_filters(seeded_client):
    page = seeded_client.get("/professions/svarshchik?slug=x").get_data(as_text=True)
    assert 'href="/professions/svarshchik?' in page and "lang=en" in page
    page = seeded_client.get("/professions?q=свар&sphere=industry").get_data(as_text=True)
    assert "sphere=industry" in page.split('hreflang="en"')[0].rsplit("href=", 1)[-1]


# --- NUL bytes: PostgreSQL refuses them in text, so they are refused at the edge ---------------


def _is_clear_refusal(response) -> bool:
    return response.status_code == 400 and "недопустимый символ" in response.get_data(as_text=True)


def test_nul_in_api_query_is_a_json_400(any_db_app):
    client = any_db_app.test_client()
    response = client.get("/api/v1/professions?q=a%00b")
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_character"


def test_nul_in_a_json_body_is_a_json_400(any_db_app):
    client = any_db_app.test_client()
    response = client.post("/api/v1/recommendations", json={"interests": "сварка\u0000"})
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_character"


def test_nul_in_a_path_is_not_found(any_db_app):
    assert any_db_app.test_client().get("/professions/a%00b").status_code == 404
    assert any_db_app.test_client().get("/enterprises/%00").status_code == 404


def test_nul_in_login_and_registration_is_refused(any_db_app):
    client = any_db_app.test_client()
    assert _is_clear_refusal(
        client.post("/auth/login", data={"email": "a\x00@example.com", "password": "x"})
    )
    data = {
        "email": "kid@example.com",
        "display_name": "Ан\x00я",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "birth_year": "2010",
        "grade": "9",
    }
    assert _is_clear_refusal(client.post("/auth/register/student", data=data))
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_nul_in_a_class_name_is_refused(any_db_app):
    from tests.helpers import AuthActions, Factory

    counsellor = Factory().user("counsellor")
    from models import School

    counsellor.school = School(name="Школа 1", town="Владимир")
    db.session.commit()
    client = any_db_app.test_client()
    AuthActions(client).login(counsellor)
    response = client.post("/counsellor/classes", data={"name": "8\x00Б", "grade": "8"})
    assert _is_clear_refusal(response)
    assert db.session.scalar(select(func.count(SchoolClass.id))) == 0


def test_nul_in_the_quiz_text_is_refused_and_later_sign_ins_work(any_db_app, tmp_path):
    from tests.helpers import AuthActions, Factory

    student = Factory().user("student")
    client = any_db_app.test_client()
    client.post("/quiz/start", data={"length": "short"})
    response = client.post("/quiz/step/6", data={"interests": "сварка\x00", "go": "next"})
    assert _is_clear_refusal(response)
    # A browser whose session already holds such text (a cookie from before the fix) can still
    # sign in, and what is kept has no NUL.
    from services import quiz

    with client.session_transaction() as session:
        quiz._write(
            session,
            quiz.RESULT_KEY,
            {
                "riasec": dict.fromkeys("RIASEC", 0.5),
                "subjects": [],
                "interests": "сварка\x00",
                "form": "short",
                "flat": True,
                "age": None,
                "answers": {},
            },
        )
    response = AuthActions(client).login(student)
    assert response.status_code == 303
    saved = db.session.scalar(select(InterestProfile))
    assert saved is not None and "\x00" not in saved.interests


# --- numbers too large for the database --------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "offset=99999999999999999999",
        "limit=99999999999999999999",
        "offset=-1",
        "offset=1e3",
        "offset=٣",
        "limit=0",
    ],
)
def test_absurd_paging_on_the_api_is_a_422(any_db_app, query):
    response = any_db_app.test_client().get(f"/api/v1/professions?{query}")
    assert response.status_code == 422
    assert response.json["error"]["code"] == "invalid_paging"


def test_a_far_offset_within_range_gives_an_empty_page(any_db_app):
    response = any_db_app.test_client().get("/api/v1/professions?offset=2000000000")
    assert response.status_code == 200 and response.json["items"] == []


@pytest.mark.parametrize("path", ["/tours", "/vacancies"])
@pytest.mark.parametrize("page", ["999999999999999999", "99999999999999999999999", "-5", "x"])
def test_absurd_page_numbers_show_a_real_page(any_db_app, path, page):
    response = any_db_app.test_client().get(f"{path}?page={page}")
    assert response.status_code == 200
    assert "<h1>" in response.get_data(as_text=True)


def test_a_page_past_the_end_shows_the_last_page_and_says_so(seeded_client):
    response = seeded_client.get("/tours?page=999999999999999999")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Такой страницы нет — показана последняя." in page
    assert "/tours/" in page


# --- deeply nested JSON ------------------------------------------------------------------------


def test_deeply_nested_json_is_a_clear_4xx(any_db_app):
    body = "[" * 1000 + "]" * 1000
    response = any_db_app.test_client().post(
        "/api/v1/recommendations", data=body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_json"
    nested = {"interests": "сварка", "subjects": json.loads("[" * 50 + "]" * 50)}
    response = any_db_app.test_client().post("/api/v1/recommendations", json=nested)
    assert response.status_code == 422 and "subjects" in response.json["error"]["fields"]


def test_broken_json_is_a_clear_4xx(any_db_app):
    response = any_db_app.test_client().post(
        "/api/v1/recommendations", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400 and response.json["error"]["code"] == "invalid_json"


# --- forms answer 422 on invalid input -----------------------------------------------------------


@pytest.mark.parametrize("role", ["student", "counsellor", "employer"])
def test_registration_with_invalid_input_is_a_422(client, role):
    response = client.post(f"/auth/register/{role}", data={"email": "not-an-email"})
    assert response.status_code == 422
    assert "field-error" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(User.id))) == 0
