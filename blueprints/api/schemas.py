"""Reading API request bodies into domain values, with an error per bad field.

Hand-written rather than a schema library: a few fields each, and the messages must be in Russian
and name the field exactly as the API document does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, request

from matching import RIASEC, SUBJECTS, StudentProfile
from models._common import REGION_TZ

MAX_INTERESTS_CHARS = 2000
MAX_LIMIT = 20


class InvalidRequest(ValueError):
    """A body the API cannot use; ``fields`` maps each bad field to what is wrong with it."""

    def __init__(self, fields: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = fields


class InvalidJSON(ValueError):
    """A body that is not JSON at all (or nests deeper than any real request)."""


def read_json() -> Any:
    """The request body parsed as JSON, whatever its content type says (None when empty).

    :raises InvalidJSON: when the body cannot be parsed.
    """
    data = request.get_data(cache=True)
    if not data.strip():
        return None
    try:
        return current_app.json.loads(data)
    except ValueError as error:
        if "nested too deeply" in str(error):
            raise InvalidJSON("JSON вложен слишком глубоко.") from error
        raise InvalidJSON("Тело запроса — не JSON: проверьте скобки и кавычки.") from error


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def parse_recommendation_request(body: Any) -> tuple[StudentProfile, int]:
    """A profile and a limit from a ``POST /recommendations`` body.

    :raises InvalidRequest: naming every field that is wrong.
    """
    if not isinstance(body, dict):
        raise InvalidRequest({"body": "нужен JSON-объект"})
    errors: dict[str, str] = {}
    interests = body.get("interests", "")
    if not isinstance(interests, str):
        errors["interests"] = "должна быть строка"
    elif len(interests) > MAX_INTERESTS_CHARS:
        errors["interests"] = f"не длиннее {MAX_INTERESTS_CHARS} символов"
    subjects = body.get("subjects", [])
    if not isinstance(subjects, list) or not all(isinstance(s, str) for s in subjects):
        errors["subjects"] = "должен быть список кодов предметов"
    elif unknown := [s for s in subjects if s not in SUBJECTS]:
        errors["subjects"] = "неизвестные коды: " + ", ".join(unknown[:5])
    riasec = body.get("riasec")
    if riasec is not None:
        if not isinstance(riasec, dict) or not riasec:
            errors["riasec"] = 'должен быть объект вида {"R": 0.8, …}'
        elif bad := [k for k in riasec if k not in RIASEC]:
            errors["riasec"] = "неизвестные области: " + ", ".join(map(str, bad[:6]))
        elif not all(_is_number(v) and 0 <= v <= 1 for v in riasec.values()):
            errors["riasec"] = "значения должны быть числами от 0 до 1"
    age = body.get("age")
    if age is not None and (
        not isinstance(age, int) or isinstance(age, bool) or not 6 <= age <= 99
    ):
        errors["age"] = "целое число лет от 6 до 99"
    limit = body.get("limit", 10)
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_LIMIT:
        errors["limit"] = f"целое число от 1 до {MAX_LIMIT}"
    if errors:
        raise InvalidRequest(errors)
    profile = StudentProfile(
        interests=interests.strip(),
        subjects=tuple(dict.fromkeys(subjects)),
        riasec={a: float(riasec.get(a, 0.0)) for a in RIASEC} if riasec else None,
        age=age,
    )
    if profile.is_empty():
        raise InvalidRequest({"profile": "укажите хотя бы одно: interests, subjects или riasec"})
    return profile, limit


MAX_STUDENTS = 500
MAX_ADULTS = 100


def _whole(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


@dataclass(frozen=True)
class BookingRequest:
    """What ``POST /sessions/<id>/bookings`` asks for."""

    class_id: int
    students: int
    adults: int
    waitlist: bool


def parse_booking_request(body: Any) -> BookingRequest:
    """A class booking request from its JSON body.

    :raises InvalidRequest: naming every field that is wrong.
    """
    if not isinstance(body, dict):
        raise InvalidRequest({"body": "нужен JSON-объект"})
    errors: dict[str, str] = {}
    if not _whole(body.get("class_id"), 1, 2**31 - 1):
        errors["class_id"] = "нужен id класса (целое число)"
    if not _whole(body.get("students"), 1, MAX_STUDENTS):
        errors["students"] = f"целое число учеников от 1 до {MAX_STUDENTS}"
    if not _whole(body.get("adults", 0), 0, MAX_ADULTS):
        errors["adults"] = f"целое число взрослых от 0 до {MAX_ADULTS}"
    if not isinstance(body.get("waitlist", False), bool):
        errors["waitlist"] = "true или false"
    if errors:
        raise InvalidRequest(errors)
    return BookingRequest(
        body["class_id"], body["students"], body.get("adults", 0), body.get("waitlist", False)
    )


def parse_resize_request(body: Any) -> int:
    """The new number of students from a ``PATCH /bookings/<id>`` body.

    :raises InvalidRequest: when ``students`` is missing or wrong.
    """
    if not isinstance(body, dict) or not _whole(body.get("students"), 1, MAX_STUDENTS):
        raise InvalidRequest({"students": f"целое число учеников от 1 до {MAX_STUDENTS}"})
    return body["students"]


@dataclass(frozen=True)
class SessionFilters:
    """Which sessions ``GET /sessions`` lists."""

    starts_from: datetime | None
    starts_to: datetime | None
    enterprise: str
    tour_id: int | None


def _moment(name: str, end_of_day: bool) -> datetime | None:
    text = request.args.get(name, "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise InvalidRequest(
            {name: "дата или время в ISO 8601: 2026-12-01 или 2026-12-01T10:00"}
        ) from error
    if moment.tzinfo is not None:  # session times are the region's local time
        moment = moment.astimezone(REGION_TZ).replace(tzinfo=None)
    if end_of_day and len(text) == 10:
        moment += timedelta(days=1)
    return moment


def parse_session_filters() -> SessionFilters:
    """The filters of ``GET /sessions`` from the query string.

    :raises InvalidRequest: naming every argument that is wrong.
    """
    errors: dict[str, str] = {}
    moments = {}
    for name, end in (("from", False), ("to", True)):
        try:
            moments[name] = _moment(name, end)
        except InvalidRequest as error:
            errors |= error.fields
    tour = request.args.get("tour", "").strip()
    if tour and not (tour.isascii() and tour.isdigit() and len(tour) <= 9):
        errors["tour"] = "id экскурсии (целое число)"
    if errors:
        raise InvalidRequest(errors)
    return SessionFilters(
        moments["from"],
        moments["to"],
        request.args.get("enterprise", "").strip()[:80],
        int(tour) if tour else None,
    )
