"""Career counsellors: classes and class trips."""

from flask import Blueprint

bp = Blueprint("counsellor", __name__)

from blueprints.counsellor import routes  # noqa: E402,F401  (registers the views)
