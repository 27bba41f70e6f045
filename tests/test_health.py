"""``/healthz`` answers whether the database does."""

from __future__ import annotations

from tests.helpers import make_app


def test_healthz_ok_when_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"


def test_healthz_503_when_database_is_down(tmp_path):
    missing_dir = tmp_path / "no-such-dir" / "app.db"  # SQLite cannot create a file here
    application = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{missing_dir}")
    response = application.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_data(as_text=True) != "ok"
