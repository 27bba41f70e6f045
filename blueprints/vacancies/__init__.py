"""Vacancies, internships and practice places: public list."""

from flask import Blueprint

bp = Blueprint("vacancies", __name__)

from blueprints.vacancies import routes  # noqa: E402,F401  (registers the views)
