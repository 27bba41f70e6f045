"""Sign-in attempts are rate-limited, in memory or in Redis (shared by all workers)."""

from __future__ import annotations

import uuid

import pytest

from extensions import db
from tests.helpers import make_app, redis_url


def _hammer_login(storage_uri: str) -> list[int]:
    application = make_app(
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=storage_uri,
        RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex}",
    )
    with application.app_context():
        db.create_all()
        client = application.test_client()
        data = {"email": "nobody@example.com", "password": "wrong-password"}
        codes = [client.post("/auth/login", data=data).status_code for _ in range(11)]
        db.drop_all()
    return codes


def test_the_eleventh_failed_sign_in_to_one_account_is_refused():
    codes = _hammer_login("memory://")
    assert codes[:10] == [422] * 10 and codes[10] == 429


@pytest.mark.redis
def test_rate_limit_counts_live_in_redis():
    codes = _hammer_login(redis_url())
    assert codes[:10] == [422] * 10 and codes[10] == 429


def test_recommendations_api_is_rate_limited_with_a_json_429():
    application = make_app(
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
        RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex}",
    )
    with application.app_context():
        db.create_all()
        client = application.test_client()
        codes = [client.post("/api/v1/recommendations", json={}).status_code for _ in range(121)]
        assert codes[:120] == [422] * 120 and codes[120] == 429
        limited = client.post("/api/v1/recommendations", json={})
        assert limited.json["error"]["message"]
        db.drop_all()


def test_with_redis_down_sign_in_and_the_api_work_and_healthz_says_so(
    seeded_db_file, tmp_path, caplog
):
    import shutil
    import socket

    with socket.socket() as s:  # a port nobody listens on: Redis "down"
        s.bind(("127.0.0.1", 0))
        dead = f"redis://127.0.0.1:{s.getsockname()[1]}/0"
    copy = tmp_path / "app.db"
    shutil.copy(seeded_db_file, copy)
    application = make_app(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{copy}",
        REDIS_URL=dead,
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=dead,
        RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex}",
    )
    with application.app_context():
        client = application.test_client()
        login = {"email": "student01@demo.local", "password": "demo-password"}
        assert client.post("/auth/login", data=login).status_code == 303
        assert "falling back to in-memory" in caplog.text
        api = client.post("/api/v1/recommendations", json={"interests": "сварка"})
        assert api.status_code == 200 and api.json["professions"]
        # The limits still hold, counted in memory.
        anonymous = application.test_client()
        wrong = {"email": "nobody@example.com", "password": "wrong-password"}
        codes = [anonymous.post("/auth/login", data=wrong).status_code for _ in range(11)]
        assert codes[-1] == 429
        health = client.get("/healthz")
        assert health.status_code == 200
        assert health.get_data(as_text=True).splitlines() == [
            "ok",
            "redis: unavailable (rate limits count in each worker's memory)",
        ]
        db.session.remove()
        db.engine.dispose()


@pytest.mark.redis
def test_healthz_reports_redis_fine_when_it_answers():
    application = make_app(REDIS_URL=redis_url())
    with application.app_context():
        db.create_all()
        assert application.test_client().get("/healthz").get_data(as_text=True) == "ok"
        db.drop_all()
