"""The application factory and its settings."""

from __future__ import annotations

import pytest

from app import create_app
from config import ProductionConfig, TestingConfig


def test_testing_config_is_applied(app):
    assert app.testing
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite://"
    assert app.config["BABEL_DEFAULT_LOCALE"] == "ru"


def test_mapping_overrides_apply_on_top_of_the_mode(monkeypatch):
    monkeypatch.setenv("APP_ENV", "testing")
    application = create_app({"PAGE_SIZE": 7})
    assert application.testing and application.config["PAGE_SIZE"] == 7


def test_production_refuses_to_start_without_a_secret_key():
    class NoSecret(ProductionConfig):
        SECRET_KEY = None

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(NoSecret)


def test_production_sends_security_headers():
    class Prod(ProductionConfig):
        SECRET_KEY = "x" * 32
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    client = create_app(Prod).test_client()
    response = client.get("/healthz", base_url="https://localhost")
    assert response.status_code == 200
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "max-age" in response.headers["Strict-Transport-Security"]


def test_production_redirects_plain_http_except_the_health_check():
    class Prod(ProductionConfig):
        SECRET_KEY = "x" * 32
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    client = create_app(Prod).test_client()
    assert client.get("/about/data").status_code == 302
    behind_proxy = client.get("/about/data", headers={"X-Forwarded-Proto": "https"})
    assert behind_proxy.status_code == 200
    assert client.get("/healthz").status_code == 200


def test_every_page_has_a_csp_without_inline_scripts(client):
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_testing_class_can_be_passed_directly():
    assert create_app(TestingConfig).config["TESTING"]


def test_an_unexpected_error_is_a_styled_500_page_and_logged(caplog):
    from tests.helpers import make_app

    application = make_app(TESTING=False)

    @application.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    client = application.test_client()
    page = client.get("/boom")
    assert page.status_code == 500
    assert "Что-то сломалось на нашей стороне" in page.get_data(as_text=True)
    assert "<nav" in page.get_data(as_text=True)  # the site's layout, not a bare error
    assert "kaboom" in caplog.text
    api = client.get("/api/v1/nothing")
    assert api.status_code == 404 and api.json["error"]["code"] == "not_found"
