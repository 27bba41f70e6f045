"""Enterprises and their tours: public pages."""

from flask import Blueprint

bp = Blueprint("visits", __name__)

from blueprints.visits import routes  # noqa: E402,F401  (registers the views)
