"""A counsellor rates a class trip, once, after the enterprise marked it attended."""

from __future__ import annotations

from flask import abort, url_for
from flask_login import current_user

from access import role_required
from blueprints.counsellor import bp
from blueprints.feedback_views import rate_visit
from services import booking as booking_service


@bp.route("/trips/<id:booking_id>/feedback", methods=["GET", "POST"])
@role_required("counsellor")
def trip_feedback(booking_id: int):
    """Rate an attended class trip: 1–5, what the class liked, what to change."""
    booking = booking_service.booking_of_counsellor(current_user, booking_id)
    if booking is None:
        abort(404)
    return rate_visit(booking, back_url=url_for("counsellor.trip", booking_id=booking.id))
