"""Career counsellors: classes, the planner of class trips, the school's papers and the
«Профминимум» record."""

from flask import Blueprint

bp = Blueprint("counsellor", __name__)

from blueprints.counsellor import hours, papers, routes, trips  # noqa: E402,F401  (the views)
