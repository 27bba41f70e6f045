"""Helpers shared by test modules: settings, the test app, factories and logins.

Fixtures live in ``conftest.py``; anything a test module imports lives here.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher, profiles
from sqlalchemy import create_engine, text

from app import create_app
from config import TestingConfig
from extensions import db
from models import (
    Enterprise,
    EnterpriseStaff,
    Profession,
    School,
    SchoolClass,
    Sphere,
    TourProgramme,
    TourSession,
    User,
)
from models._common import local_now

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
# The day the shared demo database is seeded for: fixed when the run starts, so a test that
# seeds again compares like with like when the run crosses midnight.
SEED_DAY = date.today()
PASSWORD = "correct-horse-battery"
# What a test student has agreed to unless the test says otherwise.
DEFAULT_CONSENTS = ("account", "counsellor", "booking")
# Hashed once per run, with the parameters TestingConfig gives the app (PASSWORD_HASH_PROFILE).
_PASSWORD_HASH = PasswordHasher.from_parameters(profiles.CHEAPEST).hash(PASSWORD)
IN_CI = os.environ.get("CI") == "true"
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

# Figures that tests compute and CI must show (the matching evaluation), printed at the end of
# the run whatever the capture mode.
REPORTS: list[tuple[str, str]] = []


def make_app(**overrides):
    """A test app; ``overrides`` are settings on top of TestingConfig.

    Each app writes its e-mails to an outbox folder of its own (``outbox(app)``), and its
    uploads (enterprises' photos) to a folder of its own.
    """
    settings = {k: getattr(TestingConfig, k) for k in dir(TestingConfig) if k.isupper()}
    settings["MAIL_OUTBOX_DIR"] = Path(tempfile.mkdtemp(prefix="outbox-"))
    settings["UPLOAD_FOLDER"] = Path(tempfile.mkdtemp(prefix="uploads-"))
    settings.update(overrides)
    return create_app(settings)


@dataclass(frozen=True)
class Mail:
    """One e-mail from an outbox, as its reader sees it."""

    to: str
    subject: str
    body: str


def outbox(app) -> list[Mail]:
    """The e-mails the app has written to its outbox (``.eml`` files), oldest first."""
    from email import policy
    from email.parser import BytesParser

    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    mails = []
    for path in sorted(folder.glob("*.eml")) if folder.exists() else []:
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        mails.append(Mail(message["To"], message["Subject"].strip(), message.get_content()))
    return mails


def postgres_url() -> str | None:
    """The PostgreSQL test server's URL when it answers; skip (or fail under CI) otherwise."""
    url = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    try:
        engine = create_engine(url)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # any failure to connect means "no server here"
        if IN_CI:
            pytest.fail(f"PostgreSQL must be reachable under CI=true: {exc}")
        pytest.skip(f"PostgreSQL is not reachable at {url}: {exc.__class__.__name__}")
    return url


def redis_url() -> str:
    """The test Redis server's URL when it answers; skip (or fail under CI) otherwise."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        if IN_CI:
            pytest.fail(f"Redis must answer at {REDIS_URL} under CI=true: {exc}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {exc.__class__.__name__}")
    return REDIS_URL


class Factory:
    """Creates rows with sensible defaults; every call commits."""

    def __init__(self):
        self._n = 0

    def _next(self) -> int:
        self._n += 1
        return self._n

    def user(self, role: str = "student", consents=DEFAULT_CONSENTS, **fields) -> User:
        """A user; a student has consented (or a parent has, under 14) to ``consents``."""
        n = self._next()
        defaults = {
            "email": f"{role}{n}@example.com",
            "password_hash": _PASSWORD_HASH,
            "role": role,
            "display_name": f"{role.title()} {n}",
        }
        if role == "student":
            defaults |= {"birth_year": date.today().year - 15, "grade": 9}
        user = User(**(defaults | fields))
        db.session.add(user)
        db.session.flush()
        if role == "student":
            from services import consent

            for purpose in consents:
                by = "parent" if consent.parent_decides(user, purpose) else "student"
                consent.decide(user, purpose, True, by)
            if not consents:
                user.consent_state = fields.get("consent_state", "pending")
        db.session.commit()
        return user

    def sphere(self, **fields) -> Sphere:
        n = self._next()
        sphere = Sphere(**({"slug": f"sphere-{n}", "title": f"Сфера {n}"} | fields))
        db.session.add(sphere)
        db.session.commit()
        return sphere

    def profession(self, **fields) -> Profession:
        n = self._next()
        sphere = fields.pop("sphere", None) or self.sphere()
        defaults = {
            "slug": f"profession-{n}",
            "title": f"Профессия {n}",
            "sphere": sphere,
            "summary": "Коротко о профессии.",
            "description": "Описание.",
            "salary_min": 30000,
            "salary_max": 60000,
            "demand": "high",
            "riasec_r": 0.8,
            "riasec_i": 0.5,
            "riasec_a": 0.2,
            "riasec_s": 0.3,
            "riasec_e": 0.2,
            "riasec_c": 0.4,
            "subjects": ["physics"],
        }
        profession = Profession(**(defaults | fields))
        db.session.add(profession)
        db.session.commit()
        return profession

    def enterprise(self, **fields) -> Enterprise:
        n = self._next()
        defaults = {
            "slug": f"enterprise-{n}",
            "name": f"Завод {n}",
            "town": "Владимир",
            "district": "Владимир",
            "industry": "machine-building",
            "moderation_state": "approved",
        }
        enterprise = Enterprise(**(defaults | fields))
        db.session.add(enterprise)
        db.session.commit()
        return enterprise

    def employer(self, enterprise: Enterprise | None = None, state: str = "approved") -> User:
        user = self.user("employer")
        enterprise = enterprise or self.enterprise()
        db.session.add(EnterpriseStaff(enterprise=enterprise, user=user, state=state))
        db.session.commit()
        return user

    def tour(self, **fields) -> TourProgramme:
        n = self._next()
        enterprise = fields.pop("enterprise", None) or self.enterprise()
        defaults = {
            "slug": f"tour-{n}",
            "enterprise": enterprise,
            "title": f"Экскурсия {n}",
            "description": "Что увидят.",
            "duration_minutes": 90,
            "min_age": 12,
            "group_min": 5,
            "group_max": 20,
            "adults_per_students": 10,
            "moderation_state": "approved",
        }
        tour = TourProgramme(**(defaults | fields))
        db.session.add(tour)
        db.session.commit()
        return tour

    def session(self, **fields) -> TourSession:
        tour = fields.pop("tour", None) or self.tour()
        defaults = {
            "tour": tour,
            "starts_at": local_now() + timedelta(days=7),
            "capacity": tour.group_max,
        }
        session = TourSession(**(defaults | fields))
        db.session.add(session)
        db.session.commit()
        return session

    def school_class(self, counsellor: User | None = None, **fields) -> SchoolClass:
        n = self._next()
        counsellor = counsellor or self.user("counsellor")
        school = fields.pop("school", None) or counsellor.school
        if school is None:
            school = School(name=f"Школа {n}", town="Владимир")
            counsellor.school = school
        defaults = {
            "school": school,
            "counsellor": counsellor,
            "name": f"{n} А",
            "grade": 8,
            "join_code": f"CODE{n:04d}",
        }
        school_class = SchoolClass(**(defaults | fields))
        db.session.add(school_class)
        db.session.commit()
        return school_class


class AuthActions:
    """Sign in and out through the real login form."""

    def __init__(self, client):
        self._client = client

    def login(self, user_or_email, password: str = PASSWORD):
        email = getattr(user_or_email, "email", user_or_email)
        return self._client.post("/auth/login", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/auth/logout")
