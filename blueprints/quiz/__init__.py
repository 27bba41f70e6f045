"""The interest test and the recommendations it leads to."""

from flask import Blueprint

bp = Blueprint("quiz", __name__)

from blueprints.quiz import routes  # noqa: E402,F401  (registers the views)
