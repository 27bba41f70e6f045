"""Regional staff: moderation and oversight."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from blueprints.admin import routes  # noqa: E402,F401  (registers the views)
