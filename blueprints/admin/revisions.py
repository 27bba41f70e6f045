"""Placeholder: filled in by the revisions slice."""

from blueprints.admin import bp  # noqa: F401
