"""A student's visits: booking a session, the waiting list, «Мои экскурсии», calendar files."""

from flask import Blueprint

bp = Blueprint("bookings", __name__)

from blueprints.bookings import routes  # noqa: E402,F401  (registers the views)
