"""The JSON API under /api/v1."""

from flask import Blueprint

bp = Blueprint("api", __name__)


from blueprints.api import bookings, listings, routes  # noqa: E402,F401  (registers views)
