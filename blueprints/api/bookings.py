"""JSON API v1 for school systems: tour sessions and a counsellor's class bookings.

Every change goes through ``services.booking``; refusals come back with the rule's code and its
reason: 409 for seats (with ``seats_left``) or an offer's state, 422 for a rule or a bad field.
"""

from __future__ import annotations

from flask import g, jsonify, url_for

from blueprints.api import bp
from blueprints.api.auth import token_required
from blueprints.api.errors import api_error
from blueprints.api.paging import paging, paging_error
from blueprints.api.schemas import (
    InvalidJSON,
    InvalidRequest,
    parse_booking_request,
    parse_resize_request,
    parse_session_filters,
    read_json,
)
from blueprints.api.sessions import booking_json, session_detail, sessions_page
from extensions import db
from services import booking as booking_service
from services.booking import BookingRefused
from services.booking import booking_of_counsellor as counsellors_booking
from services.classes import class_of_counsellor as counsellors_class

# Refusals about seats or state are conflicts; every other rule is an unprocessable request.
CONFLICTS = {"no_seats", "not_offered", "offer_expired", "not_changeable", "already_cancelled"}


def _refused(error: BookingRefused):
    db.session.rollback()  # release the session's lock at once
    status = 409 if error.code in CONFLICTS else 422
    if error.code == "session_unknown":
        status = 404
    response, status = api_error(status, error.code, error.message)
    if "seats_left" in error.params:
        body = response.get_json()
        body["error"]["seats_left"] = error.params["seats_left"]
        response = jsonify(body)
    return response, status


def _invalid(error: InvalidRequest | InvalidJSON):
    if isinstance(error, InvalidJSON):
        return api_error(400, "invalid_json", str(error))
    return api_error(422, "invalid_request", "Запрос не подходит.", error.fields)


@bp.get("/sessions")
def sessions():
    """Upcoming sessions of listed tours, optionally between ``from`` and ``to``, of one
    ``enterprise`` (slug) or ``tour`` (id)."""
    limit, offset = paging()
    if limit is None:
        return paging_error()
    try:
        filters = parse_session_filters()
    except InvalidRequest as error:
        return _invalid(error)
    return jsonify(sessions_page(filters, limit, offset))


@bp.get("/sessions/<id:session_id>")
def session(session_id: int):
    """One session with its seats: capacity, booked (held), seats left, bookings waiting."""
    body = session_detail(session_id)
    if body is None:
        return api_error(404, "not_found", "Такого сеанса нет.")
    return jsonify(body)


@bp.post("/sessions/<id:session_id>/bookings")
@token_required("counsellor")
def book(session_id: int):
    """Book a session for one of the counsellor's classes (or join its waiting list)."""
    try:
        wanted = parse_booking_request(read_json())
    except (InvalidRequest, InvalidJSON) as error:
        return _invalid(error)
    school_class = counsellors_class(g.api_user, wanted.class_id)
    if school_class is None:
        return api_error(404, "class_not_found", "У вас нет такого класса.")
    try:
        outcome = booking_service.book_class(
            g.api_user, school_class, session_id, wanted.students, wanted.adults, wanted.waitlist
        )
    except BookingRefused as error:
        return _refused(error)
    status = 200 if not outcome.created else 202 if outcome.state == "waitlisted" else 201
    response = jsonify(booking_json(outcome.booking))
    response.status_code = status
    response.headers["Location"] = url_for("api.booking", booking_id=outcome.booking.id)
    return response


def _change(booking_id: int, change):
    """Apply ``change(booking)`` to one of the counsellor's bookings and answer its JSON:
    404 when it is not theirs, the refusal's status when the rules say no."""
    found = counsellors_booking(g.api_user, booking_id)
    if found is None:
        return api_error(404, "not_found", "Такой записи нет.")
    try:
        return jsonify(booking_json(change(found)))
    except (InvalidRequest, InvalidJSON) as error:
        return _invalid(error)
    except BookingRefused as error:
        return _refused(error)


@bp.get("/bookings/<id:booking_id>")
@token_required("counsellor")
def booking(booking_id: int):
    """One of the counsellor's bookings."""
    return _change(booking_id, lambda found: found)


@bp.patch("/bookings/<id:booking_id>")
@token_required("counsellor")
def resize(booking_id: int):
    """Change the number of students: down always, up only when the seats are there."""
    return _change(
        booking_id,
        lambda found: booking_service.resize(found, g.api_user, parse_resize_request(read_json())),
    )


@bp.delete("/bookings/<id:booking_id>")
@token_required("counsellor")
def cancel(booking_id: int):
    """Cancel the booking; its seats are freed at once (and offered to the waiting list)."""
    return _change(booking_id, lambda found: booking_service.cancel(found, g.api_user))


@bp.post("/bookings/<id:booking_id>/accept")
@token_required("counsellor")
def accept(booking_id: int):
    """Accept the seats offered from the waiting list."""
    return _change(booking_id, lambda found: booking_service.accept_offer(found, g.api_user))
