"""Russian by default; English on request; unknown languages fall back to Russian."""

from __future__ import annotations


def test_russian_is_the_default(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="ru" ' in page
    assert "Профессии" in page


def test_lang_en_switches_the_interface_and_is_remembered(client):
    page = client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="en" ' in page
    assert "Professions" in page and "Профессии</a>" not in page
    # The choice sticks for the next page without the parameter.
    assert "Log in" in client.get("/auth/login").get_data(as_text=True)


def test_switch_back_to_russian(client):
    client.get("/?lang=en")
    assert '<html lang="ru" ' in client.get("/?lang=ru").get_data(as_text=True)


def test_unknown_lang_falls_back_to_russian(client):
    response = client.get("/?lang=xx")
    assert response.status_code == 200
    assert '<html lang="ru" ' in response.get_data(as_text=True)


def test_language_switch_link_keeps_the_page(client):
    page = client.get("/professions?q=abc").get_data(as_text=True)
    assert "/professions?q=abc&amp;lang=en" in page


def test_form_errors_are_in_the_users_language(client):
    client.get("/?lang=en")
    page = client.post("/auth/register/student", data={"email": "bad"}).get_data(as_text=True)
    assert "This field is required." in page
    client.get("/?lang=ru")
    page = client.post("/auth/register/student", data={"email": "bad"}).get_data(as_text=True)
    assert "Обязательное поле." in page
