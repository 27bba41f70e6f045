"""Placeholder: filled in by the offers slice."""

from blueprints.admin import bp  # noqa: F401
