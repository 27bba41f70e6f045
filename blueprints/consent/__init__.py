"""A parent's page, opened from the link in the e-mail: consent per purpose, the child's data,
deleting the account."""

from flask import Blueprint

bp = Blueprint("consent", __name__, url_prefix="/consent")

from blueprints.consent import routes  # noqa: E402,F401
