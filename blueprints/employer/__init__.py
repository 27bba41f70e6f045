"""Employers: their enterprise, tours and postings."""

from flask import Blueprint

bp = Blueprint("employer", __name__)

from blueprints.employer import (  # noqa: E402,F401  (registers the views)
    feedback,
    offers,
    profile,
    programmes,
    routes,
    stats,
    team,
)
