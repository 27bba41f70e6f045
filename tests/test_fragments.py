"""Every endpoint htmx calls answers through the one page-or-fragment helper: the fragment for
htmx, the page otherwise, and always ``Vary: HX-Request`` so that no cache mixes them up."""

from __future__ import annotations

import pytest

HX = {"HX-Request": "true"}


def _varies(response) -> bool:
    return "HX-Request" in response.headers.get("Vary", "")


@pytest.mark.parametrize(
    "path",
    [
        "/professions?q=сварка",
        "/professions?q=сварка&page=2&more=1",
        "/enterprises?town=Киржач",
        "/tours?page=2",
        "/no-such-page",
        "/professions/no-such-profession",
    ],
)
def test_get_endpoints_vary_and_give_fragments_to_htmx(seeded_client, path):
    page = seeded_client.get(path)
    partial = seeded_client.get(path, headers=HX)
    assert _varies(page) and _varies(partial)
    assert "<html" in page.get_data(as_text=True)
    assert "<html" not in partial.get_data(as_text=True)
    assert page.status_code == partial.status_code


@pytest.mark.parametrize("path", ["/professions/tokar/save", "/professions/tokar/compare"])
def test_toggles_answer_the_buttons_to_htmx_and_redirect_a_plain_form(seeded_client, path):
    partial = seeded_client.post(path, data={"want": "on"}, headers=HX)
    assert partial.status_code == 200 and _varies(partial)
    assert 'id="actions-tokar"' in partial.get_data(as_text=True)
    plain = seeded_client.post(path, data={"want": "off", "next": "/professions"})
    assert plain.status_code == 303 and plain.location == "/professions" and _varies(plain)


def test_quiz_steps_swap_for_htmx_and_the_last_step_redirects_on_the_client(seeded_client):
    seeded_client.post("/quiz/start", data={"length": "short"})
    assert _varies(seeded_client.get("/quiz/step/1"))
    step = seeded_client.get("/quiz/step/1", headers=HX)
    assert _varies(step) and "<html" not in step.get_data(as_text=True)
    refused = seeded_client.post("/quiz/step/1", data={"go": "next"}, headers=HX)
    assert refused.status_code == 422 and _varies(refused)
    done = seeded_client.post("/quiz/step/6", data={"go": "next"}, headers=HX)
    assert done.status_code == 200 and done.headers["HX-Redirect"] == "/recommendations"
    assert _varies(done)


def test_a_history_restore_gets_the_whole_page(seeded_client):
    restore = seeded_client.get(
        "/professions?q=сварка", headers=HX | {"HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.get_data(as_text=True) and _varies(restore)


def test_an_htmx_request_that_needs_a_login_is_sent_there_with_a_200(client):
    response = client.get("/me/", headers=HX)
    assert response.status_code == 200 and response.headers["HX-Redirect"].startswith("/auth/login")
    assert _varies(response)
