"""The interest test: its forms, screens, answers and RIASEC scoring (no request in here)."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import MutableMapping
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from sqlalchemy import select

from extensions import db
from matching import RIASEC, SUBJECTS, quiz_profile_is_flat
from models import InterestProfile, User
from services.catalogue import load_quiz_items

FORMS = ("short", "full")
ITEMS_PER_SCREEN = 6  # one statement of each area per screen
SCALE = (1, 2, 3, 4, 5)
SESSION_KEY = "quiz"
RESULT_KEY = "quiz_result"
MAX_INTERESTS_CHARS = 1000


@dataclass(frozen=True)
class Item:
    """One statement of the test."""

    code: str
    area: str
    text: str


@cache
def _bank(data_dir: str) -> dict[str, list[Item]]:
    items = load_quiz_items(Path(data_dir))
    forms = {
        "full": list(items),
        "short": [i for i in items if i.get("short_form")],
    }
    return {
        name: _interleave([Item(i["code"], i["area"], i["text"]) for i in rows])
        for name, rows in forms.items()
    }


def _interleave(items: list[Item]) -> list[Item]:
    """Order items R, I, A, S, E, C, R, … so that every screen mixes all six areas."""
    by_area = {a: [i for i in items if i.area == a] for a in RIASEC}
    rounds = max(len(v) for v in by_area.values())
    return [by_area[a][n] for n in range(rounds) for a in RIASEC if n < len(by_area[a])]


def items_for(form: str, data_dir: Path) -> list[Item]:
    """The statements of the short (30) or full (60) form, in screen order."""
    return _bank(str(data_dir))[form]


def screen_count(form: str, data_dir: Path) -> int:
    """Screens of statements, plus the last one for subjects and free text."""
    return -(-len(items_for(form, data_dir)) // ITEMS_PER_SCREEN) + 1


def screen_items(form: str, step: int, data_dir: Path) -> list[Item]:
    """The statements shown on screen ``step`` (1-based); empty for the last screen."""
    items = items_for(form, data_dir)
    return items[(step - 1) * ITEMS_PER_SCREEN : step * ITEMS_PER_SCREEN]


# --- answers kept in the browser, sealed ------------------------------------------------------
#
# Flask's session cookie is signed, not encrypted: anyone holding the browser could read a
# child's answers and free text from it. The test in progress and its result are therefore
# sealed with Fernet (the ``cryptography`` package; AES with an HMAC) under a key derived from
# SECRET_KEY, so the cookie shows nothing readable, and a cookie sealed under another key (or
# tampered with) reads as no test at all.


def _fernet() -> Fernet:
    return _fernet_for(current_app.config["SECRET_KEY"])


@cache
def _fernet_for(secret: str) -> Fernet:
    key = hashlib.sha256(b"quiz-answers:" + secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def _read(session: MutableMapping, key: str) -> dict | None:
    sealed = session.get(key)
    if not isinstance(sealed, str):
        return None
    try:
        return json.loads(_fernet().decrypt(sealed.encode()))
    except (InvalidToken, ValueError):
        return None


def _write(session: MutableMapping, key: str, value: dict) -> None:
    session[key] = _fernet().encrypt(json.dumps(value, ensure_ascii=False).encode()).decode()


def state(session: MutableMapping) -> dict | None:
    """The test in progress in this session, if any."""
    return _read(session, SESSION_KEY)


def start(session: MutableMapping, form: str) -> dict:
    """Begin the test afresh with the chosen form."""
    if form not in FORMS:
        raise ValueError(form)
    quiz = {"form": form, "answers": {}, "subjects": [], "interests": ""}
    _write(session, SESSION_KEY, quiz)
    return quiz


def record_answers(session: MutableMapping, answers: dict[str, int], data_dir: Path) -> None:
    """Keep answers (code -> 1…5) in the session; unknown codes and values are dropped."""
    quiz = _read(session, SESSION_KEY)
    codes = {i.code for i in items_for("full", data_dir)}
    quiz["answers"] = quiz["answers"] | {
        code: value for code, value in answers.items() if code in codes and value in SCALE
    }
    _write(session, SESSION_KEY, quiz)


def record_extras(
    session: MutableMapping, subjects: list[str], interests: str, age: int | None = None
) -> None:
    """Keep the liked subjects, the free text and (for a visitor) the age."""
    quiz = _read(session, SESSION_KEY)
    quiz["subjects"] = [s for s in dict.fromkeys(subjects) if s in SUBJECTS]
    quiz["interests"] = interests.strip()[:MAX_INTERESTS_CHARS]
    quiz["age"] = age
    _write(session, SESSION_KEY, quiz)


def score(answers: dict[str, int], items: list[Item]) -> dict[str, float]:
    """RIASEC levels 0–1: per area, the mean answer rescaled from 1…5."""
    result = {}
    for area in RIASEC:
        values = [answers[i.code] for i in items if i.area == area and i.code in answers]
        result[area] = round((sum(values) / len(values) - 1) / 4, 3) if values else 0.0
    return result


@dataclass
class QuizResult:
    """A finished test, as the results page and the recommender need it."""

    riasec: dict[str, float]
    subjects: list[str]
    interests: str
    form: str
    flat: bool  # every answer alike: the RIASEC part says nothing
    age: int | None = None

    def as_dict(self) -> dict:
        """For the session."""
        return asdict(self)


def finish(session: MutableMapping, data_dir: Path) -> QuizResult:
    """Score the test in the session, move it to the session's result and return it."""
    quiz = _read(session, SESSION_KEY)
    session.pop(SESSION_KEY, None)
    items = items_for(quiz["form"], data_dir)
    riasec = score(quiz["answers"], items)
    result = QuizResult(
        riasec,
        quiz["subjects"],
        quiz["interests"],
        quiz["form"],
        flat=quiz_profile_is_flat(riasec),
        age=quiz.get("age"),
    )
    _write(session, RESULT_KEY, result.as_dict() | {"answers": quiz["answers"]})
    return result


