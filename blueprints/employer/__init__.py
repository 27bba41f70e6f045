"""Employers: their enterprise, tours and postings."""

from flask import Blueprint

bp = Blueprint("employer", __name__)

from blueprints.employer import routes  # noqa: E402,F401  (registers the views)
