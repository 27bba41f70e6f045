"""Settings read from the environment, one class per mode.

``APP_ENV`` picks the mode (``development`` by default, ``production``, ``testing``).
``DATABASE_URL``, ``SECRET_KEY``, ``REDIS_URL`` and ``PORT`` are the documented knobs.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _database_url() -> str:
    """Return the configured database URL, normalising the ``postgres://`` scheme."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'app.db'}"
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


class Config:
    """Settings shared by every mode."""

    SECRET_KEY = os.environ.get("SECRET_KEY")
    # argon2id parameters by their name in argon2.profiles: RFC 9106's second recommendation
    # (3 passes over 64 MiB), slow on purpose. Only the test suite lowers it.
    PASSWORD_HASH_PROFILE = "RFC_9106_LOW_MEMORY"
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL")
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # Redis down must not take sign-in down: count in this worker's memory meanwhile (the
    # limiter logs a warning when it falls back and an info line when Redis is back).
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    BABEL_DEFAULT_LOCALE = "ru"
    BABEL_DEFAULT_TIMEZONE = "Europe/Moscow"
    LANGUAGES = ("ru", "en")
    DATA_DIR = BASE_DIR / "data"
    MATCHING_ARTIFACT = Path(os.environ.get("MATCHING_ARTIFACT", INSTANCE_DIR / "matching.pkl"))
    MATCHING_GC_FREEZE = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # The remember cookie carries a login session's key (services/login_sessions.py), which
    # lasts as long; each sign-in gets a new one, and signing out ends it on the server.
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    FORCE_HTTPS = False
    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead: pages left open in class stay usable
    DEMO_DATA = True
    PAGE_SIZE = 20
    MAX_CONTENT_LENGTH = 4 * 1024 * 1024  # larger bodies get a 413, never reach a view
    # Enterprises' photos (re-encoded, without metadata) live here, outside static/: a route
    # serves them by their random names. The photo upload alone takes bodies up to
    # PHOTO_MAX_BYTES and a little more for the form around the file.
    UPLOAD_FOLDER = Path(os.environ.get("UPLOAD_FOLDER", INSTANCE_DIR / "uploads"))
    PHOTO_MAX_BYTES = 5 * 1024 * 1024
    # Pages and API answers are compressed (Flask-Compress): Zstandard where the browser takes it
    # (Chromium, Firefox), else Brotli (Safari), else gzip. Measured on a 15 KB explorer
    # fragment: zstd level 3 costs 0.04 ms for 3.8 KB, Brotli level 4 0.08 ms for 3.5 KB.
    # Static files are compressed once per worker instead, at the best levels (static_assets.py).
    COMPRESS_ALGORITHM = ["zstd", "br", "gzip"]
    COMPRESS_ZSTD_LEVEL = 3
    COMPRESS_BR_LEVEL = 4
    # E-mail: SMTP when MAIL_SERVER is set, else one .eml file per message in the outbox.
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "1") == "1"
    MAIL_TIMEOUT = 10
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "Профмаршрут <noreply@profmarshrut.local>"
    )
    MAIL_BACKEND = "smtp" if os.environ.get("MAIL_SERVER") else "services.outbox"
    MAIL_OUTBOX_DIR = Path(os.environ.get("MAIL_OUTBOX_DIR", INSTANCE_DIR / "outbox"))
    # The site's own address for links in e-mails (they are sent outside any request).
    SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:5000")
    # Background jobs (jobs.py): on Redis when REDIS_URL is set, else run at once in-process.
    JOBS_REDIS_URL = os.environ.get("REDIS_URL")
    JOBS_QUEUE = os.environ.get("JOBS_QUEUE", "profmarshrut")
    # How often a worker asks whether the catalogue changed (search index, matching model).
    CATALOGUE_CHECK_SECONDS = 2.0
    # How long the "N upcoming tours" counts of the explorer may be reused.
    TOUR_COUNTS_SECONDS = 60.0


class DevelopmentConfig(Config):
    """Local development: ``make run`` and ``flask run``."""

    DEBUG = True


class TestingConfig(Config):
    """The test suite: an in-memory database, CSRF off unless a test turns it on."""

    TESTING = True
    SECRET_KEY = "test-secret-key"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL_OVERRIDE", "sqlite://")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    WTF_CSRF_ENABLED = False
    # The suite signs in thousands of times; a hash that costs 0.2 s each would be minutes.
    PASSWORD_HASH_PROFILE = "CHEAPEST"
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    MATCHING_ARTIFACT = None
    MAIL_BACKEND = "services.outbox"
    JOBS_REDIS_URL = None
    CATALOGUE_CHECK_SECONDS = 0.0
    TOUR_COUNTS_SECONDS = 0.0


class ProductionConfig(Config):
    """Behind gunicorn and a TLS-terminating proxy."""

    # How many proxies in front set X-Forwarded-For/-Proto/-Host. None is trusted unless the
    # deployment says so (docs/deployment.md): a client that reaches gunicorn directly would
    # otherwise choose its own address (and dodge rate limits) and the host of redirects.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    FORCE_HTTPS = True
    DEMO_DATA = os.environ.get("DEMO_DATA", "") == "1"
    # A worker's matching model is ~10^6 small Python objects that live as long as it does;
    # a full garbage collection walked them all (~200 ms at 20,000 professions: the API's p95
    # tail). Frozen after loading, collections skip them (services.recommendations).
    MATCHING_GC_FREEZE = True


MODES = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(mode: str | None) -> type[Config]:
    """Return the settings class for ``mode`` (``APP_ENV``), development when unset."""
    return MODES.get((mode or "development").lower(), DevelopmentConfig)
