"""The sessions and bookings part of the OpenAPI document (merged in ``openapi.py``)."""

from __future__ import annotations

from models.booking import BOOKING_STATES

_ERROR = {"$ref": "#/components/schemas/Error"}
_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
_BEARER = [{"bearer": []}]


def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def _booking(description: str) -> dict:
    return {"description": description, **_json({"$ref": "#/components/schemas/Booking"})}


_AUTH_ERRORS = {
    "401": {"description": "No or bad token", **_json(_ERROR)},
    "403": {"description": "Not a counsellor's token", **_json(_ERROR)},
    "404": {"description": "No such booking among this counsellor's", **_json(_ERROR)},
}
_SEATS_ERROR = {
    "description": "Seats are not there (error.seats_left says how many are), or the "
    "booking's state does not allow it (error.code)",
    **_json(_ERROR),
}

SCHEMAS = {
    "Session": {
        "type": "object",
        "required": ["id", "tour_id", "starts_at", "capacity", "booked", "seats_left"],
        "properties": {
            "id": {"type": "integer"},
            "tour_id": {"type": "integer"},
            "starts_at": {
                "type": "string",
                "description": "Local time of the region (Europe/Moscow), ISO 8601",
            },
            "capacity": {"type": "integer"},
            "booked": {"type": "integer", "description": "Seats booked or held for offers"},
            "seats_left": {"type": "integer"},
            "waitlisted": {"type": "integer", "description": "Bookings waiting for seats"},
            "state": {"type": "string", "enum": ["scheduled", "cancelled"]},
            "bookable": {"type": "boolean"},
            "booking_closes_at": {"type": "string"},
            "tour": {"type": "object"},
            "enterprise": {"type": "object"},
        },
    },
    "Booking": {
        "type": "object",
        "required": ["id", "session_id", "class_id", "students", "adults", "state"],
        "properties": {
            "id": {"type": "integer"},
            "session_id": {"type": "integer"},
            "class_id": {"type": "integer", "nullable": True},
            "students": {"type": "integer"},
            "adults": {"type": "integer"},
            "state": {"type": "string", "enum": list(BOOKING_STATES)},
            "offer_expires_at": {
                "type": "string",
                "nullable": True,
                "description": "Until when seats offered from the waiting list are held",
            },
        },
    },
    "BookingRequest": {
        "type": "object",
        "required": ["class_id", "students"],
        "properties": {
            "class_id": {"type": "integer"},
            "students": {"type": "integer", "minimum": 1, "maximum": 500},
            "adults": {"type": "integer", "minimum": 0, "maximum": 100, "default": 0},
            "waitlist": {"type": "boolean", "default": False},
        },
    },
}

_PAGING = [
    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
    {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}},
]

PATHS = {
    "/tours": {
        "get": {
            "summary": "Listed tour programmes, by town and title",
            "parameters": [
                {"name": "enterprise", "in": "query", "schema": {"type": "string"}},
                *_PAGING,
            ],
            "responses": {
                "200": {"description": "A page of programmes: ages, grades, group, enterprise"},
                "422": {"description": "Bad paging", **_json(_ERROR)},
            },
        }
    },
    "/vacancies": {
        "get": {
            "summary": "Listed vacancies, internships, summer jobs, practice and target-training "
            "places, newest first: kind, title, town, min_age, hours_per_week, salary, "
            "closes_on, enterprise, tour_ids, professions",
            "parameters": _PAGING,
            "responses": {
                "200": {"description": "A page of offers"},
                "422": {"description": "Bad paging", **_json(_ERROR)},
            },
        }
    },
    "/sessions": {
        "get": {
            "summary": "Upcoming sessions of listed tours, soonest first",
            "parameters": [
                {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}},
                {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}},
                {"name": "enterprise", "in": "query", "schema": {"type": "string"}},
                {"name": "tour", "in": "query", "schema": {"type": "integer"}},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}},
                {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}},
            ],
            "responses": {
                "200": {"description": "A page of sessions (items, total, limit, offset)"},
                "422": {"description": "A filter or the paging is wrong", **_json(_ERROR)},
            },
        }
    },
    "/sessions/{id}": {
        "get": {
            "summary": "One session with its seats",
            "parameters": [_ID],
            "responses": {
                "200": {
                    "description": "The session",
                    **_json({"$ref": "#/components/schemas/Session"}),
                },
                "404": {"description": "No such session", **_json(_ERROR)},
            },
        }
    },
    "/sessions/{id}/bookings": {
        "post": {
            "summary": "Book the session for one of the counsellor's classes",
            "security": _BEARER,
            "parameters": [_ID],
            "requestBody": {
                "required": True,
                **_json({"$ref": "#/components/schemas/BookingRequest"}),
            },
            "responses": {
                "201": _booking("Booked"),
                "202": _booking("On the waiting list (seats were short and waitlist was true)"),
                "200": _booking("This class already holds a booking for the session"),
                "409": _SEATS_ERROR,
                "422": {
                    "description": "A field is wrong (fields), or a rule refuses it: age or "
                    "grade, group size, adults, the session closed (code, message)",
                    **_json(_ERROR),
                },
                **_AUTH_ERRORS,
            },
        }
    },
    "/bookings/{id}": {
        "get": {
            "summary": "One of the counsellor's bookings",
            "security": _BEARER,
            "parameters": [_ID],
            "responses": {"200": _booking("The booking"), **_AUTH_ERRORS},
        },
        "patch": {
            "summary": "Change the number of students (down always, up if seats allow)",
            "security": _BEARER,
            "parameters": [_ID],
            "requestBody": {
                "required": True,
                **_json({"type": "object", "properties": {"students": {"type": "integer"}}}),
            },
            "responses": {
                "200": _booking("Changed"),
                "409": _SEATS_ERROR,
                "422": {"description": "A field is wrong or a group rule refuses", **_json(_ERROR)},
                **_AUTH_ERRORS,
            },
        },
        "delete": {
            "summary": "Cancel the booking; its seats are freed at once",
            "security": _BEARER,
            "parameters": [_ID],
            "responses": {
                "200": _booking("Cancelled"),
                "409": _SEATS_ERROR,
                **_AUTH_ERRORS,
            },
        },
    },
    "/bookings/{id}/accept": {
        "post": {
            "summary": "Accept seats offered from the waiting list",
            "security": _BEARER,
            "parameters": [_ID],
            "responses": {
                "200": _booking("Confirmed"),
                "409": _SEATS_ERROR,
                **_AUTH_ERRORS,
            },
        }
    },
}
