"""Regional staff: moderation and oversight."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from blueprints.admin import feedback, offers, revisions, routes  # noqa: E402,F401  (the views)