def save_for_student(user: User, session: MutableMapping) -> InterestProfile | None:
    """Store the session's latest result on the student's account."""
    data = _read(session, RESULT_KEY)
    if data is None or user.role != "student":
        return None
    profile = InterestProfile(
        user_id=user.id,
        riasec=data["riasec"],
        answers={"form": data["form"], "items": data.get("answers", {})},
        subjects=data["subjects"],
        # A result kept in a browser before NULs were refused at the edge may still hold one.
        interests=data["interests"].replace("\x00", ""),
    )
    db.session.add(profile)
    db.session.commit()
    session.pop(RESULT_KEY, None)
    return profile


# How many earlier tests the results page lists, and how far an area must move to be named.
HISTORY_LIMIT = 10
MOVE_POINTS = 10


@dataclass(frozen=True)
class Move:
    """One RIASEC area between two tests, in whole percent."""

    area: str
    before: int
    after: int


def history(user: User, limit: int = HISTORY_LIMIT) -> list[InterestProfile]:
    """The student's saved tests, newest first (each finished test is kept as it was)."""
    return list(
        db.session.scalars(
            select(InterestProfile)
            .where(InterestProfile.user_id == user.id)
            .order_by(InterestProfile.created_at.desc(), InterestProfile.id.desc())
            .limit(limit)
        )
    )


def moves(newer: InterestProfile, older: InterestProfile) -> list[Move]:
    """The areas that moved by MOVE_POINTS or more from ``older`` to ``newer``, most first."""
    found = []
    for area in RIASEC:
        before = round(100 * float(older.riasec.get(area, 0.0)))
        after = round(100 * float(newer.riasec.get(area, 0.0)))
        if abs(after - before) >= MOVE_POINTS:
            found.append(Move(area, before, after))
    return sorted(found, key=lambda m: -abs(m.after - m.before))


def latest_result(user: User | None, session: MutableMapping) -> QuizResult | None:
    """The result to show: the session's newest, else the student's last saved one."""
    data = _read(session, RESULT_KEY)
    if data is not None:
        return QuizResult(
            data["riasec"],
            data["subjects"],
            data["interests"],
            data["form"],
            data["flat"],
            data.get("age"),
        )
    if user is None or user.role != "student":
        return None
    saved = db.session.scalar(
        select(InterestProfile)
        .where(InterestProfile.user_id == user.id)
        .order_by(InterestProfile.created_at.desc(), InterestProfile.id.desc())
        .limit(1)
    )
    if saved is None:
        return None
    return QuizResult(
        saved.riasec,
        saved.subjects,
        saved.interests,
        saved.answers.get("form", "short"),
        quiz_profile_is_flat(saved.riasec),
    )
