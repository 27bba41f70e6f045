"""Placeholder: filled in by the feedback slice."""

from blueprints.admin import bp  # noqa: F401
