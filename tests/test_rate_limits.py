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


def test_eleventh_login_attempt_in_a_minute_is_refused():
    codes = _hammer_login("memory://")
    assert codes[:10] == [200] * 10 and codes[10] == 429


@pytest.mark.redis
def test_rate_limit_counts_live_in_redis():
    codes = _hammer_login(redis_url())
    assert codes[:10] == [200] * 10 and codes[10] == 429


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
