"""The profession explorer: search, filters, detail pages."""

from flask import Blueprint

bp = Blueprint("professions", __name__)

from blueprints.professions import routes  # noqa: E402,F401  (registers the views)
