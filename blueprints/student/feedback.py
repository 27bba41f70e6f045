"""A student rates a visit they booked themselves, once, after the enterprise marked it attended."""

from __future__ import annotations

from flask import abort, url_for
from flask_login import current_user

from access import role_required
from blueprints.feedback_views import rate_visit
from blueprints.student import bp
from services import booking as booking_service
from services import feedback as feedback_service


@bp.route("/visits/<id:booking_id>/feedback", methods=["GET", "POST"])
@role_required("student")
def visit_feedback(booking_id: int):
    """Rate an attended visit of the student's own: 1–5, what they liked, what to change."""
    booking = booking_service.booking_of_student(current_user, booking_id)
    if booking is None:
        abort(404)
    return rate_visit(booking, back_url=url_for("bookings.visits"))


# The visits list (rendered by the bookings blueprint), a counsellor's trip page and an
# enterprise's session page show the rating given on each attended booking.
bp.add_app_template_global(feedback_service.ratings_of, "feedback_ratings")
