"""A student's own space: classes, consent, saved things."""

from flask import Blueprint

bp = Blueprint("student", __name__)

from blueprints.student import feedback, offers, routes  # noqa: E402,F401  (the views)
