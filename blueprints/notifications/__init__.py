"""What happened to a signed-in user's bookings and accounts, in the site."""

from flask import Blueprint

bp = Blueprint("notifications", __name__)

from blueprints.notifications import routes  # noqa: E402,F401  (registers the views)
